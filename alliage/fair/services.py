"""Every write of the fair: booths, visits, leads, B2B participants and meeting requests.
The schedule's writes are in ``alliage.fair.scheduling``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.core import audit
from alliage.fair.models import (
    Booth,
    BoothDocument,
    BoothVisit,
    Lead,
    Meeting,
    MeetingRequest,
    Participant,
)

BOOTH_FIELDS = ["description_fr", "description_en", "products", "capabilities", "video_url",
                "room_url", "opening_hours", "contact", "published"]


def consent_wording(booth):
    """The words a visitor agrees to when leaving their card (stored with the lead)."""
    return _("I agree that %(company)s receives my name, email, phone and company, and "
             "contacts me about this fair's offer.") % {"company": booth.organisation
                                                       .display_name}


@transaction.atomic
def booth_save(*, booth, changes, actor):
    """Save the exhibitor's edit of its booth; audited with what changed.

    ``changes["team"]`` (when given) is the booth's whole team: people of the exhibitor
    only (anyone else is refused and nothing is saved)."""
    before = audit.snapshot(Booth.objects.get(pk=booth.pk), BOOTH_FIELDS)
    team_before = sorted(c.full_name for c in booth.team.all())
    for name, value in changes.items():
        if name in BOOTH_FIELDS:
            setattr(booth, name, value)
    booth.full_clean()
    booth.save()
    diff = audit.diff(before, audit.snapshot(booth, BOOTH_FIELDS))
    if "team" in changes:
        team = list(changes["team"])
        own = set(booth.organisation.affiliations.filter(ended_on__isnull=True)
                  .values_list("contact_id", flat=True))
        if any(c.pk not in own for c in team):
            raise ValidationError(_("The booth's team is made of the exhibitor's own people."))
        booth.team.set(team)
        team_after = sorted(c.full_name for c in team)
        if team_after != team_before:
            diff["team"] = [", ".join(team_before), ", ".join(team_after)]
    if diff:
        audit.record(actor=actor, action="fair.booth_edit", obj=booth, changes=diff)
    return booth


@transaction.atomic
def booth_document_add(*, booth, title, file, actor):
    """Attach a document (its metadata already stripped by the form) to a booth."""
    document = BoothDocument.objects.create(booth=booth, title=title, file=file)
    audit.record(actor=actor, action="fair.document_add", obj=booth,
                 changes={"document": title})
    return document


@transaction.atomic
def booth_document_delete(*, document, actor):
    """Remove a booth's document and its file."""
    booth, title = document.booth, document.title
    document.file.delete(save=False)
    document.delete()
    audit.record(actor=actor, action="fair.document_delete", obj=booth,
                 changes={"document": title})


def visit_record(*, booth, contact=None, today=None):
    """Count a visit: a known person once a day per booth; anonymous visits as they come
    (the view counts one per browser session)."""
    today = today or timezone.localdate()
    if contact is None:
        return BoothVisit.objects.create(booth=booth, visited_on=today)
    try:
        with transaction.atomic():
            visit, _created = BoothVisit.objects.get_or_create(
                booth=booth, contact=contact, visited_on=today)
    except IntegrityError:       # two tabs at once: the other one counted it
        visit = BoothVisit.objects.get(booth=booth, contact=contact, visited_on=today)
    return visit


@transaction.atomic
def lead_leave(*, booth, contact, consent, phone="", organisation_name="", message=""):
    """A visitor leaves their card at a booth. Without explicit consent nothing is kept.

    Leaving it again updates the card (one lead per person per booth) with a fresh consent.
    """
    if not consent:
        raise ValidationError(_("Your card is given to the exhibitor only with your "
                                "consent: tick the box to agree."))
    if contact is None or not contact.email:
        raise ValidationError(_("Your profile needs an email address to leave your card."))
    if not booth.published:
        raise ValidationError(_("This booth is closed."))
    if booth.organisation.affiliations.filter(contact=contact, ended_on__isnull=True).exists():
        raise ValidationError(_("This is your own company's booth."))
    values = {"name": contact.full_name, "email": contact.email,
              "phone": (phone or contact.phone or "")[:30],
              "organisation_name": organisation_name[:200], "message": message[:2000],
              "consent_text": consent_wording(booth), "consented_at": timezone.now()}
    lead, _created = Lead.objects.select_for_update().update_or_create(
        booth=booth, contact=contact, defaults=values)
    return lead


@transaction.atomic
def lead_note(*, lead, notes, actor):
    """The exhibitor's own notes on a lead."""
    lead.notes = notes[:4000]
    lead.save(update_fields=["notes"])
    return lead


def bookmark_toggle(*, booth, contact):
    """Keep a booth in one's list, or drop it; True when it is now kept."""
    from alliage.fair.models import Bookmark

    deleted, _rows = Bookmark.objects.filter(booth=booth, contact=contact).delete()
    if deleted:
        return False
    Bookmark.objects.get_or_create(booth=booth, contact=contact)
    return True


def not_interested_toggle(*, participant, other):
    """"No thanks": hide ``other`` from one's people list and suggestions, or show again."""
    if other.fair_id != participant.fair_id or other.pk == participant.pk:
        raise PermissionDenied
    if participant.not_interested.filter(pk=other.pk).exists():
        participant.not_interested.remove(other)
        return False
    participant.not_interested.add(other)
    return True


# --- B2B matchmaking -------------------------------------------------------------------

def meetings_open(fair):
    """Refuse any change to the B2B meetings once the fair is over (what was held stays as
    it was: the agenda, the figures and the no-shows marked)."""
    if fair.is_over():
        raise ValidationError(_("The fair is over: its B2B meetings can no longer change."))


def _valid_busy(fair, slots):
    count = fair.slot_count
    return sorted({int(s) for s in slots if 0 <= int(s) < count})


@transaction.atomic
def participant_save(*, fair, contact, organisation=None, offers="", seeks="",
                     busy_slots=()):
    """Join the fair's B2B meetings or update one's profile and availability.

    Marking oneself busy in a slot where a meeting is already placed is refused (cancel or
    ask the organiser to re-run the schedule first)."""
    if contact is None:
        raise PermissionDenied
    from alliage.fair.selectors import is_registered

    if not Participant.objects.filter(fair=fair, contact=contact).exists() \
            and not is_registered(fair, contact):
        raise ValidationError(_("Register for the fair first: its B2B meetings are for its "
                                "registered participants."))
    meetings_open(fair)
    participant, _created = Participant.objects.select_for_update().get_or_create(
        fair=fair, contact=contact, defaults={"organisation": organisation})
    busy = _valid_busy(fair, busy_slots)
    placed = set(participant.seats.values_list("slot", flat=True))
    clash = placed & set(busy)
    if clash:
        raise ValidationError(_("You have a meeting in a slot you marked unavailable: "
                                "cancel the meeting first."))
    participant.organisation = organisation or participant.organisation
    participant.offers, participant.seeks = offers[:2000], seeks[:2000]
    participant.busy_slots = busy
    participant.save()
    return participant


@transaction.atomic
def meeting_request_create(*, fair, requester, recipient, reason, must_meet=False):
    """Ask another participant of the same fair for a meeting, with a reason."""
    if recipient.fair_id != fair.pk or requester.fair_id != fair.pk:
        raise PermissionDenied
    meetings_open(fair)
    if recipient.pk == requester.pk:
        raise ValidationError(_("You cannot ask yourself for a meeting."))
    from alliage.fair.selectors import colleagues

    if colleagues(requester, recipient):
        raise ValidationError(_("B2B meetings are between companies: meet your colleague "
                                "without booking a table."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say in a few words why you want to meet."))
    existing = MeetingRequest.objects.filter(
        requester__in=[requester, recipient], recipient__in=[requester, recipient]).exclude(
        status=MeetingRequest.Status.CANCELLED).first()
    if existing is not None:
        raise ValidationError(_("A meeting request between you two already exists."))
    MeetingRequest.objects.filter(requester=requester, recipient=recipient).delete()
    return MeetingRequest.objects.create(fair=fair, requester=requester, recipient=recipient,
                                         reason=reason[:1000], must_meet=bool(must_meet))


@transaction.atomic
def meeting_request_answer(*, request, participant, accept):
    """The recipient accepts or declines a pending request."""
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if request.recipient_id != participant.pk:
        raise PermissionDenied
    meetings_open(request.fair)
    if request.status != MeetingRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    request.status = MeetingRequest.Status.ACCEPTED if accept else \
        MeetingRequest.Status.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    return request


@transaction.atomic
def meeting_request_cancel(*, request, participant):
    """Either side withdraws: the request is cancelled and its meeting, if placed, freed."""
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if participant.pk not in (request.requester_id, request.recipient_id):
        raise PermissionDenied
    meetings_open(request.fair)
    if request.status in (MeetingRequest.Status.CANCELLED, MeetingRequest.Status.DECLINED):
        raise ValidationError(_("This request is no longer active."))
    meeting = Meeting.objects.filter(request=request).first()
    if meeting is not None and meeting.slot < request.fair.slots_started():
        # Under way or held (maybe marked no-show): it stays in the agenda and the figures.
        raise ValidationError(_("This meeting has begun: it can no longer be cancelled."))
    Meeting.objects.filter(request=request).delete()
    request.status = MeetingRequest.Status.CANCELLED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    return request


@transaction.atomic
def meeting_self_place(*, request, participant, slot):
    """Either side of an accepted request picks a slot where both are free: the meeting is
    placed at the lowest free table, and the organiser's runs leave it there. The fair row
    is locked so two people choosing at once never get one table."""
    from alliage.fair.models import Fair, MeetingSeat

    fair = Fair.objects.select_for_update().get(pk=request.fair_id)
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if participant.pk not in (request.requester_id, request.recipient_id):
        raise PermissionDenied
    meetings_open(fair)
    if request.status != MeetingRequest.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted request gets a slot."))
    if Meeting.objects.filter(request=request).exists():
        raise ValidationError(_("This meeting already has its slot."))
    if slot not in free_slots(fair, request):
        raise ValidationError(_("This slot is no longer free for both of you."))
    used = set(Meeting.objects.filter(fair=fair, slot=slot).values_list("table", flat=True))
    table = next(t for t in range(1, fair.tables + 1) if t not in used)
    meeting = Meeting.objects.create(fair=fair, request=request, slot=slot, table=table,
                                     self_picked=True)
    MeetingSeat.objects.bulk_create([
        MeetingSeat(meeting=meeting, participant_id=request.requester_id, slot=slot),
        MeetingSeat(meeting=meeting, participant_id=request.recipient_id, slot=slot)])
    return meeting


def free_slots(fair, request):
    """The slots where both people of ``request`` are free and a table is left."""
    from alliage.fair.models import MeetingSeat

    people = Participant.objects.filter(pk__in=[request.requester_id, request.recipient_id])
    busy = set()
    for p in people:
        busy |= set(p.busy_slots or [])
    busy |= set(MeetingSeat.objects.filter(participant__in=people)
                .values_list("slot", flat=True))
    full = {slot for slot, n in _tables_used(fair).items() if n >= fair.tables}
    return [s for s in range(fair.slot_count) if s not in busy and s not in full]


def _tables_used(fair):
    from django.db.models import Count

    return dict(Meeting.objects.filter(fair=fair).values("slot").annotate(n=Count("pk"))
                .values_list("slot", "n"))


@transaction.atomic
def meeting_no_show(*, meeting, no_show, actor):
    """Staff mark a meeting as not held (or held after all)."""
    meeting.no_show = bool(no_show)
    meeting.save(update_fields=["no_show"])
    audit.record(actor=actor, action="fair.no_show", obj=meeting.request,
                 changes={"no_show": meeting.no_show})
    return meeting


@transaction.atomic
def booth_create(*, fair, pavilion, organisation, actor):
    """Staff give an exhibitor a booth in a pavilion (one booth per exhibitor per fair)."""
    if pavilion.fair_id != fair.pk:
        raise ValidationError(_("This pavilion is not part of this fair."))
    if Booth.objects.filter(fair=fair, organisation=organisation).exists():
        raise ValidationError(_("This company already has a booth at this fair."))
    booth = Booth.objects.create(fair=fair, pavilion=pavilion, organisation=organisation)
    audit.record(actor=actor, action="fair.booth_create", obj=booth,
                 changes={"pavilion": pavilion.name_fr})
    return booth


@transaction.atomic
def fair_save(*, fair, pavilions, actor):
    """Save a fair and its pavilions ([(French, English)] in order) all or nothing.

    Pavilions are matched by their French name's slug; one that holds booths and is no
    longer listed is refused (its booths would have nowhere to go)."""
    from django.utils.text import slugify

    from alliage.fair.models import Pavilion

    created = fair.pk is None
    fair.full_clean()
    fair.save()
    wanted = {}
    for position, (fr, en) in enumerate(pavilions):
        slug = slugify(fr)[:120] or f"pavillon-{position + 1}"
        wanted.setdefault(slug, (fr, en, position))
    for pav in fair.pavilions.all():
        if pav.slug not in wanted:
            if pav.booths.exists():
                raise ValidationError(_("The pavilion %(name)s holds booths: move them before "
                                        "removing it.") % {"name": pav.name_fr})
            pav.delete()
    for slug, (fr, en, position) in wanted.items():
        Pavilion.objects.update_or_create(fair=fair, slug=slug, defaults={
            "name_fr": fr, "name_en": en, "position": position})
    audit.record(actor=actor, action="fair.create" if created else "fair.edit", obj=fair,
                 changes={"pavilions": [fr for fr, _en in pavilions]})
    return fair


@transaction.atomic
def booth_invoice(*, booth, price_cents, actor):
    """Bill the booth's rental to its exhibitor (once): an issued invoice with Québec taxes
    (``billing.invoice_create``)."""
    from alliage.billing import services as billing

    booth = Booth.objects.select_for_update().select_related("fair", "organisation").get(
        pk=booth.pk)
    if booth.invoice_id:
        raise ValidationError(_("This booth's rental is already billed."))
    if price_cents <= 0:
        raise ValidationError(_("Give the rental price."))
    booth.price_cents = price_cents
    booth.invoice = billing.invoice_create(
        organisation=booth.organisation, actor=actor, source=f"fair-booth:{booth.pk}",
        lines=[billing.Line(_("Booth rental — %(fair)s") % {"fair": booth.fair.title_fr},
                            price_cents)])
    booth.save(update_fields=["price_cents", "invoice"])
    audit.record(actor=actor, action="fair.booth_invoice", obj=booth,
                 changes={"invoice": booth.invoice.number, "price_cents": price_cents})
    return booth
