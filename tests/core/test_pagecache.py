"""The anonymous page cache keys only on what each page reads (issue #11, item 15)."""

import pytest
from django.core.cache import cache

from tests.conftest import text


def _page_entries():
    store = getattr(cache, "_cache", None)
    if store is None:
        pytest.skip("counts entries of the local-memory cache only")
    return sum(1 for k in store if "page:" in k)


def test_unknown_parameters_create_no_new_entries(client, cast):
    client.get("/repertoire/")
    before = _page_entries()
    for n in range(20):
        response = client.get(f"/repertoire/?x={n}&utm_source=s{n}")
        assert response["X-Alliage-Cache"] == "hit"
    assert _page_entries() == before
    client.get("/api/v1/members/organisations?q=acme")
    before = _page_entries()
    for n in range(5):
        assert client.get(f"/api/v1/members/organisations?q=acme&junk={n}")[
            "X-Alliage-Cache"] == "hit"
    assert _page_entries() == before


def test_a_stored_page_never_reflects_a_dropped_parameter(client, cast):
    first = client.get("/repertoire/?q=acme&evil=PWNED123")
    assert "PWNED123" not in text(first)         # the language link, the map link…
    assert "PWNED123" not in text(client.get("/repertoire/?q=acme"))


def test_declared_parameters_are_normalised(client, cast):
    client.get("/repertoire/?q=acme&page=1")
    for variant in ("/repertoire/?page=1&q=acme", "/repertoire/?q=%20acme%20&page=01",
                    "/repertoire/?q=zzz&q=acme&page=1"):
        assert client.get(variant)["X-Alliage-Cache"] == "hit", variant


@pytest.mark.parametrize("query", ["sector=x1", "park=nowhere", "page=100000", "page=abc",
                                   "size=huge", "q=" + "a" * 101])
def test_values_out_of_bounds_are_answered_but_never_stored(client, cast, query):
    before = _page_entries()
    first = client.get(f"/repertoire/?{query}")
    assert first.status_code == 200
    assert "X-Alliage-Cache" not in client.get(f"/repertoire/?{query}")
    assert _page_entries() == before


def test_a_known_filter_value_is_cached(client, cast):
    client.get("/repertoire/?park=haut-saguenay&sector=33")
    hit = client.get("/repertoire/?park=haut-saguenay&sector=33")
    assert hit["X-Alliage-Cache"] == "hit" and "Précision Acme" in text(hit)


def test_an_unknown_language_cookie_shares_the_default_entry(client, cast):
    client.get("/repertoire/")
    before = _page_entries()
    for n in range(5):
        client.cookies["alliage_language"] = f"xx{n}"
        assert client.get("/repertoire/")["X-Alliage-Cache"] == "hit"
    assert _page_entries() == before


def test_unregistered_pages_are_not_cached(client, cast):
    client.get("/activites/")
    assert "X-Alliage-Cache" not in client.get("/activites/")
