"""Shared selective collection: members join with estimated volumes, staff plan a round
whose visiting order the route engine optimises, the collector's weights are recorded."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliage.advantages import route
from alliage.advantages.models import CollectionRound, CollectionStop, CollectionSubscription
from alliage.core import audit

MAX_STOPS = 60
MAX_KG = 1_000_000  # per stop; the column holds 99,999,999.9 kg


@transaction.atomic
def subscription_set(*, organisation, material, estimated_kg, actor):
    """Join (or update, or with 0 kg leave) the collection of ``material``."""
    if not organisation.is_member:
        raise PermissionDenied(_("Only member companies in good standing may join."))
    sub = CollectionSubscription.objects.filter(organisation=organisation,
                                                material=material).first()
    if estimated_kg <= 0:
        if sub is not None and sub.is_active:
            sub.is_active = False
            sub.save(update_fields=["is_active"])
            audit.record(actor=actor, action="collection.leave", obj=sub)
        return sub
    if sub is None:
        sub = CollectionSubscription.objects.create(organisation=organisation, material=material,
                                                    estimated_kg=estimated_kg)
    else:
        sub.estimated_kg, sub.is_active = estimated_kg, True
        sub.save(update_fields=["estimated_kg", "is_active"])
    audit.record(actor=actor, action="collection.join", obj=sub,
                 changes={"material": material, "estimated_kg": estimated_kg})
    return sub


def depot_point():
    """Where rounds start and end: the association's town, else None (first stop)."""
    from alliage.core.models import Association, Municipality

    town = Municipality.objects.filter(name__iexact=Association.current().city).first()
    return (float(town.latitude), float(town.longitude)) if town else None


@transaction.atomic
def round_plan(*, date, material, subscriptions, actor, collector="", seconds=1.0):
    """A round visiting the companies of ``subscriptions`` (in the order given: the entry
    order), its visiting order optimised from their coordinates; never longer than the entry
    order. Companies without any coordinates are refused by name."""
    subscriptions = list(subscriptions)
    if not subscriptions:
        raise ValidationError(_("Choose at least one company."))
    if len(subscriptions) > MAX_STOPS:
        raise ValidationError(ngettext("A round visits at most %(n)s company.",
                                       "A round visits at most %(n)s companies.",
                                       MAX_STOPS) % {"n": MAX_STOPS})
    points, missing = [], []
    for sub in subscriptions:
        point = sub.organisation.map_point
        if point is None:
            missing.append(sub.organisation.display_name)
        points.append(point)
    if missing:
        raise ValidationError(_("No address on the map for: %(names)s.")
                              % {"names": ", ".join(missing)})
    depot = depot_point() or points[0]
    plan = route.optimise(depot, points, seconds=seconds)
    rnd = CollectionRound.objects.create(
        date=date, material=material, collector=collector, solver=plan.solver,
        entry_km=Decimal(plan.entry_metres) / 1000, planned_km=Decimal(plan.metres) / 1000)
    position = {stop: i for i, stop in enumerate(plan.order)}
    CollectionStop.objects.bulk_create([
        CollectionStop(round=rnd, organisation=sub.organisation, entry_position=i,
                       position=position[i], estimated_kg=sub.estimated_kg)
        for i, sub in enumerate(subscriptions)])
    audit.record(actor=actor, action="collection.plan", obj=rnd,
                 changes={"stops": len(subscriptions), "km": str(rnd.planned_km),
                          "entry_km": str(rnd.entry_km), "solver": plan.solver})
    return rnd


@transaction.atomic
def weights_record(*, round, weights, actor):
    """The collector's weights ({stop id: kg or None}); the round is done once every stop
    has one. Weights of a done round may still be corrected (audited)."""
    stops = {s.pk: s for s in round.stops.select_for_update()}
    changed = {}
    for pk, kg in weights.items():
        stop = stops.get(pk)
        if stop is None:
            continue
        if kg is not None and kg < 0:
            raise ValidationError(_("A weight cannot be negative."))
        if kg is not None and kg > MAX_KG:
            raise ValidationError(_("A weight above 1,000,000 kg at one stop is surely a typo."))
        if stop.weight_kg != kg:
            changed[stop.organisation_id] = [str(stop.weight_kg), str(kg)]
            stop.weight_kg = kg
            stop.weighed_at = timezone.now() if kg is not None else None
            stop.save(update_fields=["weight_kg", "weighed_at"])
    done = all(s.weight_kg is not None for s in stops.values())
    status = CollectionRound.Status.DONE if done else CollectionRound.Status.PLANNED
    if round.status != status:
        round.status = status
        round.save(update_fields=["status"])
    if changed:
        audit.record(actor=actor, action="collection.weights", obj=round, changes=changed)
    return round
