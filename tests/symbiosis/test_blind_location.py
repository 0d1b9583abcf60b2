"""An anonymous listing cannot be located from its matches (issue #11, finding M1).

The attack: a member company admin publishes a need with the offer's LoW code and edits its
distance limit (and its own site) again and again, reading the matches after each save; the
limit at which the anonymous offer appears is its distance, to the kilometre. Pairs with an
anonymous listing are now scored from the centre of that listing's ~25 km grid cell, so
two places in the same cell give the same answers to every edit; listings that show their
company keep exact distances."""

import pytest

from alliage.matching.engine import Stream as EngineStream
from alliage.matching.engine import coarse_point, haversine_km, prepare, score_pair
from alliage.members.models import Site
from alliage.symbiosis import services
from alliage.symbiosis.models import Introduction, Match, Stream
from tests.conftest import login, text

# Two places of the same grid cell, 26 km apart (Saguenay): the hidden plant is at one.
HERE, THERE = (48.45, -71.02), (48.30, -71.30)
# Where the attacker puts its own site, one after the other.
ATTACKER_SITES = [(48.55, -71.65), (48.75, -70.60), (48.45, -71.02)]
CODE = "030105"


def _km(a, b):
    return haversine_km(*(prepare(EngineStream(id="x", lat=p[0], lon=p[1])) for p in (a, b)))


def test_the_two_places_share_a_cell_and_are_far_apart():
    assert coarse_point(*HERE) == coarse_point(*THERE)
    assert _km(HERE, THERE) > 25


@pytest.fixture
def setting(cast, django_capture_on_commit_callbacks):
    def run(confidentiality):
        plant = Site.objects.create(organisation=cast.acme, name="Usine",
                                    latitude=HERE[0], longitude=HERE[1])
        offer = Stream.objects.create(
            organisation=cast.acme, site=plant, kind="offer", title="Bran de scie",
            description="Bran de scie sec de notre scierie", low_code=CODE, quantity=100,
            unit="t/an", confidentiality=confidentiality)
        sites = [Site.objects.create(organisation=cast.rival, name=f"Site {i}",
                                     latitude=lat, longitude=lon)
                 for i, (lat, lon) in enumerate(ATTACKER_SITES)]
        need = Stream.objects.create(
            organisation=cast.rival, site=sites[0], kind="need", title="Litière",
            description="Litière pour nos poulaillers", low_code=CODE, quantity=160,
            unit="t/an", confidentiality="members", max_distance_km=500)
        with django_capture_on_commit_callbacks(execute=True):
            services.stream_publish(stream=offer, actor=cast.alice)
            services.stream_publish(stream=need, actor=cast.carol)
        return offer, need, plant, sites
    return run


def _move(stream, plant, point, capture, cast):
    plant.latitude, plant.longitude = point
    plant.save()
    with capture(execute=True):
        services.stream_publish(stream=stream, actor=cast.alice)


def _edit(client, need, site, limit, capture):
    """The attacker's save on /symbiose/flux/<pk>/modifier/, then what it reads."""
    with capture(execute=True):
        response = client.post(f"/symbiose/flux/{need.pk}/modifier/", {
            "kind": "need", "site": site.pk, "category": "material", "title": "Litière",
            "description": "Litière pour nos poulaillers", "low_code": "03 01 05",
            "quantity": "160", "unit": "t/an", "frequency": "continuous",
            "physical_state": "solid", "confidentiality": "members",
            "max_distance_km": str(limit), "publish": "1"})
    assert response.status_code == 302
    return client.get(f"/api/v1/symbiosis/streams/{need.pk}/matches").json()


def _attack(client, need, site, capture):
    """Binary search of the smallest limit at which the offer is matched (nine edits)."""
    low, high = 0, 512
    while high - low > 1:
        middle = (low + high) // 2
        if _edit(client, need, site, middle, capture):
            high = middle
        else:
            low = middle
    return high


def _sweep(client, need, site, capture, limits):
    """Every answer the attacker gets, limit by limit."""
    return [_edit(client, need, site, limit, capture) for limit in limits]


def test_the_binary_search_gives_the_cell_never_the_plant(
        client, cast, setting, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    offer, need, plant, sites = setting("anonymous")
    login(client, cast.carol)
    found = {}
    for place in (HERE, THERE):
        _move(offer, plant, place, capture, cast)
        login(client, cast.carol)
        found[place] = [_attack(client, need, site, capture) for site in sites]
    # The same answers wherever the plant is in its cell: the search finds the cell's
    # centre (the plant is anywhere within about 18 km of it), never the plant.
    assert found[HERE] == found[THERE]
    centre = coarse_point(*HERE)
    for site, limit in zip(ATTACKER_SITES, found[HERE], strict=True):
        assert limit == int(_km(site, centre)) + 1
    # Editing by one kilometre around the answer, from each site, reads the same too.
    for site, limit in zip(sites, found[HERE], strict=True):
        limits = range(max(1, limit - 3), limit + 3)
        seen = {}
        for place in (HERE, THERE):
            _move(offer, plant, place, capture, cast)
            login(client, cast.carol)
            seen[place] = _sweep(client, need, site, capture, limits)
        assert seen[HERE] == seen[THERE]
        assert all(m["blind"] for answer in seen[HERE] for m in answer)
    # The page says the same as the API.
    page = text(client.get(f"/symbiose/flux/{need.pk}/"))
    assert "Une offre" in page and "Bran de scie" not in page


def test_public_listings_keep_exact_distances(
        client, cast, setting, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    offer, need, plant, sites = setting("members")
    login(client, cast.carol)
    limit = _attack(client, need, sites[0], capture)
    assert limit == int(_km(ATTACKER_SITES[0], HERE)) + 1       # to the kilometre
    assert _edit(client, need, sites[0], limit, capture)
    match = Match.objects.get(offer=offer, need=need, stale=False)
    assert match.exact_score is None and match.exact_reasons is None
    need.refresh_from_db()
    exact = prepare(offer.engine_stream()), prepare(need.engine_stream())
    assert match.score == score_pair(*exact)


def test_staff_and_introduced_companies_get_the_exact_figures(
        client, cast, setting, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    offer, need, plant, sites = setting("anonymous")
    match = Match.objects.get(offer=offer, need=need)
    exact_km = f"{_km(ATTACKER_SITES[0], HERE):.0f} km"
    coarse_km = f"{_km(ATTACKER_SITES[0], coarse_point(*HERE)):.0f} km"
    assert exact_km != coarse_km
    assert any(r.startswith(coarse_km) for r in match.reasons)
    assert any(r.startswith(exact_km) for r in match.exact_reasons)
    login(client, cast.sam)
    assert exact_km in text(client.get(f"/symbiose/flux/{need.pk}/"))
    assert exact_km in text(client.get("/gestion/symbiose/"))
    login(client, cast.carol)
    assert exact_km not in text(client.get(f"/symbiose/flux/{need.pk}/"))
    client.post(f"/symbiose/correspondances/{match.pk}/introduction/")
    intro = Introduction.objects.get()
    login(client, cast.alice)
    client.post(intro.get_absolute_url(), {"action": "accept"})
    login(client, cast.carol)
    assert exact_km in text(client.get(f"/symbiose/flux/{need.pk}/"))
    api = client.get(f"/api/v1/symbiosis/streams/{need.pk}/matches").json()
    assert api[0]["blind"] is False and any(r.startswith(exact_km) for r in api[0]["reasons"])
    # A later refresh keeps both sets of figures.
    with capture(execute=True):
        services.stream_publish(stream=need, actor=cast.carol)
    match.refresh_from_db()
    assert any(r.startswith(exact_km) for r in match.exact_reasons)
