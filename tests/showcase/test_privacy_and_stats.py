"""A buyer's requests in their Law 25 export and erasure, the retention rule, and the
showcase's yearly figures for the activity report (issue #18)."""

from datetime import timedelta

from django.utils import timezone

from alliage.core import privacy as registry
from alliage.members import privacy
from alliage.showcase import services, stats
from alliage.showcase.models import QuoteRequest


def _visitor_request(cast, email, **extra):
    return services.quote_request_create(
        data={"title": "Palettes", "description": f"Appelez {extra.get('name', 'Bob Gagnon')}",
              "buyer_name": "Bob Gagnon", "buyer_email": email, "buyer_phone": "418-555-0199"},
        suppliers=[cast.acme])


def test_a_buyers_confirmed_requests_are_in_their_export_and_erased_with_them(cast, region):
    mine = _visitor_request(cast, "BOB@acme.example")
    services.quote_request_verify(quote_request=mine)
    typed_by_someone = _visitor_request(cast, "bob@acme.example")     # never confirmed
    data = privacy.person_export(cast.bob.contact, self_service=True)
    assert [r["title"] for r in data["quote_requests"]] == ["Palettes"]
    assert len(data["quote_requests"]) == 1
    privacy.anonymise(cast.bob.contact)
    for rfq in (mine, typed_by_someone):
        rfq.refresh_from_db()
        assert rfq.anonymised_at is not None
        assert "bob" not in rfq.buyer_email and rfq.buyer_phone == ""
        assert "Bob Gagnon" not in rfq.description


def test_buyers_are_anonymised_three_years_after_the_decision(cast, region):
    rfq = _visitor_request(cast, "nadia@acheteur.example")
    QuoteRequest.objects.filter(pk=rfq.pk).update(
        created_at=timezone.now() - timedelta(days=3 * 365 + 2))
    recent = _visitor_request(cast, "zoe@acheteur.example")
    summary = registry.apply_retention()
    assert summary["quote_request_buyers_anonymised"] == 1
    rfq.refresh_from_db()
    recent.refresh_from_db()
    assert rfq.buyer_name == "—" and recent.buyer_name == "Bob Gagnon"


def test_yearly_figures_count_requests_answers_speed_and_local_wins(cast, region):
    rfq = services.quote_request_create(
        data={"title": "Réservoir", "description": "Inox", "buyer_name": "Carol",
              "buyer_email": cast.carol.email},
        suppliers=[cast.acme, region.welder, region.pallets], buyer_user=cast.carol,
        buyer_organisation=cast.rival)
    sent = rfq.sent_at
    win = services.quote_answer(quote=rfq.quotes.get(organisation=cast.acme),
                                price_cents=250_000, taxable=True, delay_days=5,
                                actor=cast.alice)
    services.quote_decline(quote=rfq.quotes.get(organisation=region.pallets), actor=None)
    rfq.quotes.filter(pk=win.pk).update(answered_at=sent + timedelta(hours=6))
    services.quote_award(quote_request=rfq, quote=win)
    figures = stats.yearly(timezone.localdate().year)
    assert figures["requests_sent"] == 1 and figures["requests_awarded"] == 1
    assert figures["suppliers_asked"] == 3
    assert figures["quotes_answered"] == 1 and figures["quotes_declined"] == 1
    assert figures["response_rate"] == round(2 / 3, 3)
    assert figures["median_response_hours"] == 6.0
    assert figures["quotes_won_locally"] == 1 and figures["won_amount_cents"] == 250_000
    assert figures["products"] == 5                     # the members' published products
    assert figures["points_of_sale"] == 1
    assert stats.yearly(2001)["requests_sent"] == 0


def test_the_staff_page_shows_volume_and_response_times(client, cast, region):
    from tests.conftest import login, text

    services.quote_request_create(
        data={"title": "Réservoir inox", "description": "Inox", "buyer_name": "Carol",
              "buyer_email": cast.carol.email},
        suppliers=[cast.acme], buyer_user=cast.carol, buyer_organisation=cast.rival)
    login(client, cast.sam)
    page = text(client.get("/gestion/vitrine/"))
    assert "Réservoir inox" in page and "0 / 1" in page
    export = client.get("/gestion/vitrine/demandes.xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxmlformats")
    assert client.get("/gestion/vitrine/demandes.pdf").status_code == 400


def test_the_demo_seed_is_idempotent(cast):
    from alliage.members.seed import seed_membership_types, seed_organisations
    from alliage.showcase import seed
    from alliage.showcase.models import PointOfSale, Product

    seed_membership_types()
    seed_organisations()
    from alliage.members.models import Organisation

    Organisation.objects.update(member_status="active")
    first = seed.seed()
    counts = (Product.objects.count(), PointOfSale.objects.count(),
              QuoteRequest.objects.count())
    assert seed.seed() == [(0, "products"), (0, "requests for quotes")]
    assert counts == (Product.objects.count(), PointOfSale.objects.count(),
                      QuoteRequest.objects.count())
    assert first[0][0] >= 10 and PointOfSale.objects.filter(organisation=None,
                                                           kind="counter").exists()
