"""Figures for the yearly report, the CRM timeline and engagement score, Law 25 export and
erasure, industrial visits listed among advantages, the "Mes avantages" page."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import time_machine
from django.utils import timezone

from alliage.advantages import collection, pooling, purchasing, services, stats
from alliage.advantages.models import Advantage, Booking, DiscountClaim
from tests.advantages.conftest import make_pae, make_purchase, make_resource
from tests.conftest import login, text


def _year_of_use(cast):
    pae = make_pae()
    services.enrolment_create(advantage=pae, organisation=cast.acme, employees=45,
                              actor=cast.alice, on=date(2026, 2, 1))
    services.usage_report_save(advantage=pae, year=2026, quarter=1, sessions=9, hours=12,
                               actor=cast.sam)
    purchase = make_purchase(deadline=timezone.make_aware(datetime(2026, 3, 31, 17)))
    with time_machine.travel(datetime(2026, 3, 1, 12, tzinfo=timezone.get_current_timezone()),
                             tick=False):
        purchasing.pledge_set(purchase=purchase, organisation=cast.acme, quantity=400,
                              actor=cast.alice)
        purchasing.pledge_set(purchase=purchase, organisation=cast.rival, quantity=150,
                              actor=cast.carol)
    purchasing.purchase_close(purchase=purchase, now=purchase.deadline)
    sub = collection.subscription_set(organisation=cast.acme, material="pallets",
                                      estimated_kg=500, actor=cast.alice)
    rnd = collection.round_plan(date=date(2026, 5, 5), material="pallets", subscriptions=[sub],
                                actor=cast.sam)
    collection.weights_record(round=rnd, weights={rnd.stops.get().pk: Decimal("1250")},
                              actor=cast.sam)
    start = timezone.make_aware(datetime(2026, 6, 2, 8))
    Booking.objects.create(resource=make_resource(), organisation=cast.rival,
                           starts_at=start, ends_at=start + timedelta(hours=3),
                           status=Booking.Status.APPROVED)
    return pae, purchase


def test_yearly_figures_give_uptake_savings_and_tonnes(cast):
    _year_of_use(cast)
    figures = stats.yearly(2026)
    assert figures["companies_using_advantages"] == 2
    assert figures["enrolments"] == 1 and figures["employees_covered"] == 45
    assert figures["enrolment_revenue_cents"] == 202500 and figures["plan_sessions"] == 9
    assert figures["group_purchases_closed"] == 1
    assert figures["savings_cents"] == 550 * 250  # 550 pairs at 7,50 instead of 10,00
    assert figures["savings_by_member"][0] == {"organisation": cast.acme.legal_name,
                                               "cents": 400 * 250}
    assert figures["tonnes_recovered"] == Decimal("1.250")
    assert figures["tonnes_by_member"] == [{"organisation": cast.acme.legal_name,
                                            "tonnes": Decimal("1.250")}]
    assert figures["bookings"] == 1 and figures["hours_booked"] == 3.0
    assert figures["collection_tonnes_by_material"] == {"pallets": Decimal("1.250")}
    assert stats.yearly(2025)["savings_cents"] == 0
    assert stats.by_program()[0]["employees"] == 45


def test_collected_tonnes_count_the_co2e_avoided_with_the_cited_factors(cast):
    from alliage.symbiosis.seed import seed_factors

    seed_factors()
    _year_of_use(cast)
    # 1.25 t of pallets: landfill 467 + virgin wood 313 kg CO2e per tonne.
    assert stats.yearly(2026)["collection_co2e_t"] == Decimal("0.98")


def test_advantages_reach_the_crm_timeline_and_the_engagement_score(cast):
    from alliage.members import engagement
    from alliage.members.timeline import timeline_for

    _year_of_use(cast)
    texts = [e.text for e in timeline_for(cast.acme) if e.kind == "advantage"]
    assert any("45" in t for t in texts) and any("400" in t for t in texts)
    assert any("1250" in t for t in texts)
    assert "advantages" in {p.key for p in engagement.score(cast.acme)[1]}


def test_discount_claims_are_exported_and_unlinked_on_erasure(cast):
    from alliage.members import privacy

    d = Advantage.objects.create(kind="discount", slug="rabais", name_fr="Rabais bureau",
                                 provider="Bureau Plus")
    services.discount_claim(advantage=d, organisation=cast.acme, contact=cast.bob.contact)
    export = privacy.person_export(cast.bob.contact)
    assert export["advantage_claims"][0]["advantage"] == "Rabais bureau"
    privacy.anonymise(cast.bob.contact, actor=cast.sam)
    claim = DiscountClaim.objects.get()
    assert claim.contact is None and claim.organisation == cast.acme  # still counted


def test_booking_notes_are_exported_and_erased_with_the_person(cast):
    from alliage.members import privacy

    start = timezone.now() + timedelta(days=3)
    pooling.booking_request(resource=make_resource(), organisation=cast.acme, starts_at=start,
                            ends_at=start + timedelta(hours=1), actor=cast.alice,
                            note="Appeler Alice au 418-555-0101")
    export = privacy.person_export(cast.alice.contact)
    assert export["advantage_actions"]["bookings"][0]["note"].startswith("Appeler")
    privacy.anonymise(cast.alice.contact, actor=cast.sam)
    assert Booking.objects.get().note == ""


def test_industrial_visits_are_listed_among_advantages(client, cast):
    from tests.events.conftest import make_event

    make_event(slug="visite-usine", kind="visit", title_fr="Visite de l'aluminerie")
    make_event(slug="golf", kind="golf", title_fr="Tournoi de golf")
    page = text(client.get("/avantages/"))
    assert "Visite de l'aluminerie" in page and "Tournoi de golf" not in page


def test_my_advantages_lists_what_the_company_uses_and_saves(client, cast):
    _year_of_use(cast)
    login(client, cast.alice)
    page = text(client.get(f"/mon-entreprise/{cast.acme.pk}/avantages/"))
    assert "Programme d'aide aux employés" in page
    assert "1\u00a0000,00" in page  # 400 pairs × 2,50 saved
    assert "1,25" in page  # tonnes recovered


def test_the_demo_seed_is_idempotent_and_feeds_the_figures(cast):
    from alliage.advantages import seed
    from alliage.advantages.models import Enrolment, GroupPurchase

    first = seed.seed()
    counts = (Enrolment.objects.count(), GroupPurchase.objects.count(), Booking.objects.count())
    assert seed.seed() == first
    assert counts == (Enrolment.objects.count(), GroupPurchase.objects.count(),
                      Booking.objects.count())
    assert counts[0] == 2 and counts[1] == 2  # the cast's two members
    assert stats.yearly(timezone.localdate().year)["plan_sessions"] == 93


def test_the_engagement_batch_counts_what_the_part_counts(cast):
    from alliage.advantages import hooks
    from alliage.members import engagement

    _year_of_use(cast)
    today = timezone.localdate()
    one_by_one = {o.pk: hooks._programs_used(o, today) for o in (cast.acme, cast.rival)}
    batched = engagement.prefetch([cast.acme, cast.rival], today)
    assert {o.pk: o._engagement_counts["advantages"] for o in batched} == one_by_one
    assert one_by_one[cast.acme.pk] == 3  # the PAE, a pledge, the collection
