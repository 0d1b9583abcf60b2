"""Symbiosis: confidentiality, incremental matching, blind introductions, impacts, matrix."""

from datetime import date
from decimal import Decimal

import pytest

from alliage.symbiosis import services, stats
from alliage.symbiosis.models import Introduction, Match, Stream
from alliage.symbiosis.seed import seed_factors
from tests.conftest import MATRIX_ROLES as ROLES
from tests.conftest import login, statuses, text


def _stream(org, kind, title, description, confidentiality="members", code=""):
    return Stream.objects.create(organisation=org, kind=kind, title=title,
                                 description=description, low_code=code, quantity=100,
                                 unit="t/an", confidentiality=confidentiality)


@pytest.fixture
def world(cast, django_capture_on_commit_callbacks):
    offer = _stream(cast.acme, "offer", "Bran de scie", "Bran de scie sec de notre scierie")
    secret = _stream(cast.acme, "offer", "Brasque secrète", "Brasque usée des cuves",
                     confidentiality="staff")
    need = _stream(cast.rival, "need", "Litière", "Litière pour nos poulaillers")
    with django_capture_on_commit_callbacks(execute=True):
        for s in (offer, secret, need):
            services.stream_publish(stream=s, actor=cast.sam)
    return {"offer": offer, "secret": secret, "need": need}


def test_publishing_matches_incrementally_and_idempotently(cast, world):
    match = Match.objects.get(offer=world["offer"], need=world["need"])
    assert match.score > 0.3
    assert any("litière animale" in r for r in match.reasons)
    before = list(Match.objects.values_list("offer", "need", "score"))
    services.match_stream_now(world["offer"].pk)
    assert list(Match.objects.values_list("offer", "need", "score")) == before


def test_confidential_streams_never_leak(client, cast, world):
    login(client, cast.carol)
    listing = text(client.get("/symbiose/"))
    assert "Bran de scie" in listing and "Brasque secrète" not in listing
    assert client.get(f"/symbiose/flux/{world['secret'].pk}/").status_code == 404
    api = client.get("/api/v1/symbiosis/streams").json()
    assert {s["title"] for s in api} == {"Bran de scie", "Litière"}
    # Carol's need is matched with Acme's offer, but she never sees Acme's name.
    page = text(client.get(f"/symbiose/flux/{world['need'].pk}/"))
    assert str(cast.acme) not in page and "Brasque" not in page
    matches = client.get(f"/api/v1/symbiosis/streams/{world['need'].pk}/matches").json()
    assert matches and all(m["counterpart"] is None for m in matches)
    client.logout()
    assert "Bran de scie" not in text(client.get("/symbiose/"))       # members only
    assert client.get("/api/v1/symbiosis/streams").json() == []


def test_blind_introduction_reveals_names_only_when_both_accept(client, cast, world):
    match = Match.objects.get(offer=world["offer"], need=world["need"])
    login(client, cast.carol)
    response = client.post(f"/symbiose/correspondances/{match.pk}/introduction/")
    intro = Introduction.objects.get()
    assert response.url == f"/symbiose/introductions/{intro.pk}/"
    assert intro.need_accepted and not intro.offer_accepted
    assert str(cast.acme) not in text(client.get(response.url))
    client.post(response.url, {"action": "message", "body": "Bonjour, quel taux d'humidité?"})
    login(client, cast.alice)
    page = text(client.get(response.url))
    assert str(cast.rival) not in page and "quel taux" in page
    client.post(response.url, {"action": "accept"})
    intro.refresh_from_db()
    assert intro.status == Introduction.Status.DISCUSSION
    assert str(cast.rival) in text(client.get(response.url))
    login(client, cast.dan)
    assert client.get(response.url).status_code == 404       # as one that does not exist


def test_impacts_use_the_cited_factors(cast, world):
    seed_factors()
    match = Match.objects.get(offer=world["offer"], need=world["need"])
    intro = Introduction.objects.create(match=match, offer_accepted=True, need_accepted=True,
                                        status="discussion")
    synergy = services.synergy_record(
        introduction=intro, actor=cast.sam, material="Bran de scie",
        tonnes_per_year=Decimal("100"), started_on=date(2026, 1, 1),
        distance_km=Decimal("50"), mode="truck", replaces_virgin="virgin-wood",
        disposal_cost_per_tonne=Decimal("80"), purchase_cost_per_tonne=Decimal("10"))
    figures = services.impacts(synergy)
    # 100 t × (467 + 313) kg − 100 t × 50 km × 0.062 kg = 77 690 kg.
    assert figures["co2e_t"] == Decimal("77.69")
    assert figures["dollars"] == Decimal("9000.00")
    assert stats.impact_totals()["synergies"] == 1
    assert stats.pipeline()["synergies"] == 1
    intro.refresh_from_db()
    assert intro.status == Introduction.Status.SYNERGY


def test_bad_stream_input_is_explained_and_saves_nothing(client, cast):
    login(client, cast.alice)
    response = client.post("/symbiose/flux/nouveau/", {
        "kind": "offer", "category": "material", "title": "X", "description": "copeaux",
        "low_code": "99 99 99", "quantity": "10", "unit": "", "frequency": "continuous",
        "physical_state": "solid", "confidentiality": "members"})
    page = text(response)
    assert response.status_code == 200
    assert "Code de la Liste des déchets inconnu" in page
    assert "Indiquez la quantité et son unité ensemble." in page
    assert not Stream.objects.exists()


def test_suggestions_endpoint(client, cast):
    page = text(client.get("/symbiose/flux/suggestions/", {"description": "lactosérum"}))
    assert "02 05 01" in page


MATRIX = {
    "/symbiose/":                       (200, 200, 200, 200, 200, 200, 200),
    "/symbiose/mes-flux/":              (302, 403, 200, 200, 200, 403, 200),
    "/symbiose/flux/nouveau/":          (302, 403, 200, 200, 200, 403, 200),
    "/symbiose/flux/{offer}/":          (404, 200, 200, 200, 404, 404, 200),
    "/symbiose/flux/{secret}/":         (404, 404, 200, 404, 404, 404, 200),
    "/symbiose/flux/{offer}/modifier/": (302, 403, 200, 404, 404, 403, 200),
    "/gestion/symbiose/":               (302, 403, 403, 403, 403, 403, 200),
    # Every other page of the app (issue #22's walk): the code helper, the needs
    # assessment, staff's characterisations.
    "/symbiose/flux/suggestions/?description=sciure": (200, 200, 200, 200, 200, 200, 200),
    "/symbiose/flux/{secret}/modifier/": (302, 403, 200, 404, 404, 403, 200),
    "/symbiose/diagnostic-besoins/":    (302, 403, 200, 200, 200, 403, 200),
    "/gestion/symbiose/caracterisations/": (302, 403, 403, 403, 403, 403, 200),
}


@pytest.mark.parametrize("path", MATRIX)
def test_symbiosis_matrix(client, cast, world, path):
    got = statuses(client, cast, path.format(offer=world["offer"].pk,
                                             secret=world["secret"].pk))
    assert got == MATRIX[path], dict(zip(ROLES, got, strict=True))


def test_symbiosis_post_matrix(client, cast, world):
    got = statuses(client, cast, f"/symbiose/flux/{world['offer'].pk}/publier/", "post")
    assert got == (302, 403, 302, 404, 404, 403, 404), dict(zip(ROLES, got, strict=True))


def test_introduction_matrix(client, cast, world):
    """Another company's match or introduction is 404, never 403 (issue #11, finding L2)."""
    match = Match.objects.get(offer=world["offer"], need=world["need"])
    got = statuses(client, cast, f"/symbiose/correspondances/{match.pk}/introduction/", "post")
    assert got == (302, 404, 302, 302, 404, 404, 302), dict(zip(ROLES, got, strict=True))
    intro = Introduction.objects.get()
    got = statuses(client, cast, f"/symbiose/introductions/{intro.pk}/")
    assert got == (302, 404, 200, 200, 404, 404, 200), dict(zip(ROLES, got, strict=True))
    got = statuses(client, cast, f"/symbiose/introductions/{intro.pk}/", "post",
                   {"action": "message", "body": "Bonjour"})
    assert got == (302, 404, 302, 302, 404, 404, 302), dict(zip(ROLES, got, strict=True))


@pytest.mark.parametrize("person", ["bob", "dan", "bea"])
def test_an_existing_id_answers_as_a_missing_one(client, cast, world, person):
    match = Match.objects.get(offer=world["offer"], need=world["need"])
    intro = Introduction.objects.create(match=match, need_accepted=True)
    login(client, cast.user(person))
    existing, missing = (f"/symbiose/introductions/{pk}/" for pk in (intro.pk, 99999))
    assert client.get(existing).status_code == client.get(missing).status_code == 404
    assert client.post(existing, {"action": "accept"}).status_code == 404
    existing, missing = (f"/symbiose/correspondances/{pk}/introduction/"
                         for pk in (match.pk, 99999))
    assert client.post(existing).status_code == client.post(missing).status_code == 404
    intro.refresh_from_db()
    assert not intro.offer_accepted and not intro.messages.exists()


@pytest.mark.parametrize(("who", "shown"), [("bob", False), ("alice", True), ("sam", True),
                                            ("anonymous", False)])
def test_my_offers_link_only_for_who_may_follow_it(client, cast, who, shown):
    """Issue #14, item 3: a member contact saw "Mes offres et besoins" and got a 403."""
    from tests.conftest import login

    login(client, cast.user(who))
    page = client.get("/symbiose/").content.decode()
    assert ("/symbiose/mes-flux/" in page) is shown
    if shown:
        assert client.get("/symbiose/mes-flux/").status_code == 200
