"""Issue #11, finding 7: API inputs are bounded; out-of-range values are a 422, never a 500.

Each list and detail route is tried with the values that used to reach the database
(a negative offset or limit, an offset or id past 2^63) and must answer the project's error
body. Public routes are tried anonymously, staff routes with a staff token.
"""

import pytest

from alliage.accounts.services import api_token_create

TOO_BIG = 2**63  # one past PostgreSQL's bigint and SQLite's INTEGER

PUBLIC_LISTS = ["/api/v1/members/organisations", "/api/v1/symbiosis/streams"]
STAFF_LISTS = ["/api/v1/members/contacts", "/api/v1/members/memberships"]
BAD_PAGING = [("offset", -1), ("limit", -1), ("limit", 0), ("offset", TOO_BIG),
              ("offset", 2**63 - 1), ("limit", TOO_BIG), ("offset", 1_000_001)]


@pytest.fixture
def staff_auth(cast):
    _token, raw = api_token_create(user=cast.sam, name="fuzz")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def assert_invalid(response, field):
    assert response.status_code == 422, response.content[:300]
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "invalid"
    assert body["error"]["message"]
    assert [d["field"] for d in body["error"]["details"]] == [field]


@pytest.mark.parametrize("path", PUBLIC_LISTS)
@pytest.mark.parametrize(("param", "value"), BAD_PAGING)
def test_public_list_refuses_paging_out_of_bounds_anonymously(client, cast, path, param, value):
    assert_invalid(client.get(path, {param: value}), param)


@pytest.mark.parametrize("path", STAFF_LISTS)
@pytest.mark.parametrize(("param", "value"), BAD_PAGING)
def test_staff_list_refuses_paging_out_of_bounds(client, staff_auth, path, param, value):
    assert_invalid(client.get(path, {param: value}, **staff_auth), param)


@pytest.mark.parametrize("path", STAFF_LISTS)
def test_staff_list_refuses_an_organisation_id_past_64_bits(client, staff_auth, path):
    assert_invalid(client.get(path, {"organisation_id": TOO_BIG}, **staff_auth),
                   "organisation_id")
    assert_invalid(client.get(path, {"organisation_id": 0}, **staff_auth), "organisation_id")


@pytest.mark.parametrize("template", ["/api/v1/members/contacts/{}",
                                      "/api/v1/symbiosis/streams/{}/matches"])
@pytest.mark.parametrize("value", [TOO_BIG, -1, 0])
def test_detail_refuses_an_id_out_of_bounds(client, staff_auth, template, value):
    field = "contact_id" if "contacts" in template else "stream_id"
    assert_invalid(client.get(template.format(value), **staff_auth), field)


def test_largest_id_is_a_plain_not_found(client, staff_auth):
    response = client.get(f"/api/v1/members/contacts/{2**63 - 1}", **staff_auth)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_organisation_slug_out_of_shape_is_invalid_not_a_server_error(client, cast):
    assert_invalid(client.get("/api/v1/members/organisations/" + "a" * 101), "slug")
    assert_invalid(client.get("/api/v1/members/organisations/%C3%A9t%C3%A9"), "slug")
    assert client.get("/api/v1/members/organisations/precision-acme").status_code == 200


@pytest.mark.parametrize(("path", "auth"), [("/api/v1/members/organisations", False),
                                            ("/api/v1/members/contacts", True)])
def test_search_text_is_bounded_and_refuses_nul(client, staff_auth, path, auth):
    headers = staff_auth if auth else {}
    assert_invalid(client.get(path, {"q": "x" * 201}, **headers), "q")
    # PostgreSQL cannot store or compare text with NUL: refused up front on every database,
    # before any route (core.middleware.RequestSanityMiddleware), as a documented 400.
    refused = client.get(path, {"q": "ac\x00me"}, **headers)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "bad_request"
    assert client.get(path, {"q": "x" * 200}, **headers).status_code == 200


@pytest.mark.parametrize(("path", "param"), [("/api/v1/symbiosis/streams", "kind"),
                                             ("/api/v1/members/memberships", "status"),
                                             ("/api/v1/members/organisations", "size")])
def test_closed_choices_are_validated(client, staff_auth, path, param):
    assert_invalid(client.get(path, {param: "nonsense"}, **staff_auth), param)


def test_bounds_at_their_edge_are_accepted(client, cast, staff_auth):
    page = client.get("/api/v1/members/organisations", {"offset": 1_000_000, "limit": 200})
    assert page.status_code == 200
    assert page.json() == {"count": 2, "offset": 1_000_000, "limit": 200, "results": []}
    assert client.get("/api/v1/symbiosis/streams", {"limit": 500, "kind": "offer"}).json() == []
    people = client.get("/api/v1/members/contacts", {"limit": 200, "offset": 0}, **staff_auth)
    assert {p["email"] for p in people.json()} >= {"alice@acme.example", "bob@acme.example"}
    acme = client.get("/api/v1/members/memberships", {"organisation_id": cast.acme.pk,
                                                      "status": "active"}, **staff_auth)
    assert acme.status_code == 200


def test_a_wrong_bearer_on_a_public_route_is_401_in_the_error_format(client, cast):
    response = client.get("/api/v1/symbiosis/streams", HTTP_AUTHORIZATION="Bearer alk_nope")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_every_route_documents_each_status_it_can_answer(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    declared = {(method.upper(), path): sorted(op["responses"])
                for path, ops in schema["paths"].items() for method, op in ops.items()}
    p = "/api/v1"
    expected = {
        ("GET", f"{p}/accounts/me"): ["200", "401"],
        ("GET", f"{p}/accounts/tokens"): ["200", "401"],
        ("DELETE", f"{p}/accounts/tokens/{{token_id}}"): ["204", "401", "403", "404", "422"],
        ("GET", f"{p}/members/organisations"): ["200", "401", "422"],
        ("GET", f"{p}/members/organisations/{{slug}}"): ["200", "401", "404", "422"],
        ("GET", f"{p}/members/contacts"): ["200", "401", "403", "422"],
        ("GET", f"{p}/members/contacts/{{contact_id}}"): ["200", "401", "403", "404", "422"],
        ("GET", f"{p}/members/memberships"): ["200", "401", "403", "422"],
        ("GET", f"{p}/symbiosis/streams"): ["200", "401", "422"],
        ("GET", f"{p}/symbiosis/streams/{{stream_id}}/matches"): ["200", "401", "404", "422"],
        ("GET", f"{p}/symbiosis/synergies"): ["200", "401", "403"],
        ("POST", f"{p}/symbiosis/streams/{{stream_id}}/publish"): ["200", "401", "403", "404",
                                                                  "422"],
        ("GET", f"{p}/events/"): ["200", "401", "422"],
        ("GET", f"{p}/events/{{slug}}"): ["200", "401", "404", "422"],
        ("GET", f"{p}/events/registrations"): ["200", "401", "422"],
        ("POST", f"{p}/events/registrations/{{registration_id}}/cancel"):
            ["200", "401", "403", "404", "409", "422"],
        ("GET", f"{p}/events/{{slug}}/registrations"): ["200", "401", "403", "404", "422"],
        ("POST", f"{p}/events/{{slug}}/registrations"): ["201", "401", "403", "404", "409",
                                                          "422"],
        ("GET", f"{p}/billing/invoices"): ["200", "401", "403", "422"],
        ("GET", f"{p}/billing/invoices/{{invoice_id}}"): ["200", "401", "404", "422"],
        ("GET", f"{p}/surveys/"): ["200", "401", "422"],
        ("GET", f"{p}/surveys/{{slug}}/results"): ["200", "401", "403", "404", "422"],
        ("GET", f"{p}/governance/assemblies"): ["200", "401", "403", "422"],
        ("GET", f"{p}/governance/elections"): ["200", "401", "403", "422"],
        ("GET", f"{p}/governance/elections/{{election_id}}"): ["200", "401", "403", "404",
                                                               "422"],
        ("GET", f"{p}/governance/board"): ["200", "401", "422"],
        ("GET", f"{p}/advantages/"): ["200", "401", "422"],
        ("GET", f"{p}/advantages/purchases"): ["200", "401", "403", "422"],
        ("PUT", f"{p}/advantages/purchases/{{slug}}/pledge"): ["200", "401", "403", "404",
                                                                "409", "422"],
        ("GET", f"{p}/showcase/products"): ["200", "401", "422"],
        ("GET", f"{p}/showcase/products/{{slug}}"): ["200", "401", "404", "422"],
        ("GET", f"{p}/showcase/points-of-sale"): ["200", "401"],
        ("GET", f"{p}/support/programs"): ["200", "401"],
        ("GET", f"{p}/fair/"): ["200", "401", "422"],
        ("GET", f"{p}/fair/{{slug}}"): ["200", "401", "404", "422"],
        ("GET", f"{p}/fair/{{slug}}/booths"): ["200", "401", "404", "422"],
        ("GET", f"{p}/fair/{{slug}}/booths/{{booth_id}}"): ["200", "401", "404", "422"],
        ("GET", f"{p}/fair/{{slug}}/booths/{{booth_id}}/leads"): ["200", "401", "404", "422"],
        ("GET", f"{p}/fair/{{slug}}/agenda"): ["200", "401", "404", "422"],
        ("GET", f"{p}/support/programs/{{program_id}}"): ["200", "401", "404", "422"],
    }
    # A route missing from the table fails here: add it with each status it can answer.
    # Every route may also answer 400 (a NUL character, refused before any route).
    expected = {route: sorted(["400", *codes]) for route, codes in expected.items()}
    assert declared == {route: expected.get(route) for route in declared}
    assert {route for route in expected if route[0] == "GET"} <= set(declared)
    error_ref = "#/components/schemas/ErrorOut"
    for path, ops in schema["paths"].items():
        for op in ops.values():
            for status, answer in op["responses"].items():
                if status.startswith("4"):
                    assert answer["content"]["application/json"]["schema"] == {"$ref": error_ref}
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["error"]
