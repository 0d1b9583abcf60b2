"""Background jobs shared by every app."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from alliage.core.models import Email

MAX_ATTEMPTS = 5


@task(queue_name="mail")
def send_email(email_id: int) -> str:
    """Send one stored Email; running it twice never sends twice."""
    with transaction.atomic():
        email = Email.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return "missing"
        if email.sent_at is not None:
            return "already sent"
        email.attempts += 1
        message = EmailMultiAlternatives(
            subject=email.subject, body=email.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL, to=[email.to],
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        try:
            message.send()
        except Exception as exc:
            email.error = str(exc)[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.failed_at = timezone.now()
            email.save(update_fields=["attempts", "error", "failed_at"])
            # Kept unsent: `manage.py retry_emails` re-enqueues it until MAX_ATTEMPTS.
            return "error"
        email.sent_at = timezone.now()
        email.save(update_fields=["attempts", "sent_at", "error"])
    return "sent"
