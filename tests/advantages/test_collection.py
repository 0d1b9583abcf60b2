"""Shared collection: the visiting order is optimised and never longer than the entry order;
weights recorded by the collector give the tonnes per member."""

import random
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from alliage.advantages import collection, route, selectors
from alliage.advantages.models import CollectionRound
from alliage.members.models import Organisation

DEPOT = (48.428, -71.068)  # Chicoutimi


@pytest.mark.parametrize("seed", range(12))
def test_optimised_order_is_never_longer_than_the_entry_order(seed):
    rng = random.Random(seed)
    stops = [(48.2 + rng.random() * 0.8, -72.3 + rng.random() * 1.4)
             for _ in range(rng.randint(1, 25))]
    plan = route.optimise(DEPOT, stops, seconds=0.2)
    assert sorted(plan.order) == list(range(len(stops)))
    dist = route.matrix([DEPOT, *stops])
    assert plan.metres == route.tour_length(dist, [i + 1 for i in plan.order])
    assert plan.metres <= plan.entry_metres


def test_an_already_best_entry_order_is_kept():
    # Points along a line going out: the entry order is optimal.
    stops = [(48.43 + 0.01 * i, -71.068) for i in range(1, 6)]
    plan = route.optimise(DEPOT, stops, seconds=0.2)
    assert plan.metres == plan.entry_metres


def test_a_zigzag_entry_order_is_improved_by_the_solver():
    stops = [(48.43 + 0.01 * i, -71.068) for i in (5, 1, 4, 2, 3)]
    plan = route.optimise(DEPOT, stops, seconds=0.3)
    assert plan.solver == "ortools" and plan.metres < plan.entry_metres


def test_staff_plan_a_round_then_weights_give_tonnes_per_member(cast):
    acme_sub = collection.subscription_set(organisation=cast.acme, material="cardboard",
                                           estimated_kg=300, actor=cast.alice)
    rival_sub = collection.subscription_set(organisation=cast.rival, material="cardboard",
                                            estimated_kg=120, actor=cast.carol)
    rnd = collection.round_plan(date=date(2026, 4, 2), material="cardboard",
                                subscriptions=[acme_sub, rival_sub], actor=cast.sam,
                                seconds=0.2)
    assert rnd.planned_km <= rnd.entry_km and rnd.stops.count() == 2
    stops = {s.organisation_id: s for s in rnd.stops.all()}
    collection.weights_record(round=rnd, weights={stops[cast.acme.pk].pk: Decimal("812.5")},
                              actor=cast.sam)
    rnd.refresh_from_db()
    assert rnd.status == CollectionRound.Status.PLANNED
    collection.weights_record(round=rnd, weights={stops[cast.rival.pk].pk: Decimal("187.5")},
                              actor=cast.sam)
    rnd.refresh_from_db()
    assert rnd.status == CollectionRound.Status.DONE
    assert selectors.tonnes_by_company() == {cast.acme.pk: Decimal("0.8125"),
                                             cast.rival.pk: Decimal("0.1875")}
    with pytest.raises(ValidationError):
        collection.weights_record(round=rnd, weights={stops[cast.acme.pk].pk: Decimal(-1)},
                                  actor=cast.sam)


def test_a_company_without_any_place_is_named_when_planning(cast):
    nowhere = Organisation.objects.create(legal_name="Sans adresse", slug="sans-adresse",
                                          member_status="active")
    sub = collection.subscription_set(organisation=nowhere, material="wood", estimated_kg=50,
                                      actor=cast.sam)
    with pytest.raises(ValidationError, match="Sans adresse"):
        collection.round_plan(date=date(2026, 4, 2), material="wood", subscriptions=[sub],
                              actor=cast.sam)


def test_leaving_the_collection_with_zero_kilograms(cast):
    collection.subscription_set(organisation=cast.acme, material="metals", estimated_kg=80,
                                actor=cast.alice)
    sub = collection.subscription_set(organisation=cast.acme, material="metals",
                                      estimated_kg=0, actor=cast.alice)
    assert sub.is_active is False
