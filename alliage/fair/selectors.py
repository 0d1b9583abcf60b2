"""Read-side of the fair: what each viewer may see, scoped once here for pages and API."""

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

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


def booth_team(booth):
    """The people at a booth, for visitors: [{contact, title, participant}] in name order;
    ``participant`` is their B2B meeting profile at this fair (None when they take no
    meetings). The contact person comes first even when not ticked in the team."""
    people = list(booth.team.filter(anonymised_at__isnull=True)
                  .order_by("last_name", "first_name"))
    if booth.contact_id and booth.contact_id not in {c.pk for c in people} \
            and booth.contact.anonymised_at is None:
        people.insert(0, booth.contact)
    ids = [c.pk for c in people]
    titles = dict(booth.organisation.affiliations.filter(contact_id__in=ids)
                  .values_list("contact_id", "title"))
    profiles = {p.contact_id: p for p in Participant.objects.filter(fair_id=booth.fair_id,
                                                                     contact_id__in=ids)}
    return [{"contact": c, "title": titles.get(c.pk, ""), "participant": profiles.get(c.pk)}
            for c in people]


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


def companies_of(participant):
    """The companies a participant speaks for: their profile's and their current ones."""
    from alliage.members.models import Affiliation

    ids = set(Affiliation.objects.filter(contact_id=participant.contact_id,
                                         ended_on__isnull=True)
              .values_list("organisation_id", flat=True))
    return ids | ({participant.organisation_id} if participant.organisation_id else set())


def _other_companies(people, companies):
    from alliage.members.models import Affiliation

    return people.exclude(organisation_id__in=companies).exclude(
        contact_id__in=Affiliation.objects.filter(organisation_id__in=companies,
                                                  ended_on__isnull=True).values("contact_id"))


def colleagues(a, b):
    """Whether two participants work for one company (B2B meetings are between companies)."""
    return bool(companies_of(a) & companies_of(b))


def participants_to_meet(fair, me, query="", *, hidden=False):
    """The fair's other participants; ``hidden``: those marked "no thanks" instead."""
    people = (Participant.objects.filter(fair=fair).exclude(pk=me.pk)
              .select_related("contact", "organisation"))
    mine = companies_of(me)                 # B2B: other companies' people, not colleagues
    people = _other_companies(people, mine)
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
            r.placed_at = fair.slot_times(r.placed.slot)[0] if r.placed else None
            r.begun = r.placed is not None and r.placed.slot < fair.slots_started()
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


def suggestions(fair, me, *, user=None, limit=8):
    """Whom to meet, ranked and explained. Two sources, no ranking of our own:

    - symbiosis: the fair's participants whose company has a published stream that the
      symbiosis matching engine matched with one of ``me``'s company's (current matches;
      only streams ``user`` may see by name — never an anonymous or staff-only listing);
    - the showcase's supplier finder for what ``me`` looks for (same search, same reasons:
      products, capabilities, sectors).

    People with a symbiosis match come first (a concrete flow to exchange), by the engine's
    score, then the finder's ranking. [{participant, score, reasons: [(label, text)]}]."""
    people = (Participant.objects.filter(fair=fair).exclude(pk=me.pk)
              .exclude(pk__in=me.not_interested.values("pk"))
              .exclude(organisation__isnull=True).select_related("contact", "organisation"))
    people = _other_companies(people, companies_of(me))
    found = {}                  # organisation id -> (symbiosis score, finder score, reasons)
    for org_id, score, reason in _symbiosis_reasons(fair, me, user):
        sym, fin, reasons = found.get(org_id, (0.0, 0.0, []))
        found[org_id] = (max(sym, score), fin, reasons + [reason])
    if me.seeks.strip():
        from alliage.showcase.selectors import find_suppliers

        rows, _corrected = find_suppliers(me.seeks[:300], limit=60)
        for row in rows:
            sym, _fin, reasons = found.get(row["organisation"].pk, (0.0, 0.0, []))
            found[row["organisation"].pk] = (sym, row["score"], reasons + row["reasons"][:3])
    out = [{"participant": p, "score": found[p.organisation_id][:2],
            "reasons": found[p.organisation_id][2][:4]}
           for p in people.filter(organisation_id__in=list(found))]
    out.sort(key=lambda x: (-x["score"][0], -x["score"][1], x["participant"].pk))
    return out[:limit]


def _symbiosis_reasons(fair, me, user):
    """(organisation id, score, (label, text)) for each current symbiosis match between a
    published stream of ``me``'s company and a published, named one of another company
    taking part in the fair's meetings."""
    if not me.organisation_id:
        return []
    from alliage.symbiosis.models import Confidentiality, Stream
    from alliage.symbiosis.selectors import visible_streams
    from alliage.symbiosis.services import matches_for

    others = set(Participant.objects.filter(fair=fair).exclude(organisation__isnull=True)
                 .exclude(organisation_id=me.organisation_id)
                 .values_list("organisation_id", flat=True))
    if not others:
        return []
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    named = (visible_streams(user).published()
             .exclude(confidentiality__in=[Confidentiality.ANONYMOUS, Confidentiality.STAFF])
             .filter(organisation_id__in=others).values("pk"))
    mine = Stream.objects.published().filter(organisation_id=me.organisation_id).values("pk")
    matches = matches_for(None, staff=False).filter(
        Q(offer__in=mine, need__in=named) | Q(need__in=mine, offer__in=named)
    ).select_related("offer", "need").prefetch_related("introductions")[:200]
    label = _("Industrial symbiosis")
    out = []
    for m in matches:
        if m.offer.organisation_id == me.organisation_id:
            text = _("your offer “%(mine)s” meets their need “%(theirs)s” (%(score)s %%)")
            org_id, mine_title, theirs_title = m.need.organisation_id, m.offer.title, \
                m.need.title
        else:
            text = _("their offer “%(theirs)s” meets your need “%(mine)s” (%(score)s %%)")
            org_id, mine_title, theirs_title = m.offer.organisation_id, m.need.title, \
                m.offer.title
        out.append((org_id, m.score, (label, text % {
            "mine": mine_title, "theirs": theirs_title,
            "score": m.score_for(staff=False)})))
    return out


def bookmarked(fair, user):
    """The booths the viewer keeps in their list (published ones)."""
    if not getattr(user, "is_authenticated", False) or not user.contact_id:
        return Booth.objects.none()
    return (fair.booths.published().filter(bookmarks__contact_id=user.contact_id)
            .select_related("organisation", "pavilion"))
