"""Background work goes through the database queue and a worker, and runs once."""

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from alliage.core.models import Email
from alliage.core.tasks import send_email

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                        "QUEUES": ["default", "mail", "reports"]}}


@pytest.fixture
def db_queue(settings):
    settings.TASKS = DB_TASKS
    return settings


@pytest.mark.django_db(transaction=True)
def test_task_enqueued_in_a_request_runs_in_the_worker_once(client, db_queue):
    # A real (committing) database: the worker opens and closes its own transactions.
    from tests.people import Cast

    Cast()
    response = client.post("/compte/mot-de-passe/", {"email": "ALICE@acme.example"})
    assert response.status_code == 302
    # Nothing is sent inside the request: the message waits in the queue.
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay")
    assert len(mail.outbox) == 1
    assert "Réinitialisation" in mail.outbox[0].subject
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # Running the same job again (a retry, a second worker) sends nothing more.
    email = Email.objects.get()
    assert send_email.call(email.pk) == "already sent"
    assert len(mail.outbox) == 1


def test_queuing_the_same_key_twice_keeps_one_message(cast, db_queue):
    from alliage.core.mail import queue_email

    first = queue_email(key="k1", to="x@example.com", template="password_reset",
                        context={"reset_path": "/x"})
    second = queue_email(key="k1", to="x@example.com", template="password_reset",
                         context={"reset_path": "/x"})
    assert first.pk == second.pk
    assert DBTaskResult.objects.count() == 1


def test_failed_send_is_kept_for_retry(cast, settings, monkeypatch):
    from alliage.core.mail import queue_email

    def boom(self, *a, **k):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", boom)
    email = queue_email(key="k2", to="x@example.com", template="password_reset",
                        context={"reset_path": "/x"})
    email.refresh_from_db()
    assert email.sent_at is None and "SMTP down" in email.error and email.attempts == 1
