"""The advantages API: a public catalogue, group purchases for members, pledging through
the page's service (409 once closed)."""

from datetime import timedelta

from django.utils import timezone

from tests.advantages.conftest import make_pae, make_purchase
from tests.conftest import login


def test_the_catalogue_is_public(client, cast):
    make_pae()
    data = client.get("/api/v1/advantages/").json()
    assert data[0]["slug"] == "pae" and data[0]["hours_child"] == 5


def test_members_see_purchases_and_an_admin_pledges_through_the_service(client, cast):
    purchase = make_purchase()
    assert client.get("/api/v1/advantages/purchases").status_code == 401
    login(client, cast.dan)
    assert client.get("/api/v1/advantages/purchases").status_code == 403
    login(client, cast.alice)
    put = client.put(f"/api/v1/advantages/purchases/{purchase.slug}/pledge",
                     {"quantity": 120}, content_type="application/json")
    assert put.status_code == 200
    body = put.json()
    assert body["my_quantity"] == 120 and body["progress"]["unit_price_cents"] == 900
    assert body["progress"]["next"]["missing"] == 380
    login(client, cast.bob)  # a plain member contact reads but cannot pledge
    assert client.get("/api/v1/advantages/purchases").json()[0]["progress"]["total"] == 120
    assert client.put(f"/api/v1/advantages/purchases/{purchase.slug}/pledge",
                      {"quantity": 5}, content_type="application/json").status_code == 403


def test_a_late_pledge_is_a_409_and_bad_input_a_422(client, cast):
    late = make_purchase(slug="tard", deadline=timezone.now() - timedelta(minutes=1))
    login(client, cast.alice)
    response = client.put(f"/api/v1/advantages/purchases/{late.slug}/pledge",
                          {"quantity": 5}, content_type="application/json")
    assert response.status_code == 409 and response.json()["error"]["message"]
    assert client.put(f"/api/v1/advantages/purchases/{late.slug}/pledge",
                      {"quantity": -1}, content_type="application/json").status_code == 422
    assert client.put("/api/v1/advantages/purchases/inconnu/pledge",
                      {"quantity": 1}, content_type="application/json").status_code == 404
