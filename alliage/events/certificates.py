"""Attendance per session, attended hours, and the certificates they earn."""

from django.db import transaction

from alliage.core import audit
from alliage.events.models import Registration
from alliage.events.notify import notify


@transaction.atomic
def attendance_record(*, session, present_ids, actor):
    """Set who was present at a session (ids of confirmed registrations); idempotent."""
    from alliage.events.models import Attendance

    registrations = Registration.objects.filter(event=session.event,
                                                status=Registration.Status.CONFIRMED)
    for registration in registrations:
        Attendance.objects.update_or_create(
            registration=registration, session=session,
            defaults={"present": registration.pk in present_ids})
    audit.record(actor=actor, action="event.attendance", obj=session.event,
                 changes={"session": session.pk, "present": len(present_ids)})


def _event_hours(event):
    return round((event.ends_at - event.starts_at).total_seconds() / 3600, 2)


def attended_hours(registration):
    """Hours of the sessions this person attended (the whole event if it has none)."""
    sessions = list(registration.event.sessions.all())
    if not sessions:
        return _event_hours(registration.event) if registration.checked_in_at else 0
    present = set(registration.attendances.filter(present=True).values_list("session_id",
                                                                             flat=True))
    return round(sum(s.hours for s in sessions if s.pk in present), 2)


def certificate_eligible(registration):
    """Whether attendance reaches the event's threshold (percentage of the hours)."""
    sessions = list(registration.event.sessions.all())
    total = sum(s.hours for s in sessions) if sessions else _event_hours(registration.event)
    if not total:
        return False
    return attended_hours(registration) * 100 >= registration.event.attendance_threshold * total


@transaction.atomic
def certificates_issue(*, event, actor=None):
    """Issue (once) a certificate to every confirmed attendee who reached the threshold."""
    from alliage.events.models import Certificate
    from alliage.events.tasks import render_certificate_pdf

    issued = []
    for registration in event.registrations.filter(status=Registration.Status.CONFIRMED) \
            .select_related("contact"):
        if hasattr(registration, "certificate") or not certificate_eligible(registration):
            continue
        certificate = Certificate.objects.create(registration=registration,
                                                 hours=attended_hours(registration))
        render_certificate_pdf.enqueue(certificate.pk)
        notify(registration, "certificate_issued", {"certificate": certificate})
        issued.append(certificate)
    audit.record(actor=actor, action="event.certificates", obj=event,
                 changes={"issued": len(issued)})
    return issued
