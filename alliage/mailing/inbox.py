"""The mailto: half of List-Unsubscribe (RFC 2369/8058): mail sent to the unsubscribe mailbox
withdraws consent when it carries our signed token, and otherwise asks its sender to confirm
by a signed link. Messages come from an IMAP mailbox, a mailbox file or an MTA pipe."""

import contextlib
import email
import imaplib
import mailbox
import re
from email import policy
from email.utils import parseaddr
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from alliage.core.mail import queue_email
from alliage.mailing import consent, services
from alliage.mailing.models import ConsentEvent, Subscriber, Subscription
from alliage.mailing.render import subscriber_from, token_for

WORDS = re.compile(r"\b(unsubscribe|d[ée]sabonne(?:r|ment|z)?|remove|retirer)\b", re.I)


def handle(raw):
    """Withdraw the consent a message asks to withdraw; returns the address or None.

    The token our List-Unsubscribe puts in the subject names the subscriber and withdraws
    at once. Without one, a message whose subject or first lines say
    "unsubscribe"/"désabonnement" withdraws nothing: its From: is easy to forge, so the
    sender, if subscribed, gets a signed link to the unsubscribe page (one a day at most).
    Idempotent: an address already withdrawn records nothing more."""
    message = email.message_from_bytes(raw, policy=policy.default) \
        if isinstance(raw, bytes) else raw
    subject = str(message.get("Subject", ""))
    subscriber = None
    found = re.search(r"unsubscribe\s+(\S+)", subject, re.I)
    if found:
        subscriber_id = subscriber_from(found.group(1).strip())
        subscriber = Subscriber.objects.filter(pk=subscriber_id).first() \
            if subscriber_id else None
    if subscriber is None:
        body = message.get_body(("plain",))
        start = body.get_content()[:500] if body is not None else ""
        if WORDS.search(subject) or WORDS.search(start):
            sender = parseaddr(str(message.get("From", "")))[1].lower()
            subscriber = Subscriber.objects.filter(email=sender).first()
            if subscriber is not None and _subscribed(subscriber):
                ask_to_confirm(subscriber)
        return None
    if _subscribed(subscriber):
        services.withdraw(subscriber=subscriber, basis=ConsentEvent.Basis.MAILTO)
    return subscriber.email


def _subscribed(subscriber):
    active = subscriber.subscriptions.exclude(status=Subscription.Status.UNSUBSCRIBED).exists()
    return active or consent.has_consent(subscriber.email)


def ask_to_confirm(subscriber):
    """Mail the subscriber a signed link to the one-click unsubscribe page (whose GET only
    shows a button), at most once a day however many requests arrive."""
    url = settings.SITE_URL + reverse("mailing:unsubscribe", args=[token_for(subscriber.pk)])
    return queue_email(
        key=f"unsubscribe-confirm:{subscriber.pk}:{timezone.localdate():%Y%m%d}",
        to=subscriber.email, template="unsubscribe_confirm", language=subscriber.language,
        context={"url": url})


def from_mbox(path):
    return [handle(message.as_bytes()) for message in mailbox.mbox(path)]


def from_imap(url, delete=False):
    """Every unseen message of imap(s)://user:password@host[:port]/FOLDER, then marked seen
    (or deleted). Returns the addresses withdrawn."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ValueError("MAILING_UNSUBSCRIBE_IMAP must look like imaps://user:pass@host/INBOX")
    cls = imaplib.IMAP4_SSL if parts.scheme == "imaps" else imaplib.IMAP4
    client = cls(parts.hostname, parts.port or (993 if parts.scheme == "imaps" else 143))
    done = []
    try:
        client.login(unquote(parts.username or ""), unquote(parts.password or ""))
        client.select(parts.path.strip("/") or "INBOX")
        _status, data = client.search(None, "UNSEEN")
        for number in (data[0] or b"").split():
            _status, fetched = client.fetch(number, "(RFC822)")
            raw = next((part[1] for part in fetched if isinstance(part, tuple)), None)
            if raw is None:
                continue
            address = handle(raw)
            if address:
                done.append(address)
            client.store(number, "+FLAGS", "\\Deleted" if delete else "\\Seen")
        if delete:
            client.expunge()
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()              # the server may already have closed
    return done
