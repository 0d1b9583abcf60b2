"""Background jobs shared by every app."""

from django_tasks import task

from alliage.core import mail


@task(queue_name="mail")
def send_email(email_id: int) -> str:
    """Send one stored Email; running it twice never sends twice while the first run is
    alive. A failed attempt is retried by ``manage.py retry_emails`` (bounded, with
    backoff); see ``alliage.core.mail.deliver``."""
    return mail.deliver(email_id)
