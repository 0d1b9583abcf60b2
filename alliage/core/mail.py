"""Transactional email: render in the recipient's language, store, send from a task."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from alliage.core.models import Association, Email


def queue_email(*, key, to, template, context=None, language=None, organisation=None):
    """Store one message under ``key`` (idempotent) and enqueue its delivery.

    ``template`` names ``templates/email/<template>.txt`` (first line is the subject)
    and an optional ``.html`` twin.
    """
    from alliage.core.tasks import send_email

    existing = Email.objects.filter(key=key).first()
    if existing is not None:
        return existing
    language = language or settings.LANGUAGE_CODE
    ctx = {"association": Association.current(), "site_url": settings.SITE_URL,
           **(context or {})}
    with translation.override(language):
        text = render_to_string(f"email/{template}.txt", ctx).strip()
        subject, _sep, body = text.partition("\n")
        try:
            html = render_to_string(f"email/{template}.html", ctx)
        except Exception:  # noqa: BLE001 - the HTML twin is optional
            html = ""
    email = Email.objects.create(key=key, to=to, subject=subject.strip()[:250],
                                 body_text=body.strip() + "\n", body_html=html,
                                 language=language, organisation=organisation)
    send_email.enqueue(email.pk)
    return email
