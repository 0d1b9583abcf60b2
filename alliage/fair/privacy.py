"""The fair's personal data in the Law 25 registry: cards left at booths (leads), counted
visits, B2B participation (profile, availability) with meeting requests and meetings."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from alliage.core import privacy
from alliage.fair.models import (
    Bookmark,
    Booth,
    BoothDocument,
    BoothVisit,
    Fair,
    Lead,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    Participant,
    Pavilion,
    ScheduleRun,
)

iso = privacy.iso
# Leads are the exhibitor's business contacts, given with consent for this fair: kept two
# years after the fair, then erased.
LEADS_KEPT_DAYS = 730


def _export_leads(subject):
    rows = Lead.objects.filter(contact_id=subject.person_id).select_related(
        "booth__organisation", "booth__fair")
    return [{"fair": x.booth.fair.title_fr, "exhibitor": x.booth.organisation.legal_name,
             "name": x.name, "email": x.email, "phone": x.phone,
             "company": x.organisation_name, "message": x.message,
             "consent": x.consent_text, "consented_at": iso(x.consented_at)} for x in rows]


def _erase_leads(subject, actor):
    Lead.objects.filter(contact_id=subject.person_id).delete()
    BoothVisit.objects.filter(contact_id=subject.person_id).update(contact=None)


def _retain_leads(now):
    cutoff = now - timedelta(days=LEADS_KEPT_DAYS)
    deleted, _rows = Lead.objects.filter(booth__fair__ends_at__lt=cutoff).delete()
    return deleted


def _export_participation(subject):
    out = []
    for p in Participant.objects.filter(contact_id=subject.person_id).select_related("fair"):
        sent = MeetingRequest.objects.filter(requester=p).select_related("recipient__contact")
        received = MeetingRequest.objects.filter(recipient=p).select_related(
            "requester__contact")
        out.append({
            "fair": p.fair.title_fr, "offers": p.offers, "seeks": p.seeks,
            "unavailable_slots": p.busy_slots,
            "not_interested_in": [o.contact.full_name for o in p.not_interested.all()],
            "requests_sent": [{"to": r.recipient.contact.full_name, "reason": r.reason,
                               "status": r.status, "at": iso(r.created_at)} for r in sent],
            "requests_received": [{"from": r.requester.contact.full_name, "status": r.status,
                                   "at": iso(r.created_at)} for r in received],
            "meetings": [{"slot": s.slot, "table": s.meeting.table}
                         for s in p.seats.select_related("meeting")]})
    return out


def _anonymise_participation(subject, actor):
    # Meetings held stay counted (figures); what the person wrote goes.
    mine = Participant.objects.filter(contact_id=subject.person_id)
    mine.update(offers="", seeks="", busy_slots=[])
    for participant in mine:
        participant.not_interested.clear()
    MeetingRequest.objects.filter(requester__contact_id=subject.person_id).update(
        reason="")
    # Nor is the person listed any more in a booth's team.
    Booth.team.through.objects.filter(contact_id=subject.person_id).delete()


def _export_bookmarks(subject):
    return [{"fair": b.booth.fair.title_fr, "booth": b.booth.organisation.legal_name,
             "at": iso(b.created_at)}
            for b in Bookmark.objects.filter(contact_id=subject.person_id).select_related(
                "booth__fair", "booth__organisation")]


def _erase_bookmarks(subject, actor):
    Bookmark.objects.filter(contact_id=subject.person_id).delete()


def register():
    privacy.register(
        "fair_bookmarks", title=_("Booths kept in your list"), models=[Bookmark],
        export=_export_bookmarks, anonymise=_erase_bookmarks,
        rule=_("Your list of booths is yours only; it is erased when you are anonymised."))
    privacy.register(
        "fair_leads", title=_("Cards left at fair booths"), models=[Lead, BoothVisit],
        export=_export_leads, anonymise=_erase_leads, retention=_retain_leads,
        summary="fair_leads_erased",
        rule=_("A card you leave at a booth goes to that exhibitor only, with your consent; "
               "it is erased two years after the fair or when you are anonymised. Booth "
               "visits are counted without your name once you are anonymised."))
    privacy.register(
        "fair_meetings", title=_("B2B meetings at fairs"),
        models=[Participant, MeetingRequest, Meeting, MeetingSeat],
        export=_export_participation, anonymise=_anonymise_participation,
        rule=_("Your meeting profile, availability and the reasons you wrote are erased when "
               "you are anonymised; meetings stay counted in the fair's figures."))
    privacy.exempt(Booth, "an exhibiting company's public booth (its contact person and "
                          "team are links to the company's own people, covered by members; "
                          "a person anonymised leaves the team)")
    privacy.exempt(BoothDocument, "documents an exhibiting company publishes")
    for model in (Fair, Pavilion, ScheduleRun):
        privacy.exempt(model, "reference data")
