"""Unsubscribing by email (the mailto: of List-Unsubscribe): IMAP, mailbox file, MTA pipe."""

import io
import mailbox
import re
import sys
from email.message import EmailMessage

from django.core import mail
from django.core.management import call_command

from alliage.mailing import consent, inbox
from alliage.mailing.models import ConsentEvent, Subscription
from alliage.mailing.render import token_for
from tests.mailing.test_mailing import _subscribed, newsletter  # noqa: F401


def _mail(sender, subject, body="", to="desabonnement@alliage.localhost"):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body or "-")
    return message


def _withdrawals(email):
    return ConsentEvent.objects.filter(email=email, kind=ConsentEvent.Kind.WITHDRAWAL).count()


def test_the_token_in_the_subject_unsubscribes_even_from_another_address(
        newsletter, monkeypatch):  # noqa: F811
    anne = _subscribed(newsletter, "anne@exemple.ca", "Anne")
    raw = _mail("secretariat@autre.example", f"unsubscribe {token_for(anne.pk)}").as_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("mailing_unsubscribe_inbox", "--stdin", stdout=out)
    assert "1 unsubscribed" in out.getvalue()
    assert not consent.has_consent("anne@exemple.ca")
    assert not Subscription.objects.filter(subscriber=anne, status="active").exists()
    assert _withdrawals("anne@exemple.ca") == 1
    assert ConsentEvent.objects.get(kind="withdrawal").basis == "mailto"
    inbox.handle(raw)                                       # the same message again
    assert _withdrawals("anne@exemple.ca") == 1


def test_a_handwritten_request_asks_its_sender_to_confirm_and_other_mail_is_ignored(
        newsletter, tmp_path):  # noqa: F811
    # The From: of a message is easy to forge: without our token, nothing is withdrawn;
    # the address is asked to confirm by a signed link instead.
    _subscribed(newsletter, "bruno@exemple.ca", "Bruno")
    _subscribed(newsletter, "chloe@exemple.ca", "Chloé")
    path = tmp_path / "inbox.mbox"
    box = mailbox.mbox(str(path))
    box.add(_mail("Bruno <Bruno@Exemple.ca>", "Re: Nouvelles", "Désabonnez-moi svp"))
    box.add(_mail("chloe@exemple.ca", "Question sur le 5@7", "À quelle heure?"))
    box.add(_mail("inconnu@exemple.ca", "unsubscribe"))
    box.add(_mail("x@exemple.ca", "unsubscribe forged-token"))
    box.flush()
    assert inbox.from_mbox(str(path)) == [None, None, None, None]
    assert consent.has_consent("bruno@exemple.ca")
    assert consent.has_consent("chloe@exemple.ca")
    assert [m.to for m in mail.outbox] == [["bruno@exemple.ca"]]


def test_a_spoofed_request_only_sends_a_signed_link_that_the_owner_confirms(
        client, newsletter):  # noqa: F811
    bruno = _subscribed(newsletter, "bruno@exemple.ca", "Bruno")
    forged = _mail("bruno@exemple.ca", "unsubscribe", "Retirez-moi").as_bytes()
    assert inbox.handle(forged) is None
    assert _withdrawals("bruno@exemple.ca") == 0
    assert Subscription.objects.filter(subscriber=bruno, status="active").exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bruno@exemple.ca"] and "désabonnement" in message.subject.lower()
    link = re.search(r"https?://\S+/infolettre/desabonnement/\S+/", message.body).group(0)
    # The same forged request again (or a flood of them) sends nothing more that day.
    inbox.handle(forged)
    inbox.handle(_mail("Bruno <bruno@exemple.ca>", "Désabonnement").as_bytes())
    assert len(mail.outbox) == 1
    # The owner opens the link: a page with a button (link scanners only GET), then confirms.
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and _withdrawals("bruno@exemple.ca") == 0
    assert client.post("/" + path).status_code == 200
    assert _withdrawals("bruno@exemple.ca") == 1
    assert not consent.has_consent("bruno@exemple.ca")
    # The link in the stored copy of the message is not kept (it is a credential).
    from alliage.core.models import Email

    assert path.rsplit("/", 2)[1] not in Email.objects.get().body_text


def test_the_imap_mailbox_is_read_and_messages_marked_seen(newsletter, monkeypatch):  # noqa: F811
    dora = _subscribed(newsletter, "dora@exemple.ca", "Dora")
    messages = {b"1": _mail("dora@exemple.ca", f"unsubscribe {token_for(dora.pk)}").as_bytes(),
                b"2": _mail("eve@exemple.ca", "Bonjour").as_bytes()}
    calls = []

    class FakeIMAP:
        def __init__(self, host, port):
            calls.append(("connect", host, port))

        def login(self, user, password):
            calls.append(("login", user, password))

        def select(self, folder):
            calls.append(("select", folder))

        def search(self, charset, criterion):
            return "OK", [b" ".join(messages)]

        def fetch(self, number, what):
            return "OK", [(b"%s (RFC822 {1}" % number, messages[number]), b")"]

        def store(self, number, op, flag):
            calls.append(("store", number, flag))

        def logout(self):
            calls.append(("logout",))

    monkeypatch.setattr("imaplib.IMAP4_SSL", FakeIMAP)
    done = inbox.from_imap("imaps://desabonnement%40alliage.example:s3cret@imap.example/INBOX")
    assert done == ["dora@exemple.ca"]
    assert ("login", "desabonnement@alliage.example", "s3cret") in calls
    assert ("store", b"1", "\\Seen") in calls and ("store", b"2", "\\Seen") in calls
    assert calls[-1] == ("logout",)
    assert not consent.has_consent("dora@exemple.ca")
