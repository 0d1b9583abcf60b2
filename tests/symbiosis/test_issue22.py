"""Issue #22 in the app: utility streams, never an empty answer without a reason (member's
page, staff's orphan list), code suggestions with labels and reasons, hazardous never set
silently."""

import pytest

from alliage.matching.engine import prepare
from alliage.symbiosis import services
from alliage.symbiosis.forms import StreamForm
from alliage.symbiosis.models import Match, Stream
from alliage.symbiosis.orphans import diagnose, orphan_count, orphans
from tests.conftest import login, text

FORM = {"kind": "offer", "category": "material", "title": "Copeaux", "frequency":
        "continuous", "physical_state": "solid", "confidentiality": "members",
        "quantity": "10", "unit": "t/an"}


def _publish(org, kind, title, description, actor, capture, **extra):
    stream = Stream.objects.create(organisation=org, kind=kind, title=title,
                                   description=description, **extra)
    with capture(execute=True):
        services.stream_publish(stream=stream, actor=actor)
    stream.refresh_from_db()
    return stream


def test_a_hazardous_code_is_never_set_silently(cast):
    form = StreamForm({**FORM, "description": "émulsion d'usinage", "low_code": "12 01 09"},
                      organisation=cast.acme)
    assert not form.is_valid()
    assert "12 01 09*" in form.errors["hazardous"][0]
    form = StreamForm({**FORM, "description": "émulsion d'usinage", "low_code": "12 01 09",
                       "hazardous": "on"}, organisation=cast.acme)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hazardous"] is True
    form = StreamForm({**FORM, "description": "copeaux secs", "low_code": "12 01 03"},
                      organisation=cast.acme)
    assert form.is_valid() and form.cleaned_data["hazardous"] is False


def test_suggestions_show_label_reasons_and_hazard(client, cast):
    page = text(client.get("/symbiose/flux/suggestions/",
                           {"description": "copeaux d'aluminium secs, sans huile de coupe"}))
    first = page.index('data-code="')
    assert page[first:first + 20].startswith('data-code="12 01 03"')
    assert "limaille et chutes de métaux non ferreux" in page
    assert "écartés car niés : « huile de coupe »" in page
    oily = text(client.get("/symbiose/flux/suggestions/", {"description": "huile de coupe"}))
    assert 'data-hazardous="1"' in oily and "entrée dangereuse" in oily


def test_a_utility_stream_is_saved_and_read_by_the_engine(client, cast):
    login(client, cast.alice)
    response = client.post("/symbiose/flux/nouveau/", {
        **FORM, "category": "energy", "utility": "steam", "title": "Vapeur",
        "description": "Vapeur excédentaire", "temperature_c": "150", "unit": "MWh/an",
        "quantity": "5000"})
    assert response.status_code == 302
    stream = Stream.objects.get(title="Vapeur")
    assert (stream.utility, stream.temperature_c) == ("steam", 150)
    p = prepare(stream.engine_stream())
    assert p.primary == "R10102" and p.temp == 150.0 and p.grade == 2
    assert p.max_km == 5.0                       # steam travels a few km by pipe


@pytest.mark.parametrize("temperature", ["99999", "-300", "2001"])
def test_an_impossible_temperature_is_refused_and_nothing_saved(client, cast, temperature):
    # Attack finding: 99999 °C and -300 °C were saved (and 99999 overflows PostgreSQL's
    # smallint: a 500 there).
    login(client, cast.alice)
    response = client.post("/symbiose/flux/nouveau/", {
        **FORM, "category": "energy", "utility": "steam", "title": "Vapeur chaude",
        "description": "Vapeur", "temperature_c": temperature})
    assert response.status_code == 200
    assert "Indiquez une température entre -273 et 2000 °C." in text(response)
    assert not Stream.objects.filter(title="Vapeur chaude").exists()


def test_an_offer_without_a_need_says_why(client, cast, django_capture_on_commit_callbacks):
    offer = _publish(cast.acme, "offer", "Bran de scie", "Bran de scie sec", cast.sam,
                     django_capture_on_commit_callbacks)
    assert diagnose(offer)["reason"] == "no_other_side"
    login(client, cast.alice)
    page = text(client.get(f"/symbiose/flux/{offer.pk}/"))
    assert "Pourquoi :" in page
    assert "Aucun besoin publié par une autre entreprise pour l'instant." in page


def test_beyond_the_limit_the_member_sees_the_closest_with_what_they_lack(
        client, cast, django_capture_on_commit_callbacks):
    offer = _publish(cast.acme, "offer", "Bran de scie", "Bran de scie sec de notre scierie",
                     cast.sam, django_capture_on_commit_callbacks)
    need = _publish(cast.rival, "need", "Litière", "Litière pour nos poulaillers", cast.sam,
                    django_capture_on_commit_callbacks, max_distance_km=20)
    assert not Match.objects.current().filter(offer=offer).exists()       # ~55 km away
    found = diagnose(offer)
    assert found["reason"] == "beyond_reach"
    assert found["partial"][0]["stream"] == need
    login(client, cast.alice)
    page = text(client.get(f"/symbiose/flux/{offer.pk}/"))
    assert "Candidats partiels les plus proches" in page
    # In bands, as every blind figure (~45 km between Chicoutimi and Alma).
    assert "entre 25 et 50 km, au-delà de la limite de 20 km" in page
    assert "Génie Rival" not in page                                       # still blind
    # Staff see the orphans on the symbiosis dashboard, with the reason.
    assert orphan_count() == 2
    assert {s.pk for s, _d in orphans()} == {offer.pk, need.pk}
    login(client, cast.sam)
    dashboard = text(client.get("/gestion/symbiose/"))
    assert "Flux sans correspondance" in dashboard and "Bran de scie" in dashboard


def test_matches_not_computed_yet_are_said_to_be_in_progress_not_an_empty_why(
        client, cast, django_capture_on_commit_callbacks):
    # Walk finding: with the refresh task not run yet, the page said "Pourquoi :" and nothing.
    _publish(cast.rival, "need", "Litière", "Litière pour nos poulaillers", cast.sam,
             django_capture_on_commit_callbacks)
    offer = Stream.objects.create(organisation=cast.acme, kind="offer", title="Bran",
                                  description="Bran de scie sec de notre scierie")
    services.stream_publish(stream=offer, actor=cast.sam)      # task captured, not run
    assert not Match.objects.filter(offer=offer).exists()
    found = diagnose(offer)
    assert found["reason"] == "pending" and found["message"]
    assert "en calcul" in found["partial"][0]["missing"][0]
    login(client, cast.alice)
    page = text(client.get(f"/symbiose/flux/{offer.pk}/"))
    assert "Des candidats existent : les correspondances sont en calcul." in page


def test_a_utility_stream_page_shows_its_flow_and_temperature_not_a_waste_code(client, cast):
    # Walk finding: a steam offer read "Code de la Liste des déchets R1 01 02" and "Solide".
    stream = Stream.objects.create(organisation=cast.acme, kind="offer", title="Vapeur",
                                   description="Vapeur excédentaire", category="energy",
                                   utility="steam", temperature_c=150, low_code="R10102")
    login(client, cast.alice)
    page = text(client.get(f"/symbiose/flux/{stream.pk}/"))
    assert "Flux d'énergie ou d'eau" in page and "150 °C" in page
    assert "Code de la Liste des déchets" not in page and "Solide" not in page


def test_unknown_material_is_said_so(cast, django_capture_on_commit_callbacks):
    _publish(cast.rival, "need", "Litière", "Litière pour nos poulaillers", cast.sam,
             django_capture_on_commit_callbacks)
    offer = _publish(cast.acme, "offer", "Truc", "xyzzy plugh", cast.sam,
                     django_capture_on_commit_callbacks)
    found = diagnose(offer)
    assert found["reason"] == "unknown_material"
    assert found["partial"] and "piste" in found["partial"][0]["missing"][0]


@pytest.mark.parametrize("score,label", [(0.7, "high"), (0.5, "medium"), (0.2, "low")])
def test_matches_say_their_confidence(score, label):
    assert Match(score=score).confidence == label


def test_energy_and_water_synergies_count_beside_tonnes(cast):
    from datetime import date
    from decimal import Decimal

    from alliage.symbiosis import stats
    from alliage.symbiosis.models import Synergy
    from alliage.symbiosis.seed import seed_factors

    seed_factors()
    synergy = Synergy.objects.create(
        supplier=cast.acme, receiver=cast.rival, material="Vapeur", tonnes_per_year=0,
        energy_mwh_per_year=Decimal("1000"), water_m3_per_year=Decimal("5000"),
        started_on=date(2026, 1, 1), mode="pipe", landfill_avoided=False)
    synergy.refresh_from_db()
    figures = services.impacts(synergy)
    # 1 000 MWh of natural gas displaced at 177 kg CO2e/MWh (ECCC, cited in the factor).
    assert figures["co2e_t"] == Decimal("177.00")
    assert figures["energy_gj"] == Decimal("3600.0") and figures["water_m3"] == 5000
    totals = stats.impact_totals()
    assert totals["energy_mwh"] == 1000 and totals["water_m3"] == 5000


def test_composition_notes_lead_a_residue_to_its_use(cast):
    from alliage.matching.engine import rank

    offer = Stream(pk=1, organisation=cast.acme, kind="offer", title="Résidu de procédé",
                   description="Poudre grise",
                   composition="Carbonate de calcium à 95 %, pouvant servir d'amendement "
                               "calcique")
    need = Stream(pk=2, organisation=cast.rival, kind="need", title="Chaulage",
                  description="Agriculteur cherche un amendement calcique pour ses champs")
    found = rank([offer.engine_stream()], [need.engine_stream()])["1"]
    assert found[0]["confidence"] != "low"
    assert any("amendement" in r for r in found[0]["reasons"])


def test_the_api_gives_utility_and_confidence(client, cast, django_capture_on_commit_callbacks):
    _publish(cast.acme, "offer", "Vapeur", "Vapeur basse pression excédentaire", cast.sam,
             django_capture_on_commit_callbacks, utility="steam")
    offer = _publish(cast.acme, "offer", "Bran de scie", "Bran de scie sec de notre scierie",
                     cast.sam, django_capture_on_commit_callbacks)
    _publish(cast.rival, "need", "Litière", "Litière pour nos poulaillers", cast.sam,
             django_capture_on_commit_callbacks)
    login(client, cast.alice)
    streams = client.get("/api/v1/symbiosis/streams").json()
    assert {s["utility"] for s in streams} == {"steam", ""}
    matches = client.get(f"/api/v1/symbiosis/streams/{offer.pk}/matches").json()
    assert matches and matches[0]["confidence"] in {"high", "medium", "low"}
