"""Issue #22 in a browser, as a member admin and staff at 1280 and 390 px: code suggestions
with their labels and reasons (negated oil), a steam offer shown as an energy flow with its
temperature, the reason when nothing matches; axe-core finds nothing on each page."""

import pytest

from alliage.symbiosis.models import Stream

pytestmark = pytest.mark.browser


def _login(page, email):
    page.goto(page.base + "/compte/connexion/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill("correct-horse-battery-42")
    page.get_by_role("button", name="Se connecter").click()


def _axe(page):
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("networkidle")
    violations = Axe().run(page).response["violations"]
    width = page.evaluate("document.documentElement.scrollWidth")
    return [v["id"] for v in violations] + (["too-wide"] if width > page.viewport_size[
        "width"] else [])


@pytest.mark.parametrize("width", [1280, 390])
def test_a_member_declares_steam_and_trusts_the_code_helper(page, cast, width):
    page.set_viewport_size({"width": width, "height": 900})
    _login(page, "alice@acme.example")
    page.goto(page.base + "/symbiose/flux/nouveau/")
    page.locator("#id_kind").select_option("offer")
    page.get_by_label("Titre").fill("Copeaux")
    page.get_by_label("Description").fill("copeaux d'aluminium secs, sans huile de coupe")
    first = page.get_by_role("button", name="12 01 03")
    first.wait_for()
    assert page.get_by_text("limaille et chutes de métaux non ferreux").first.is_visible()
    assert page.get_by_text("écartés car niés : « huile de coupe »").first.is_visible()
    assert _axe(page) == []
    # Now a steam offer: an energy flow, with its temperature.
    page.get_by_label("Titre").fill("Vapeur basse pression")
    page.get_by_label("Description").fill("Vapeur basse pression excédentaire, en continu")
    page.locator("#id_category").select_option("energy")
    page.locator("#id_utility").select_option("steam")
    page.locator("#id_temperature_c").fill("150")
    page.locator("#id_physical_state").select_option("gas")
    page.get_by_role("button", name="Enregistrer et publier").click()
    page.get_by_text("Publié : les correspondances sont en calcul.").wait_for()
    stream = Stream.objects.get(title="Vapeur basse pression")
    assert stream.utility == "steam" and stream.temperature_c == 150
    assert page.get_by_text("Flux d'énergie ou d'eau").is_visible()
    assert page.get_by_text("150 °C", exact=True).is_visible()
    # No need published: the page says why, never an empty answer.
    assert page.get_by_text("Aucun besoin publié par une autre entreprise").is_visible()
    assert _axe(page) == []
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_staff_see_the_orphan_streams_as_their_work_list(page, cast, width):
    from alliage.symbiosis import services

    offer = Stream.objects.create(organisation=cast.acme, kind="offer", title="Écorces",
                                  description="Écorces de nos lignes d'écorçage")
    services.stream_publish(stream=offer, actor=cast.sam)
    page.set_viewport_size({"width": width, "height": 900})
    _login(page, "sam@alliage.example")
    page.goto(page.base + "/gestion/symbiose/")
    page.get_by_text("Flux sans correspondance").first.wait_for()
    assert page.get_by_text("Écorces").first.is_visible()
    assert _axe(page) == []
    assert page.errors == []
