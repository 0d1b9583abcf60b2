"""The anonymous page cache keys only on what each page reads (issue #11, item 15)."""

import pytest
from django.core.cache import cache
from django.urls import path

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


# --- Host validation and host-bound keys (issue #11, finding N5) -------------------------

def _absolute_url_view(request):
    from django.http import HttpResponse

    return HttpResponse(f"<a href='{request.build_absolute_uri('/abs/')}'>self</a>")


urlpatterns = [path("abs/", _absolute_url_view)]  # for @pytest.mark.urls(__name__)


@pytest.fixture
def absolute_page(monkeypatch):
    """A registered page that prints an absolute URL built from the request's host."""
    from alliage.core import pagecache

    monkeypatch.setattr(pagecache, "_pages", list(pagecache._pages))
    pagecache.register(r"/abs/", version=lambda: 1)
    return "/abs/"


def test_a_cached_page_is_never_served_to_a_host_outside_allowed_hosts(client, cast):
    client.get("/repertoire/")
    assert client.get("/repertoire/")["X-Alliage-Cache"] == "hit"
    response = client.get("/repertoire/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "X-Alliage-Cache" not in response


def test_a_forwarded_host_is_validated_before_a_hit(client, cast, settings):
    settings.USE_X_FORWARDED_HOST = True
    client.get("/repertoire/")
    assert client.get("/repertoire/")["X-Alliage-Cache"] == "hit"
    response = client.get("/repertoire/", HTTP_X_FORWARDED_HOST="evil.example")
    assert response.status_code == 400


@pytest.mark.urls(__name__)
def test_absolute_urls_built_from_one_host_are_never_served_to_another(client, settings,
                                                                       absolute_page):
    settings.ALLOWED_HOSTS = ["testserver", "alias.example"]
    assert "http://alias.example/abs/" in text(client.get("/abs/", HTTP_HOST="alias.example"))
    mine = client.get("/abs/")
    assert "alias.example" not in text(mine) and "http://testserver/abs/" in text(mine)
    # The forwarded host, when trusted, keys the entry too.
    settings.USE_X_FORWARDED_HOST = True
    client.get("/abs/", HTTP_X_FORWARDED_HOST="alias.example")
    assert "alias.example" not in text(client.get("/abs/"))
    assert client.get("/abs/", HTTP_HOST="alias.example")["X-Alliage-Cache"] == "hit"


@pytest.mark.urls(__name__)
def test_pattern_hosts_and_odd_ports_are_answered_but_never_stored(client, settings,
                                                                   absolute_page):
    settings.ALLOWED_HOSTS = ["testserver", ".example.org"]
    before = _page_entries()
    for n in range(10):
        for host in (f"h{n}.example.org", f"testserver:{1000 + n}"):
            first = client.get("/abs/", HTTP_HOST=host)
            assert first.status_code == 200 and host in text(first)
            assert "X-Alliage-Cache" not in client.get("/abs/", HTTP_HOST=host)
    assert _page_entries() == before
    client.get("/abs/")
    assert client.get("/abs/")["X-Alliage-Cache"] == "hit"


# --- A bounded number of entries, whatever the visitors send (issue #11, item 15) ----------

def test_many_distinct_searches_keep_the_page_cache_bounded(client, cast, monkeypatch):
    from alliage.core import pagecache

    monkeypatch.setattr(pagecache, "TEXT_BUDGET", 5)
    before = _page_entries()
    for n in range(30):
        client.get(f"/repertoire/?q=mot{n}")
    assert _page_entries() - before <= 5
    # Pages without free text keep their own budget: an attacker's searches cannot evict them.
    client.get("/repertoire/?sector=33")
    assert client.get("/repertoire/?sector=33")["X-Alliage-Cache"] == "hit"


def test_the_filter_budget_bounds_pages_without_free_text(client, cast, monkeypatch):
    from alliage.core import pagecache

    monkeypatch.setattr(pagecache, "BUDGET", 3)
    before = _page_entries()
    for sector in ("31", "32", "33", "41", "48", "54"):
        for size in ("1-4", "20-49"):
            client.get(f"/repertoire/?sector={sector}&size={size}")
    assert _page_entries() - before <= 3
    # Review #11 replay, L4: the spent budget never keeps the plain page out of the cache.
    client.get("/repertoire/")
    assert client.get("/repertoire/")["X-Alliage-Cache"] == "hit"


def test_a_response_marked_private_is_never_stored(client, cast):
    before = _page_entries()
    client.get("/repertoire/?page=99")            # beyond the last page: the view says no-store
    assert "X-Alliage-Cache" not in client.get("/repertoire/?page=99")
    assert _page_entries() == before
