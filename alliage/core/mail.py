"""Transactional email: render in the recipient's language, store, send from a task.

Sending follows docs/decisions/0005-transactional-mail-sending.md: the row is claimed with a
lease in one short transaction, the message goes out with no transaction open, and it is
marked sent in another. A crash between the send and the mark leaves the row claimed; once
the lease runs out ``manage.py retry_emails`` sends it again with the same Message-ID
(at-least-once: a rare duplicate rather than a lost password-reset mail).

Credentials (a reset or invitation link, a signed consent link) never enter the stored
body: the body is rendered with a ``[[secret:name]]`` marker in their place, the values
wait in ``Email.secret_values`` only until the message is sent, and are put back into the
message when it leaves.
"""

import hashlib
import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.db import transaction
from django.db.models import F
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from alliage.core.models import Association, Email

logger = logging.getLogger(__name__)

# Context values that are credentials, per template: whoever reads them can reset a
# password, create an account, give consent or take a seat in someone's name.
SECRET_CONTEXT = {
    "password_reset": {"reset_path"},
    "invitation": {"accept_url"},
    "subscription_confirm": {"url"},
    "unsubscribe_confirm": {"url"},
    "waitlist_offer": {"accept_path"},
    "guest_order": {"order_url"},
    "event_invoice": {"pay_url", "billing_url"},
}
MAX_ATTEMPTS = 5
# Wait after failed attempt n (1-based) before retry_emails tries again.
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
           timedelta(hours=2)]
# How long a sender holds a claimed message; after it, the message is sent again. Far
# above EMAIL_TIMEOUT (20 s per SMTP step), so a slow server never causes a double send.
LEASE = timedelta(minutes=5)
# A freshly queued message is the worker's; retry_emails steps in only after this.
FIRST_TRY_GRACE = timedelta(minutes=10)


def _marker(name):
    return f"[[secret:{name}]]"


def secret_lifetime():
    """After this, every link a stored secret could be is expired: it is erased."""
    return max(timedelta(days=settings.INVITATION_DAYS),
               timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT))


def _stored_key(key, secrets):
    # An idempotency key may embed the credential itself ("password-reset:<uid>:<token>"):
    # then a one-way digest keeps it unique without keeping the token.
    parts = {part for value in secrets.values() for part in re.split(r"[/?&=#:]", value)
             if len(part) >= 8}
    if not any(part in key for part in parts):
        return key
    kind = key.split(":", 1)[0][:40]
    return f"{kind}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"


def render_text(template_name, context):
    """A plain-text template rendered without HTML escaping: a text part shows
    ``L'Équipe & Fils`` as written, never ``L&#x27;Équipe &amp; Fils``. (The HTML twin is
    rendered with ``render_to_string`` and stays escaped.) Only for text that never goes
    into HTML."""
    template = get_template(template_name)
    return template.template.render(Context(context, autoescape=False))


def queue_email(*, key, to, template, context=None, language=None, organisation=None):
    """Store one message under ``key`` (idempotent) and enqueue its delivery.

    ``template`` names ``templates/email/<template>.txt`` (first line is the subject)
    and an optional ``.html`` twin. Values named in ``SECRET_CONTEXT[template]`` are sent
    but never stored in the body.
    """
    from alliage.core.tasks import send_email

    context = dict(context or {})
    secrets = {name: str(context[name]) for name in SECRET_CONTEXT.get(template, ())
               if context.get(name)}
    stored_key = _stored_key(key, secrets)
    existing = Email.objects.filter(key=stored_key).first()
    if existing is not None:
        return existing
    language = language or settings.LANGUAGE_CODE
    ctx = {"association": Association.current(), "site_url": settings.SITE_URL,
           **context, **{name: _marker(name) for name in secrets}}
    with translation.override(language):
        text = render_text(f"email/{template}.txt", ctx).strip()
        subject, _sep, body = text.partition("\n")
        try:
            html = render_to_string(f"email/{template}.html", ctx)
        except Exception:  # noqa: BLE001 - the HTML twin is optional
            html = ""
    now = timezone.now()
    email = Email.objects.create(
        key=stored_key, to=to, subject=subject.strip()[:250], body_text=body.strip() + "\n",
        body_html=html, template=template, language=language, organisation=organisation,
        holds_secret=bool(secrets), secret_values=secrets,
        message_id=make_msgid(domain=settings.MAILING_DOMAIN),
        next_attempt_at=now + FIRST_TRY_GRACE)
    send_email.enqueue(email.pk)
    return email


# --- Sending: claim, send with no transaction open, mark -------------------------------


def deliver(email_id):
    """Send one stored Email at least once and mark it; returns what happened."""
    claimed = _claim(email_id)
    if isinstance(claimed, str):
        return claimed
    email, lease = claimed
    try:
        _message(email).send()
    except Exception as exc:  # noqa: BLE001 - any failure of the backend is recorded
        _mark_failed(email, lease, exc)
        return "error"
    _mark_sent(email)
    return "sent"


def _claim(email_id):
    """Take the row for one attempt (a short transaction); a reason string if not ours."""
    now = timezone.now()
    lease = now + LEASE
    with transaction.atomic():
        taken = Email.objects.claimable(now).filter(pk=email_id).update(
            lease_until=lease, next_attempt_at=lease, attempts=F("attempts") + 1)
        email = Email.objects.filter(pk=email_id).first()
        if taken:
            return email, lease
        if email is None:
            return "missing"
        if email.sent_at is not None:
            return "already sent"
        if email.failed_at is not None:
            return "given up"
        if email.lease_until is not None and email.lease_until > now:
            return "busy"
        # Every attempt used, the last one never reported back (a crashed worker).
        _give_up(Email.objects.filter(pk=email_id), now)
        return "given up"


def _give_up(queryset, now):
    return queryset.filter(sent_at__isnull=True, failed_at__isnull=True).update(
        failed_at=now, lease_until=None, next_attempt_at=None)


def _message(email):
    text, html = email.body_text, email.body_html
    for name, value in (email.secret_values or {}).items():
        text = text.replace(_marker(name), value)
        html = html.replace(_marker(name), escape(value))
    if "[[secret:" in text + html:
        raise ValueError("a personal link of this message was erased; it cannot be sent")
    message = EmailMultiAlternatives(
        subject=email.subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to], headers={"Message-ID": email.message_id} if email.message_id else {})
    if html:
        message.attach_alternative(html, "text/html")
    return message


def _mark_sent(email):
    """Record the send and forget the credentials (a short transaction)."""
    with transaction.atomic():
        Email.objects.filter(pk=email.pk, sent_at__isnull=True).update(
            sent_at=timezone.now(), lease_until=None, next_attempt_at=None, error="",
            secret_values={})


def _mark_failed(email, lease, exc):
    """Record the error; the next attempt waits longer each time, up to MAX_ATTEMPTS."""
    now = timezone.now()
    given_up = email.attempts >= MAX_ATTEMPTS
    wait = BACKOFF[min(email.attempts, len(BACKOFF)) - 1]
    with transaction.atomic():
        Email.objects.filter(pk=email.pk, sent_at__isnull=True, lease_until=lease).update(
            error=str(exc)[:2000], lease_until=None,
            failed_at=now if given_up else None,
            next_attempt_at=None if given_up else now + wait)
    logger.warning("email %s to %s failed (attempt %s): %s", email.pk, email.to,
                   email.attempts, exc)


# --- The periodic job and the staff action ----------------------------------------------


def retry_due(*, now=None, limit=500):
    """The ``retry_emails`` job: hand due messages back to the workers, give up on those
    out of attempts, erase credentials whose links have expired. Returns counts."""
    from alliage.core.tasks import send_email

    now = now or timezone.now()
    stuck = Email.objects.unsent().filter(attempts__gte=MAX_ATTEMPTS, lease_until__lte=now)
    _give_up(stuck, now)
    expired = Email.objects.filter(sent_at__isnull=True, holds_secret=True,
                                   created_at__lte=now - secret_lifetime())
    _give_up(expired, now)
    erased = expired.exclude(secret_values={}).update(secret_values={})
    due = list(Email.objects.due(now).order_by("next_attempt_at")
               .values_list("pk", flat=True)[:limit])
    for pk in due:
        send_email.enqueue(pk)
    return {"enqueued": len(due), "given_up": Email.objects.given_up().count(),
            "secrets_erased": erased}


def email_retry(*, email, actor, request=None):
    """Staff send a given-up (or failing) message again now, with a fresh set of attempts."""
    from alliage.core import audit
    from alliage.core.tasks import send_email

    with transaction.atomic():
        email = Email.objects.select_for_update().get(pk=email.pk)
        if email.sent_at is not None:
            raise ValidationError(_("This message has already been sent."))
        if email.holds_secret and not email.secret_values:
            raise ValidationError(_(
                "This message carried a personal link that has expired: the person must "
                "ask for a new one."))
        previous = email.attempts
        Email.objects.filter(pk=email.pk).update(
            failed_at=None, attempts=0, lease_until=None, next_attempt_at=timezone.now())
        audit.record(actor=actor, action="email.retry", obj=email,
                     changes={"attempts": [str(previous), "0"]}, request=request)
    # Enqueued once the reset is committed, so the worker sees it.
    send_email.enqueue(email.pk)
    return email
