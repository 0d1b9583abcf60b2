"""Transactional mail: no account secret at rest, sending outside the database transaction,
at-least-once across a crash, bounded retries with backoff, failed mail shown to staff."""

import io
import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from alliage.core.mail import queue_email
from alliage.core.models import Email
from alliage.core.tasks import send_email
from tests.conftest import login, statuses, text

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                        "QUEUES": ["default", "mail", "reports"]}}


class Killed(BaseException):
    """The worker process dies (not an error the code could catch and record)."""


class DiesAfterSending(LocmemBackend):
    """The SMTP server accepted the message, then the worker was killed."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise Killed


class SmtpDown(LocmemBackend):
    def send_messages(self, messages):
        raise OSError("SMTP down")


def _columns(email):
    """Every stored value of an Email row, as one string (what a backup would hold)."""
    values = Email.objects.filter(pk=email.pk).values().get()
    return json.dumps(values, default=str)


def _reset_link(body):
    return re.search(r"https?://\S+/compte/reinitialiser/\S+/", body).group(0)


# --- Item 4: account secrets are never stored in clear --------------------------------


def test_a_password_reset_link_is_sent_but_never_stored(client, cast):
    client.post("/compte/mot-de-passe/", {"email": "alice@acme.example"})
    assert len(mail.outbox) == 1
    link = _reset_link(mail.outbox[0].body)
    token = link.rstrip("/").rsplit("/", 1)[1]
    email = Email.objects.get()
    assert email.sent_at is not None and email.holds_secret
    # Not in the body, not in the idempotency key, not anywhere in the row.
    assert token not in _columns(email)
    assert "[[secret:reset_path]]" in email.body_text
    # The link in the message works (the secret was the real one).
    assert client.get(link, follow=True).status_code == 200


def test_an_unsent_invitation_keeps_its_link_only_until_it_is_sent(cast, settings):
    from alliage.accounts.services import invitation_create

    settings.EMAIL_BACKEND = "tests.core.test_mail.SmtpDown"
    _invitation, token = invitation_create(inviter=cast.sam, email="nouveau@exemple.ca",
                                           role="staff")
    email = Email.objects.get()
    assert email.sent_at is None and email.attempts == 1
    # The stored body never has it: staff pages, exports and the admin show the body.
    assert token not in email.body_text and token not in email.key
    assert email.holds_secret
    # It is kept apart only so that the retry sends the same, still valid, link.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        call_command("retry_emails", stdout=io.StringIO())
    assert len(mail.outbox) == 1 and token in mail.outbox[0].body
    email.refresh_from_db()
    assert email.sent_at is not None
    assert token not in _columns(email)


def test_mail_holding_a_secret_is_kept_out_of_exports(cast):
    from alliage.members.privacy import person_export

    queue_email(key="welcome", to="alice@acme.example", template="application_received",
                context={"membership": None, "contact": cast.alice.contact})
    reset = queue_email(key="password-reset:x", to="alice@acme.example",
                        template="password_reset", context={"reset_path": "/r/secret/"})
    assert reset.holds_secret
    assert list(Email.objects.without_secrets()) == [Email.objects.get(key="welcome")]
    exported = json.dumps(person_export(cast.alice.contact), default=str)
    assert "/r/secret/" not in exported


def test_the_admin_never_shows_a_pending_secret(client, cast, settings):
    from alliage.accounts.models import User

    settings.EMAIL_BACKEND = "tests.core.test_mail.SmtpDown"
    email = queue_email(key="password-reset:y", to="bob@acme.example",
                        template="password_reset", context={"reset_path": "/r/tok-123/"})
    admin = User.objects.create_superuser("root@alliage.example", "pw-very-long-123",
                                          is_staff=True)
    login(client, admin)
    page = client.get(f"/admin/core/email/{email.pk}/change/")
    assert page.status_code == 200
    assert "tok-123" not in text(page)


def test_legacy_rows_are_scrubbed_by_the_migration(cast):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("alliage.core.migrations.0004_email_secrets_and_leases")
    sent = Email.objects.create(key="password-reset:7:abc-0123456789abcdef", to="a@b.ca",
                                subject="Réinitialisation", sent_at=timezone.now(),
                                body_text="Ici : http://x/compte/reinitialiser/Nw/abc-0123/\n")
    queued = Email.objects.create(key="invitation:9", to="c@d.ca", subject="Invitation",
                                  body_text="Lien : http://x/compte/invitation/inv_SECRET/\n")
    plain = Email.objects.create(key="application-received:1", to="e@f.ca", subject="Reçu",
                                 body_text="Merci.\n", sent_at=timezone.now())
    migration.scrub_legacy_secrets(apps, None)
    for row in (sent, queued, plain):
        row.refresh_from_db()
    assert "abc-0123" not in _columns(sent) and sent.holds_secret
    assert sent.key.startswith("password-reset:sha256:")
    assert "inv_SECRET" not in queued.body_text and queued.holds_secret
    assert plain.body_text == "Merci.\n" and not plain.holds_secret
    # The queued one still goes out whole.
    assert send_email.call(queued.pk) == "sent"
    assert "inv_SECRET" in mail.outbox[-1].body
    assert "inv_SECRET" not in _columns(queued)


# --- Item 6: send outside the transaction; a crash between send and mark loses nothing ---


@pytest.mark.django_db(transaction=True)
def test_the_message_is_sent_with_no_transaction_open(settings, monkeypatch):
    settings.TASKS = DB_TASKS
    seen = []
    real_send = LocmemBackend.send_messages

    def spy(self, messages):
        seen.append(connection.in_atomic_block)
        return real_send(self, messages)

    monkeypatch.setattr(LocmemBackend, "send_messages", spy)
    email = queue_email(key="k-tx", to="x@exemple.ca", template="password_reset",
                        context={"reset_path": "/x/"})
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay")
    assert seen == [False]                # no row lock held while the SMTP server answers
    email.refresh_from_db()
    assert email.sent_at is not None and email.lease_until is None


def test_a_crash_between_the_send_and_the_mark_does_not_lose_the_mail(cast, settings):
    settings.EMAIL_BACKEND = "tests.core.test_mail.DiesAfterSending"
    # The task runs inline (immediate backend), which records the worker's death.
    queue_email(key="k-crash", to="x@exemple.ca", template="application_refused",
                context={"membership": None, "message": "Désolé."})
    assert len(mail.outbox) == 1
    email = Email.objects.get()
    assert email.sent_at is None and email.attempts == 1       # claimed, never marked
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # While the lease runs, nobody sends it again (the first worker might still be on it).
    assert send_email.call(email.pk) == "busy"
    out = io.StringIO()
    call_command("retry_emails", stdout=out)
    assert "re-enqueued: 0" in out.getvalue()
    # After the lease: sent again (at-least-once), with the same Message-ID, then marked.
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        call_command("retry_emails", stdout=out)
    assert len(mail.outbox) == 2
    assert mail.outbox[0].extra_headers["Message-ID"] == mail.outbox[1].extra_headers[
        "Message-ID"] == email.message_id
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 2
    assert send_email.call(email.pk) == "already sent"


# --- Item 5: retry_emails, backoff, bounded attempts, staff page ---------------------------


def test_failing_mail_is_retried_with_backoff_then_given_up_and_shown_to_staff(
        client, cast, settings):
    settings.EMAIL_BACKEND = "tests.core.test_mail.SmtpDown"
    email = queue_email(key="k-fail", to="x@exemple.ca", template="application_refused",
                        context={"membership": None, "message": "Désolé."})
    email.refresh_from_db()
    assert email.attempts == 1 and "SMTP down" in email.error
    start = timezone.now()
    assert email.next_attempt_at > start                     # not retried at once
    out = io.StringIO()
    call_command("retry_emails", stdout=out)
    assert "re-enqueued: 0" in out.getvalue()
    gaps = []
    moment = start
    for _ in range(4):
        email.refresh_from_db()
        gaps.append(email.next_attempt_at - moment)
        moment = email.next_attempt_at + timedelta(seconds=1)
        with time_machine.travel(moment):
            call_command("retry_emails", stdout=out)
    assert gaps == sorted(gaps) and gaps[0] < gaps[-1]        # growing waits
    email.refresh_from_db()
    assert email.attempts == 5 and email.failed_at is not None and email.next_attempt_at is None
    with time_machine.travel(moment + timedelta(days=1)):
        out = io.StringIO()
        call_command("retry_emails", stdout=out)
    assert out.getvalue().startswith("re-enqueued: 0, given up: 1")
    assert Email.objects.get().attempts == 5                 # bounded: nothing more tried
    assert mail.outbox == []
    # Staff see it, in French, and retry it once the SMTP server is back.
    login(client, cast.sam)
    page = client.get("/gestion/courriels/")
    assert "Courriels non envoyés" in text(page) and "x@exemple.ca" in text(page)
    assert "SMTP down" in text(page)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(f"/gestion/courriels/{email.pk}/reessayer/", follow=True)
    assert "Le courriel à x@exemple.ca est envoyé de nouveau." in text(response)
    email.refresh_from_db()
    assert email.sent_at is not None and len(mail.outbox) == 1
    from alliage.core.models import AuditLog

    assert AuditLog.objects.filter(action="email.retry", object_id=str(email.pk)).exists()
    assert "x@exemple.ca" not in text(client.get("/gestion/courriels/"))


def test_the_failed_mail_pages_are_for_staff_only(client, cast, settings):
    settings.EMAIL_BACKEND = "tests.core.test_mail.SmtpDown"
    email = queue_email(key="k-perm", to="x@exemple.ca", template="application_refused",
                        context={"membership": None, "message": ""})
    assert statuses(client, cast, "/gestion/courriels/") == (302, 403, 403, 403, 403, 403, 200)
    Email.objects.filter(pk=email.pk).update(failed_at=timezone.now())
    got = statuses(client, cast, f"/gestion/courriels/{email.pk}/reessayer/", "post")
    assert got == (302, 403, 403, 403, 403, 403, 302)
    login(client, cast.sam)
    assert client.get(f"/gestion/courriels/{email.pk}/reessayer/").status_code == 405
    assert client.post("/gestion/courriels/999999/reessayer/").status_code == 404


def test_retrying_a_sent_mail_or_an_expired_link_is_refused_with_a_message(client, cast,
                                                                           settings):
    settings.EMAIL_BACKEND = "tests.core.test_mail.SmtpDown"
    email = queue_email(key="password-reset:z", to="bob@acme.example",
                        template="password_reset", context={"reset_path": "/r/zz/"})
    Email.objects.filter(pk=email.pk).update(failed_at=timezone.now())
    # Two weeks later the link has expired: the job erases it, staff can no longer resend.
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        out = io.StringIO()
        call_command("retry_emails", stdout=out)
    assert "expired links erased: 1" in out.getvalue()
    assert "/r/zz/" not in _columns(email)
    login(client, cast.sam)
    page = client.post(f"/gestion/courriels/{email.pk}/reessayer/", follow=True)
    assert "lien personnel" in text(page)
    email.refresh_from_db()
    assert email.sent_at is None and email.failed_at is not None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    done = queue_email(key="k-sent", to="y@exemple.ca", template="application_refused",
                       context={"membership": None, "message": ""})
    page = client.post(f"/gestion/courriels/{done.pk}/reessayer/", follow=True)
    assert "déjà été envoyé" in text(page)
    assert len(mail.outbox) == 1


# --- Finding N7c: the text part is plain text, the HTML part stays escaped -------------

TRICKY = "L'Équipe & Fils \"Inc\" <b>"


def test_the_text_part_shows_names_verbatim_and_the_html_part_escapes_them(db, settings,
                                                                            tmp_path):
    (tmp_path / "email").mkdir()
    (tmp_path / "email" / "twin_test.txt").write_text(
        "{% load i18n %}Bienvenue {{ name }}\n{{ name }}\n{{ url }}\n"
        "{% translate \"Choose the company.\" %}\n", encoding="utf-8")
    (tmp_path / "email" / "twin_test.html").write_text(
        "<p>{{ name }}</p><a href=\"{{ url }}\">{{ url }}</a>", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0],
                           "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    url = "https://alliage.example/inscription/?a=1&b=2"
    email = queue_email(key="twin", to="x@exemple.ca", template="twin_test",
                        context={"name": TRICKY, "url": url}, language="fr")
    assert email.subject == f"Bienvenue {TRICKY}"
    assert f"{TRICKY}\n{url}\n" in email.body_text
    assert "Choisissez l'entreprise." in email.body_text       # translations too
    for entity in ("&#x27;", "&#39;", "&amp;", "&quot;", "&lt;"):
        assert entity not in email.body_text
    assert "<p>L&#x27;Équipe &amp; Fils &quot;Inc&quot; &lt;b&gt;</p>" in email.body_html
    assert "?a=1&amp;b=2" in email.body_html
    [sent] = mail.outbox
    assert sent.subject == f"Bienvenue {TRICKY}" and TRICKY in sent.body
    [(html, mimetype)] = sent.alternatives
    assert mimetype == "text/html" and TRICKY not in html and "&lt;b&gt;" in html


def test_a_real_text_mail_names_the_listing_verbatim(cast):
    from alliage.symbiosis.models import Stream

    stream = Stream.objects.create(organisation=cast.acme, kind="offer", title=TRICKY,
                                   description="x")
    email = queue_email(key="intro-x", to="x@exemple.ca", template="introduction_requested",
                        context={"stream": stream, "url": "https://a.example/?x=1&y=2"},
                        language="fr")
    assert f"« {TRICKY} »" in email.body_text or f"“{TRICKY}”" in email.body_text
    assert "https://a.example/?x=1&y=2" in email.body_text
    assert "&" + "#" not in email.body_text and "&amp;" not in email.body_text
