"""Issue #15: a member's pledge moves a group purchase to the next tier, live; the
campaign page has no axe violation at 1280 and 390 px."""

import os
from pathlib import Path

import pytest

from tests.advantages.conftest import make_pae, make_purchase

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("ALLIAGE_ADVANTAGES_SHOTS")  # a folder: save screenshots there


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_size['width']}.png",
                        full_page=True)


def _axe(page):
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("networkidle")
    violations = Axe().run(page).response["violations"]
    width = page.evaluate("document.documentElement.scrollWidth")
    return [v["id"] for v in violations] + (["too-wide"] if width > page.viewport_size[
        "width"] else [])


def test_a_pledge_moves_the_campaign_to_the_next_tier(page, cast):
    from alliage.advantages import purchasing

    make_pae()
    purchase = make_purchase()
    purchasing.pledge_set(purchase=purchase, organisation=cast.rival, quantity=420,
                          actor=cast.carol)
    page.goto(page.base + "/compte/connexion/?next=/avantages/")
    page.get_by_label("Courriel").fill("alice@acme.example")
    page.get_by_label("Mot de passe").fill("correct-horse-battery-42")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/avantages/")
    _shot(page, "catalogue")
    page.get_by_role("link", name="Gants de protection").click()
    progress = page.locator("#purchase-progress")
    assert "Total engagé : 420 (paire)" in progress.inner_text()
    assert "Encore 80 (paire) pour atteindre 500" in progress.inner_text()
    page.get_by_label("Quantité à laquelle vous vous engagez").fill("80")
    page.locator("[data-preview]").wait_for()  # htmx preview while typing
    assert "le total serait de 500" in page.locator("[data-preview]").inner_text()
    page.get_by_role("button", name="Enregistrer mon engagement").click()
    page.get_by_text("Votre engagement est enregistré.").wait_for()
    assert "Total engagé : 500 (paire)" in progress.inner_text()
    assert "Le meilleur prix est atteint." in progress.inner_text()
    assert "7,50" in progress.inner_text()
    assert purchase.committed() == 500
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        assert _axe(page) == [], width
        _shot(page, "purchase")
    page.goto(page.base + f"/mon-entreprise/{cast.acme.pk}/avantages/")
    _shot(page, "my-advantages")
    assert page.errors == []
