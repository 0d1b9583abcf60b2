"""The door: arrivals recorded, and the desk's answer to a scanned or typed ticket code."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.core import audit
from alliage.events.models import Registration


@dataclass(frozen=True)
class Admission:
    """The desk's answer: ``level`` success (checked in now), warning (already in) or error
    (refused); ``registration`` is None when the code is unknown."""

    level: str
    text: str
    registration: Registration | None = None


def code_from_scan(raw):
    """A scanned QR holds the check-in URL; a handheld scanner or a person may type the code."""
    raw = (raw or "").strip()
    return raw.rstrip("/").rsplit("/", 1)[-1] if "/" in raw else raw


@transaction.atomic
def check_in(*, registration, actor):
    """Record a confirmed attendee's arrival (the first time only) and audit it."""
    Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True,
                                status=Registration.Status.CONFIRMED).update(
        checked_in_at=timezone.now())
    audit.record(actor=actor, action="event.check_in", obj=registration.event,
                 changes={"registration": registration.pk})


@transaction.atomic
def desk_admit(*, event, scanned, actor):
    """Admit the ticket behind ``scanned`` (a URL or a code) at ``event``'s door.

    Checked in only when the ticket is this event's and its registration is confirmed and
    not yet checked in; otherwise nothing changes and the answer says why. The row is locked
    so two phones scanning one ticket give one welcome and one "already checked in"."""
    code = code_from_scan(scanned)
    registration = Registration.objects.select_related("contact", "event").select_for_update(
        of=("self",)).filter(code=code).first() if code else None
    if registration is None:
        return Admission("error", _("Unknown ticket code."))
    if registration.event_id != event.pk:
        return Admission("error", _("This ticket is for another event: %(event)s.")
                         % {"event": registration.event.title}, registration)
    if registration.status != Registration.Status.CONFIRMED:
        return Admission("error", _("Not admitted: the registration is %(status)s.")
                         % {"status": registration.get_status_display().lower()}, registration)
    if registration.checked_in_at:
        return Admission("warning", _("Already checked in at %(time)s.") % {
            "time": timezone.localtime(registration.checked_in_at).strftime("%H:%M")},
            registration)
    check_in(registration=registration, actor=actor)
    return Admission("success", _("Welcome!"), registration)
