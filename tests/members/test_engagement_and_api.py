from datetime import date

from alliage.accounts.services import api_token_create
from alliage.billing import services as billing
from alliage.members import engagement, services
from alliage.members.models import Membership, MemberStatus
from tests.conftest import login, text


def _paid(cast, org, start, end, renewal=False):
    m = Membership.objects.create(organisation=org, membership_type=cast.regular,
                                  period_start=start, period_end=end, status="approved",
                                  fee_cents=27500, is_renewal=renewal)
    services._invoice_membership(m, None)
    billing.payment_record(invoice=m.invoice, amount_cents=m.invoice.total_cents,
                           method="cheque", received_on=start)
    return m


def test_score_is_explained_part_by_part(cast):
    _paid(cast, cast.acme, date(2024, 7, 1), date(2025, 6, 30))
    _paid(cast, cast.acme, date(2025, 7, 1), date(2026, 6, 30), renewal=True)
    total, parts = engagement.score(cast.acme)
    keys = {p.key: p.points for p in parts}
    assert keys["tenure"] == 20 and keys["on_time"] == 20
    assert total == sum(keys.values())
    assert all(p.explanation for p in parts)


def test_grace_members_are_listed_at_risk_with_reasons(client, cast):
    cast.rival.member_status = MemberStatus.GRACE
    cast.rival.save()
    login(client, cast.sam)
    html = text(client.get("/gestion/a-risque/"))
    assert "Génie Rival" in html and "période de grâce" in html


def test_staff_api_lists_people_and_memberships(client, cast):
    _paid(cast, cast.acme, date(2025, 7, 1), date(2026, 6, 30))
    _token, raw = api_token_create(user=cast.sam, name="CRM")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    people = client.get(f"/api/v1/members/contacts?organisation_id={cast.acme.pk}", **auth)
    assert {p["email"] for p in people.json()} == {"alice@acme.example", "bob@acme.example"}
    memberships = client.get(f"/api/v1/members/memberships?organisation_id={cast.acme.pk}",
                             **auth).json()
    assert memberships[0]["invoice_status"] == "paid"


def test_staff_api_is_closed_to_members(client, cast):
    _token, raw = api_token_create(user=cast.alice, name="mine")
    response = client.get("/api/v1/members/contacts", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_member_admin_renews_from_their_page(client, cast):
    import time_machine

    with time_machine.travel("2026-06-10 10:00 -0400", tick=False):
        _paid(cast, cast.acme, date(2025, 7, 1), date(2026, 6, 30))
        services.refresh_organisation(cast.acme)
        login(client, cast.alice)
        page = text(client.get(f"/mon-entreprise/{cast.acme.pk}/facturation/"))
        assert "Renouveler l'adhésion" in page
        client.post(f"/mon-entreprise/{cast.acme.pk}/renouveler/")
        renewal = Membership.objects.get(organisation=cast.acme, period_start=date(2026, 7, 1))
        assert renewal.invoice.status == "issued"
        # A second click creates nothing more.
        client.post(f"/mon-entreprise/{cast.acme.pk}/renouveler/")
        assert Membership.objects.filter(organisation=cast.acme).count() == 2
