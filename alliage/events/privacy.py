"""Events' personal data in the Law 25 registry: orders, registrations (with the answers to
the event's questions), attendance, certificates, the waitlist."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from alliage.core import privacy
from alliage.events.models import (
    Attendance,
    Certificate,
    Event,
    Order,
    Registration,
    Session,
    Sponsor,
    TicketType,
    WaitlistEntry,
)

iso = privacy.iso
# Answers to an event's questions (dietary needs, accessibility…) are erased this long
# after the event ended; the registration itself stays (attendance, certificates).
ANSWERS_KEPT_DAYS = 180


def _export_registrations(subject):
    rows = (Registration.objects.filter(contact_id=subject.person_id)
            .select_related("event", "ticket_type", "certificate")
            .prefetch_related("attendances__session"))
    data = []
    for r in rows:
        certificate = getattr(r, "certificate", None)
        data.append({
            "event": r.event.title_fr, "date": r.event.starts_at.isoformat(),
            "ticket": r.ticket_type.name_fr, "status": r.status, "answers": r.answers,
            "registered_at": iso(r.created_at), "cancelled_at": iso(r.cancelled_at),
            "checked_in_at": iso(r.checked_in_at),
            "attendance": [{"session": a.session.title, "present": a.present}
                           for a in r.attendances.all()],
            "certificate": {"code": certificate.code, "hours": str(certificate.hours),
                            "issued_at": iso(certificate.issued_at)} if certificate else None})
    return data


def _anonymise_registrations(subject, actor):
    # The rows stay (seat counts, attendance figures) pointing to the anonymised person.
    Registration.objects.filter(contact_id=subject.person_id).update(answers={})


def _retain_answers(now):
    cutoff = now - timedelta(days=ANSWERS_KEPT_DAYS)
    return (Registration.objects.filter(event__ends_at__lt=cutoff).exclude(answers={})
            .update(answers={}))


def _export_orders(subject):
    return [{"event": o.event.title_fr, "ordered_at": iso(o.created_at),
             "organisation": o.organisation.legal_name if o.organisation_id else None,
             "people": o.registrations.count()}
            for o in Order.objects.filter(buyer_id=subject.person_id)
            .select_related("event", "organisation")]


def _export_waitlist(subject):
    return [{"event": w.event.title_fr, "status": w.status, "joined_at": iso(w.joined_at),
             "offered_at": iso(w.offered_at)}
            for w in WaitlistEntry.objects.filter(contact_id=subject.person_id)
            .select_related("event")]


def _leave_waitlists(subject, actor):
    WaitlistEntry.objects.filter(
        contact_id=subject.person_id,
        status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED]).update(
        status=WaitlistEntry.Status.LEFT)


def register():
    privacy.register(
        "event_registrations", title=_("Event registrations"),
        models=[Registration, Attendance, Certificate],
        export=_export_registrations, anonymise=_anonymise_registrations,
        retention=_retain_answers, summary="registration_answers_cleared",
        rule=_("Your answers to an event's questions (such as dietary needs) are erased six "
               "months after the event; your registrations and certificates stay, "
               "anonymised with you."))
    privacy.register(
        "event_orders", title=_("Event orders"), models=[Order], export=_export_orders,
        rule=_("Orders stay with their invoice (tax law), anonymised with you."))
    privacy.register(
        "waitlist", title=_("Waitlists"), models=[WaitlistEntry], export=_export_waitlist,
        anonymise=_leave_waitlists,
        rule=_("You leave every waitlist when you are anonymised."))
    privacy.exempt(Event, "an event's public details (venue name and address, the "
                          "questions it asks)")
    privacy.exempt(Sponsor, "sponsoring companies")
    for model in (Session, TicketType):
        privacy.exempt(model, "reference data")
