"""Writes of the symbiosis app: publish, introductions, impacts.

Matching itself is in ``refresh`` (matches refreshed in place), run by the ``match_stream``
task: services enqueue tasks, tasks call ``refresh``; neither module imports this one."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.core import audit
from alliage.symbiosis.models import (
    ImpactFactor,
    Introduction,
    Match,
    Message,
    Stream,
    Synergy,
)
from alliage.symbiosis.refresh import match_stream_now  # noqa: F401 - part of this API
from alliage.symbiosis.tasks import match_stream


def matches_for(stream, *, staff):
    """Current matches a viewer may see: staff all; others never a staff-only counterpart.
    Stale matches are never listed (their introductions stay reachable by their pages)."""
    from django.db.models import Q

    from alliage.symbiosis.models import Confidentiality

    found = Match.objects.current()
    if stream is not None:
        field = "offer" if stream.kind == Stream.Kind.OFFER else "need"
        found = found.filter(**{field: stream})
    if not staff:
        found = found.exclude(Q(offer__confidentiality=Confidentiality.STAFF)
                              | Q(need__confidentiality=Confidentiality.STAFF))
    return found


@transaction.atomic
def stream_publish(*, stream, actor):
    if stream.status == Stream.Status.PUBLISHED and stream.expires_at:
        stream.expires_at = stream.publish_until()           # confirmation extends it
    else:
        stream.status = Stream.Status.PUBLISHED
        stream.published_at = timezone.now()
        stream.expires_at = stream.publish_until()
    stream.reminded_at = None
    stream.save()
    audit.record(actor=actor, action="symbiosis.publish", obj=stream)
    transaction.on_commit(lambda: match_stream.enqueue(stream.pk))
    return stream


def _side(introduction, user, organisation_ids):
    match = introduction.match
    if match.offer.organisation_id in organisation_ids:
        return "offer"
    if match.need.organisation_id in organisation_ids:
        return "need"
    return None


@transaction.atomic
def introduction_request(*, match, actor, organisation_ids, facilitator=False, note=""):
    """One side asks to be introduced (its acceptance is implied), or a staff facilitator
    suggests the introduction to both sides (neither has accepted yet). Names stay hidden
    until both accept."""
    side = "offer" if match.offer.organisation_id in organisation_ids else \
        "need" if match.need.organisation_id in organisation_ids else None
    if side is None and not facilitator:
        raise PermissionDenied
    note = (note or "").strip()[:4000]
    existing = match.introductions.exclude(status=Introduction.Status.DECLINED).first()
    if existing:
        return existing
    intro = Introduction.objects.create(match=match, requested_by=actor,
                                        offer_accepted=side == "offer",
                                        need_accepted=side == "need")
    audit.record(actor=actor, action="symbiosis.introduction", obj=match.offer)
    if side is None:
        if note:
            Message.objects.create(introduction=intro, author=actor, side="staff", body=note)
        for stream in (match.offer, match.need):
            _tell_other_side(intro, stream, template="introduction_suggested", note=note)
    else:
        _tell_other_side(intro, match.need if side == "offer" else match.offer)
    return intro


def _tell_other_side(intro, stream, template="introduction_requested", note=""):
    from django.conf import settings
    from django.urls import reverse

    from alliage.core.mail import queue_email
    from alliage.symbiosis.selectors import admin_contacts

    admins = admin_contacts(stream.organisation)
    for contact in admins:
        queue_email(key=f"introduction:{intro.pk}:{contact.pk}", to=contact.email,
                    template=template, language=contact.language,
                    organisation=stream.organisation,
                    context={"stream": stream, "note": note, "url": settings.SITE_URL
                             + reverse("symbiosis:introduction", args=[intro.pk])})


@transaction.atomic
def introduction_respond(*, introduction, actor, organisation_ids, accept):
    intro = Introduction.objects.select_for_update().get(pk=introduction.pk)
    side = _side(intro, actor, organisation_ids)
    if side is None:
        raise PermissionDenied
    if intro.status != Introduction.Status.REQUESTED:
        raise ValidationError(_("This introduction has already been answered."))
    if not accept:
        intro.status = Introduction.Status.DECLINED
    else:
        setattr(intro, f"{side}_accepted", True)
        if intro.revealed:
            intro.status = Introduction.Status.DISCUSSION
    intro.save()
    return intro


def message_post(*, introduction, actor, side, body):
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a message."))
    if introduction.status == Introduction.Status.DECLINED:
        raise ValidationError(_("This introduction was declined."))
    return Message.objects.create(introduction=introduction, author=actor, side=side,
                                  body=body[:4000])


def factor(key, factors=None):
    """A cited impact factor; ``factors`` ({key: value}, read once by a caller summing many
    synergies) spares a query per lookup."""
    if factors is not None:
        return factors.get(key, Decimal(0))
    found = ImpactFactor.objects.filter(key=key).first()
    return found.value if found else Decimal(0)


def all_factors():
    return dict(ImpactFactor.objects.values_list("key", "value"))


ENERGY_FACTOR = "energy-displaced"


def impacts(synergy, factors=None):
    """Tonnes diverted, energy (MWh, GJ) and water (m³) exchanged, CO2e avoided (t) and
    dollars saved per year, with the factors. Energy displaces fuel at the cited
    `energy-displaced` factor (kg CO2e per MWh); water is counted in m³ only."""
    tonnes = synergy.tonnes_per_year
    landfill = factor("landfill", factors) if synergy.landfill_avoided else Decimal(0)
    virgin = factor(synergy.replaces_virgin, factors) if synergy.replaces_virgin else Decimal(0)
    transport = factor(f"transport-{synergy.mode}", factors)
    energy = synergy.energy_mwh_per_year or Decimal(0)
    water = synergy.water_m3_per_year or Decimal(0)
    # Factors are kg CO2e per tonne (landfill, virgin) and per tonne-km (transport).
    avoided_kg = tonnes * (landfill + virgin) - tonnes * synergy.distance_km * transport \
        + energy * (factor(ENERGY_FACTOR, factors) if energy else Decimal(0))
    dollars = tonnes * (synergy.disposal_cost_per_tonne + synergy.purchase_cost_per_tonne)
    return {"tonnes": tonnes if synergy.landfill_avoided else Decimal(0),
            "energy_mwh": energy, "energy_gj": (energy * Decimal("3.6")).quantize(
                Decimal("0.1")), "water_m3": water,
            "co2e_t": (avoided_kg / 1000).quantize(Decimal("0.01")),
            "dollars": dollars.quantize(Decimal("0.01"))}


@transaction.atomic
def synergy_record(*, introduction, actor, **values):
    match = introduction.match
    synergy = Synergy.objects.create(introduction=introduction,
                                     supplier=match.offer.organisation,
                                     receiver=match.need.organisation,
                                     low_code=match.offer.low_code, **values)
    introduction.status = Introduction.Status.SYNERGY
    introduction.save(update_fields=["status"])
    audit.record(actor=actor, action="symbiosis.synergy", obj=synergy.supplier)
    return synergy


def stream_save(*, form, organisation, actor, request=None):
    """Save a stream from its form (a new one belongs to ``organisation``), audited."""
    def prepare(stream):
        if stream.pk is None:
            stream.organisation = organisation

    return audit.save_form(form, actor=actor, action="symbiosis.save", request=request,
                           prepare=prepare)


def stream_file_add(*, stream, file, caption, actor):
    """A document joined to a stream (analysis, data sheet), audited."""
    from alliage.symbiosis.models import StreamFile

    with transaction.atomic():
        item = StreamFile.objects.create(stream=stream, file=file, caption=caption)
        audit.record(actor=actor, action="symbiosis.file", obj=stream)
    return item


def characterisation_save(*, form, lines, actor, request=None):
    """Staff record a characterisation campaign with its lines (audited on the company)."""
    with transaction.atomic():
        campaign = form.save()
        lines.instance = campaign
        lines.save()
        audit.record(actor=actor, action="symbiosis.characterisation",
                     obj=campaign.organisation, request=request)
    return campaign


def needs_from_assessment(*, organisation, chosen, actor, request=None):
    """The needs-assessment questionnaire's ticked answers become draft needs of the
    company ([(field, question, title, description)]), audited; returns how many."""
    with transaction.atomic():
        for _field, _question, title, description in chosen:
            Stream.objects.create(organisation=organisation, kind=Stream.Kind.NEED,
                                  title=title, description=description)
        audit.record(actor=actor, action="symbiosis.assessment", obj=organisation,
                     request=request)
    return len(chosen)
