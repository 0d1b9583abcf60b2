"""Issue #13: the API covers events, registrations and invoices with the pages' rules.

Registering through the API runs the event page's service (members-only rules, capacity lock,
invoice); invoices are a company admin's own (staff: all); symbiosis streams are published
through the API as from their page.
"""

import json
import threading

import pytest
from django.db import connection

from alliage.accounts.models import ApiToken
from alliage.accounts.services import api_token_create
from alliage.billing import services as billing
from alliage.events.models import Registration
from alliage.symbiosis.models import Stream
from tests.events.conftest import make_event


def bearer(user, scope=ApiToken.Scope.WRITE):
    _token, raw = api_token_create(user=user, name="api", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def events(cast):
    return make_event(slug="public-event"), make_event(slug="members-event", members_only=True)


def _post(client, path, data, headers):
    return client.post(path, json.dumps(data), content_type="application/json", **headers)


def test_the_calendar_shows_members_only_events_to_members_only(client, cast, events):
    public = [e["slug"] for e in client.get("/api/v1/events/").json()]
    assert public == ["public-event"]
    member = [e["slug"] for e in client.get("/api/v1/events/", **bearer(cast.bob)).json()]
    assert sorted(member) == ["members-event", "public-event"]
    assert client.get("/api/v1/events/members-event").status_code == 404
    detail = client.get("/api/v1/events/public-event").json()
    assert detail["seats_left"] == 3 and detail["tickets"][0]["public_price_cents"] == 6000
    assert detail["registration_open"] is True


def test_a_member_registers_through_the_api_like_on_the_page(client, cast, events):
    ticket = events[0].ticket_types.get().pk
    response = _post(client, "/api/v1/events/public-event/registrations",
                     {"ticket_type_id": ticket}, bearer(cast.bob))
    assert response.status_code == 201, response.content
    body = response.json()
    assert [r["person"] for r in body["registrations"]] == ["Bob Gagnon"]
    assert body["registrations"][0]["price_cents"] == 4000  # Acme is a member
    assert body["invoice_id"] is not None
    again = _post(client, "/api/v1/events/public-event/registrations",
                  {"ticket_type_id": ticket}, bearer(cast.bob))
    assert again.status_code == 422
    assert "Bob Gagnon" in json.dumps(again.json()["error"], ensure_ascii=False)


def test_a_company_admin_registers_colleagues_but_no_one_elses(client, cast, events):
    ticket = events[0].ticket_types.get().pk
    refused = _post(client, "/api/v1/events/public-event/registrations",
                    {"ticket_type_id": ticket, "colleague_ids": [cast.carol.contact_id]},
                    bearer(cast.alice))
    assert refused.status_code == 422 and not Registration.objects.exists()
    ok = _post(client, "/api/v1/events/public-event/registrations",
               {"ticket_type_id": ticket, "colleague_ids": [cast.bob.contact_id]},
               bearer(cast.alice))
    assert ok.status_code == 201
    assert {r["person"] for r in ok.json()["registrations"]} == {"Alice Tremblay",
                                                                 "Bob Gagnon"}
    mine = client.get("/api/v1/events/registrations", **bearer(cast.alice)).json()
    assert {r["person"] for r in mine} == {"Alice Tremblay", "Bob Gagnon"}
    bobs = client.get("/api/v1/events/registrations", **bearer(cast.bob)).json()
    assert [r["person"] for r in bobs] == ["Bob Gagnon"]
    assert client.get("/api/v1/events/registrations", **bearer(cast.carol)).json() == []


def test_members_only_full_and_read_only_are_refused(client, cast, events):
    public, members = events
    ticket = members.ticket_types.get().pk
    assert _post(client, "/api/v1/events/members-event/registrations",
                 {"ticket_type_id": ticket}, bearer(cast.dan)).status_code == 404
    read_only = _post(client, "/api/v1/events/public-event/registrations",
                      {"ticket_type_id": public.ticket_types.get().pk},
                      bearer(cast.bob, ApiToken.Scope.READ))
    assert read_only.status_code == 403
    public.capacity = 0
    public.save()
    full = _post(client, "/api/v1/events/public-event/registrations",
                 {"ticket_type_id": public.ticket_types.get().pk}, bearer(cast.bob))
    assert full.status_code == 409 and full.json()["error"]["code"] == "conflict"
    assert not Registration.objects.exists()
    wrong_ticket = _post(client, "/api/v1/events/public-event/registrations",
                         {"ticket_type_id": ticket}, bearer(cast.bob))
    assert wrong_ticket.status_code == 422
    assert client.post("/api/v1/events/public-event/registrations", "{}",
                       content_type="application/json").status_code == 401


def test_cancel_own_or_companys_registration_only(client, cast, events):
    ticket = events[0].ticket_types.get().pk
    order = _post(client, "/api/v1/events/public-event/registrations",
                  {"ticket_type_id": ticket}, bearer(cast.bob)).json()
    pk = order["registrations"][0]["id"]
    assert _post(client, f"/api/v1/events/registrations/{pk}/cancel", {},
                 bearer(cast.carol)).status_code == 404
    response = _post(client, f"/api/v1/events/registrations/{pk}/cancel", {},
                     bearer(cast.alice))  # Acme's admin
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert _post(client, f"/api/v1/events/registrations/{pk}/cancel", {},
                 bearer(cast.bob)).status_code == 404


def test_staff_list_an_events_registrations_with_check_in(client, cast, events):
    ticket = events[0].ticket_types.get().pk
    _post(client, "/api/v1/events/public-event/registrations", {"ticket_type_id": ticket},
          bearer(cast.bob))
    assert client.get("/api/v1/events/public-event/registrations",
                      **bearer(cast.alice)).status_code == 403
    rows = client.get("/api/v1/events/public-event/registrations", **bearer(cast.sam)).json()
    assert [r["person"] for r in rows] == ["Bob Gagnon"] and "checked_in_at" in rows[0]


def test_invoices_are_the_company_admins_own_and_all_for_staff(client, cast):
    acme = billing.invoice_create(organisation=cast.acme, lines=[billing.Line("Cotisation",
                                                                              45000, 1, True)])
    rival = billing.invoice_create(organisation=cast.rival, lines=[billing.Line("Golf",
                                                                                10000, 1, True)])
    billing.payment_record(invoice=acme, amount_cents=acme.total_cents, method="cheque")
    alices = client.get("/api/v1/billing/invoices", **bearer(cast.alice)).json()
    assert [i["number"] for i in alices] == [acme.number]
    assert alices[0]["status"] == "paid" and alices[0]["balance_cents"] == 0
    assert alices[0]["payments"][0]["method"] == "cheque"
    assert alices[0]["description"] == "Cotisation"
    assert client.get(f"/api/v1/billing/invoices/{rival.pk}",
                      **bearer(cast.alice)).status_code == 404
    assert client.get("/api/v1/billing/invoices", **bearer(cast.bob)).status_code == 403
    staff = client.get("/api/v1/billing/invoices", {"status": "issued"},
                       **bearer(cast.sam)).json()
    assert [i["number"] for i in staff] == [rival.number]
    period = client.get("/api/v1/billing/invoices", {"issued_from": "2000-01-01",
                                                     "issued_to": "2000-12-31"},
                        **bearer(cast.sam)).json()
    assert period == []


def test_a_stream_is_published_through_the_api_by_its_company_only(client, cast):
    stream = Stream.objects.create(organisation=cast.acme, kind="offer", title="Copeaux",
                                   description="Copeaux de bois", quantity=10, unit="t/an")
    assert _post(client, f"/api/v1/symbiosis/streams/{stream.pk}/publish", {},
                 bearer(cast.carol)).status_code == 404
    response = _post(client, f"/api/v1/symbiosis/streams/{stream.pk}/publish", {},
                     bearer(cast.alice))
    assert response.status_code == 200 and response.json()["status"] == "published"


@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_concurrent_api_registrations(client):
    """The page's lock guards the API too: eight members race for three seats."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers")
    from django.test import Client

    from alliage.members.models import Affiliation, Contact
    from tests.people import Cast

    cast = Cast()
    event = make_event(slug="race", capacity=3)
    ticket = event.ticket_types.get().pk
    headers = []
    from alliage.accounts.models import User

    for n in range(8):
        contact = Contact.objects.create(first_name=f"P{n}", last_name="Test",
                                         email=f"p{n}@acme.example")
        Affiliation.objects.create(contact=contact, organisation=cast.acme)
        user = User.objects.create_user(f"p{n}@acme.example", "x" * 20, contact=contact)
        headers.append(bearer(user))
    barrier = threading.Barrier(len(headers))
    codes = []

    def register(h):
        barrier.wait()
        codes.append(_post(Client(), "/api/v1/events/race/registrations",
                           {"ticket_type_id": ticket}, h).status_code)
        connection.close()

    threads = [threading.Thread(target=register, args=(h,)) for h in headers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [201] * 3 + [409] * 5
    assert Registration.objects.filter(event=event).count() == 3
    numbers = [r.order.invoice.number for r in Registration.objects.filter(event=event)]
    assert len(numbers) == 3
