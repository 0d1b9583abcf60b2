"""The directory's caches hold only what every visitor would see, in bounded numbers
(issue #11: finding N6 and item 15)."""

import pytest
from django.core.cache import cache

from alliage.members.views import directory
from tests.conftest import login, text

HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "directory-results"}


def _entries(marker):
    store = getattr(cache, "_cache", None)
    if store is None:
        pytest.skip("counts entries of the local-memory cache only")
    return sum(1 for k in store if marker in k)


@pytest.fixture
def two_pages(monkeypatch):
    """One company a page: the cast's two listed companies make two pages of results."""
    monkeypatch.setattr(directory, "PAGE_SIZE", 1)


# --- N6: pagination links come from the declared parameters, never the raw query ----------

def test_an_invalid_value_cannot_plant_parameters_in_the_shared_pagination(client, cast,
                                                                          two_pages):
    # park=nowhere is answered uncached by the page cache, but the view still filled its
    # own results cache under "no filter" with the raw query in the links.
    client.get("/repertoire/?park=nowhere&utm=PAYLOAD1")
    html = text(client.get("/repertoire/"))
    assert 'href="?page=2"' in html
    assert "PAYLOAD1" not in html and "nowhere" not in html


def test_an_htmx_search_cannot_plant_parameters_for_the_next_visitor(client, cast, two_pages):
    first = text(client.get("/repertoire/?utm=PAYLOAD2&page=1", **HX))
    assert "PAYLOAD2" not in first
    second = text(client.get("/repertoire/?page=1", **HX))
    assert "PAYLOAD2" not in second and 'href="?page=2"' in second


def test_a_member_cannot_plant_parameters_for_other_members(client, cast, two_pages):
    login(client, cast.carol)
    client.get("/repertoire/?ref=PAYLOAD3&size=&q=")
    client.logout()
    login(client, cast.bob)
    html = text(client.get("/repertoire/"))
    assert "PAYLOAD3" not in html and 'href="?page=2"' in html


def test_links_carry_the_normalised_search(client, cast, two_pages):
    # "E" (folded "e") matches both companies; the links keep only the declared, folded value.
    html = text(client.get("/repertoire/?q=%20%20%C3%89%20%20&x=PAYLOAD4", **HX))
    assert 'href="?q=e&page=2"' in html and "PAYLOAD4" not in html
    login(client, cast.carol)
    html = text(client.get("/repertoire/?sector=&q=E&evil=PAYLOAD5"))
    links = html[html.index('<nav class="pagination"'):]
    links = links[:links.index("</nav>")]
    assert 'href="?q=e&page=2"' in links and "PAYLOAD5" not in links


# --- Item 15: every cached value is bounded -------------------------------------------------

def test_searches_differing_only_in_case_accents_and_spaces_share_one_entry(client, cast):
    client.get("/repertoire/?q=precision")
    for variant in ("PRÉCISION", "  Précision ", "précision"):
        response = client.get("/repertoire/", {"q": variant})
        assert response["X-Alliage-Cache"] == "hit", variant
        assert "Précision Acme" in text(response)


def test_long_searches_are_answered_but_never_stored(client, cast):
    query = "acme " + "x" * 60
    before = _entries("members:dir:") + _entries("page:")
    assert client.get("/repertoire/", {"q": query}).status_code == 200
    assert "X-Alliage-Cache" not in client.get("/repertoire/", {"q": query})
    client.get("/repertoire/", {"q": query}, **HX)
    assert _entries(":results:") == _entries(":count:") == 0
    assert _entries("members:dir:") + _entries("page:") <= before + 2  # the version, "places"


def test_pages_beyond_the_last_are_answered_but_never_stored(client, cast, two_pages):
    for n in range(3, 40):
        response = client.get(f"/repertoire/?page={n}", **HX)
        assert "Précision Acme" in text(response)     # the last page, as before
    assert _entries(":results:") == 1                # page 2, under its own number


def test_many_distinct_searches_keep_the_directory_caches_bounded(client, cast, monkeypatch):
    from alliage.core import pagecache
    from alliage.members import cache as directory_cache

    monkeypatch.setattr(pagecache, "TEXT_BUDGET", 4)
    monkeypatch.setattr(directory_cache, "BUDGETS", {**directory_cache.BUDGETS,
                                                     "results": 4, "count": 4, "api": 4})
    for n in range(40):
        client.get(f"/repertoire/?q=mot{n}")
        client.get(f"/repertoire/?q=autre{n}", **HX)
        client.get(f"/api/v1/members/organisations?q=mot{n}")
        client.get(f"/api/v1/members/organisations?q=mot{n}&offset={n}")
    assert _entries("page:") <= 4 * 2                 # the directory page and the API
    for kind in ("results", "count", "api"):
        assert _entries(f":{kind}:") <= 4, kind


def test_the_api_caches_only_known_sectors_page_sizes_and_aligned_offsets(client, cast):
    before = _entries("page:")
    for query in ("sector=999", "sector=3", "sector=3329", "limit=7", "limit=51", "offset=3",
                  "offset=100&limit=50", "offset=4000", "q=" + "y" * 80):
        url = f"/api/v1/members/organisations?{query}"
        assert client.get(url).status_code == 200, query
        assert "X-Alliage-Cache" not in client.get(url), query
    assert _entries("page:") == before
    for query in ("sector=33", "sector=332", "limit=10", "q=ACME"):
        url = f"/api/v1/members/organisations?{query}"
        client.get(url)
        assert client.get(url)["X-Alliage-Cache"] == "hit", query
