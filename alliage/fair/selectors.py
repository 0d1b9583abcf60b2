"""Read-side of the fair: what each viewer may see, scoped once here for pages and API."""

from django.db.models import Count, Q
from django.http import Http404

from alliage.core.roles import is_staff
from alliage.fair.models import Booth, Fair, Meeting, MeetingRequest, Participant


def fairs_for(user):
    """Published fairs; staff also see drafts."""
    return Fair.objects.all() if is_staff(user) else Fair.objects.published()


def fair_for(user, slug):
    fair = fairs_for(user).filter(slug=slug).first()
    if fair is None:
        raise Http404
    return fair


def booths_for_visitors(fair, *, query="", pavilion=None):
    booths = (fair.booths.published().select_related("organisation", "pavilion")
              .order_by("organisation__legal_name"))
    if pavilion is not None:
        booths = booths.filter(pavilion=pavilion)
    return booths.search(query) if query else booths


def booth_for_visitor(fair, pk):
    booth = fair.booths.published().select_related("organisation", "pavilion", "contact") \
        .filter(pk=pk).first()
    if booth is None:
        raise Http404
    return booth


def booth_for_exhibitor(user, fair, pk):
    """A booth the user may edit: their company's (any, for staff); 404 otherwise."""
    booths = Booth.objects.all() if is_staff(user) else Booth.objects.administered_by(user)
    booth = booths.filter(fair=fair, pk=pk).select_related("organisation").first()
    if booth is None:
        raise Http404
    return booth


def my_booths(user, fair):
    return Booth.objects.administered_by(user).filter(fair=fair).select_related("organisation")


def pavilions_with_counts(fair):
    return fair.pavilions.annotate(booth_count=Count("booths", filter=Q(booths__published=True)))


def is_registered(fair, contact):
    """Whether ``contact`` may take part in the B2B meetings: a confirmed registration to
    the fair's event (the events app's), or anyone when the fair has no event."""
    if fair.event_id is None:
        return True
    from alliage.events.models import Registration

    return contact is not None and Registration.objects.filter(
        event_id=fair.event_id, contact=contact,
        status=Registration.Status.CONFIRMED).exists()


def participant_of(fair, user):
    if not getattr(user, "is_authenticated", False) or not user.contact_id:
        return None
    return Participant.objects.filter(fair=fair, contact_id=user.contact_id).first()


def participants_to_meet(fair, me, query="", *, hidden=False):
    """The fair's other participants; ``hidden``: those marked "no thanks" instead."""
    people = (Participant.objects.filter(fair=fair).exclude(pk=me.pk)
              .select_related("contact", "organisation"))
    declined = me.not_interested.values("pk")
    people = people.filter(pk__in=declined) if hidden else people.exclude(pk__in=declined)
    for word in (query or "").split()[:8]:
        people = people.filter(Q(offers__icontains=word) | Q(seeks__icontains=word)
                               | Q(organisation__legal_name__icontains=word)
                               | Q(contact__last_name__icontains=word))
    return people


def requests_of(participant, *, with_free_slots=False):
    """Requests received and sent; an accepted one without a meeting carries
    ``free_slots`` [(index, start)] where both people could meet (self-picked slots)."""
    from alliage.fair.services import free_slots

    rel = ("requester__contact", "requester__organisation", "recipient__contact",
           "recipient__organisation", "meeting")
    out = {
        "received": list(MeetingRequest.objects.filter(recipient=participant)
                         .select_related(*rel)),
        "sent": list(MeetingRequest.objects.filter(requester=participant).select_related(*rel)),
    }
    if with_free_slots:
        fair = participant.fair
        for r in out["received"] + out["sent"]:
            r.placed = getattr(r, "meeting", None) if _has_meeting(r) else None
            r.free_slots = [(i, fair.slot_times(i)[0]) for i in free_slots(fair, r)] \
                if r.status == MeetingRequest.Status.ACCEPTED and r.placed is None else []
    return out


def _has_meeting(request):
    try:
        return request.meeting is not None
    except Meeting.DoesNotExist:
        return False


def agenda(participant):
    """The participant's meetings in slot order: [{slot, starts, ends, table, other, …}]."""
    fair = participant.fair
    meetings = (Meeting.objects.filter(seats__participant=participant)
                .select_related("request__requester__contact",
                                "request__requester__organisation",
                                "request__recipient__contact",
                                "request__recipient__organisation")
                .order_by("slot"))
    rows = []
    for m in meetings:
        r = m.request
        other = r.recipient if r.requester_id == participant.pk else r.requester
        starts, ends = fair.slot_times(m.slot)
        rows.append({"meeting": m, "slot": m.slot, "starts": starts, "ends": ends,
                     "table": m.table, "other": other, "reason": r.reason})
    return rows


def suggestions(fair, me, *, limit=8):
    """Whom to meet, ranked and explained: the fair's participants whose company the
    showcase's supplier finder ranks for what ``me`` looks for (same search, same reasons:
    products, capabilities, sectors). [{participant, score, reasons: [(label, text)]}]."""
    if not me.seeks.strip():
        return []
    from alliage.showcase.selectors import find_suppliers

    rows, _corrected = find_suppliers(me.seeks[:300], limit=60)
    ranked = {row["organisation"].pk: row for row in rows}
    people = (Participant.objects.filter(fair=fair, organisation_id__in=list(ranked))
              .exclude(pk=me.pk).exclude(pk__in=me.not_interested.values("pk"))
              .select_related("contact", "organisation"))
    if me.organisation_id:
        people = people.exclude(organisation_id=me.organisation_id)
    out = [{"participant": p, "score": ranked[p.organisation_id]["score"],
            "reasons": ranked[p.organisation_id]["reasons"][:3]} for p in people]
    out.sort(key=lambda x: (-x["score"], x["participant"].pk))
    return out[:limit]


def bookmarked(fair, user):
    """The booths the viewer keeps in their list (published ones)."""
    if not getattr(user, "is_authenticated", False) or not user.contact_id:
        return Booth.objects.none()
    return (fair.booths.published().filter(bookmarks__contact_id=user.contact_id)
            .select_related("organisation", "pavilion"))
