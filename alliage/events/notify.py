"""Emails to one attendee about their registration (queued, in their language)."""

from alliage.core.mail import queue_email


def notify(registration, template, extra=None):
    """Queue ``template`` to the attendee (keyed by template and registration)."""
    contact = registration.contact
    if not contact.email:
        return
    queue_email(key=f"{template}:{registration.pk}", to=contact.email, template=template,
                language=contact.language, organisation=registration.order.organisation,
                context={"registration": registration, "event": registration.event,
                         **(extra or {})})


def notify_once(registration, template):
    """Queue ``template`` unless it was already queued for this registration; 1 if queued."""
    from alliage.core.models import Email

    if Email.objects.filter(key=f"{template}:{registration.pk}").exists():
        return 0
    notify(registration, template)
    return 1
