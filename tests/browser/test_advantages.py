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


def _log_in(page, email, next_url):
    page.goto(page.base + f"/compte/connexion/?next={next_url}")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill("correct-horse-battery-42")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{next_url}")


def test_a_free_hour_of_the_calendar_books_and_the_owner_refuses_after_confirming(page, cast,
                                                                                   browser):
    from alliage.advantages.models import Booking
    from tests.advantages.conftest import make_resource

    scanner = make_resource(name_fr="Numériseur 3D", owner=cast.rival)
    url = f"/avantages/ressources/{scanner.pk}/"
    _log_in(page, "alice@acme.example", url)
    page.get_by_role("link", name="Semaine suivante").click()
    page.locator("table.week-grid a", has_text="Libre").nth(3).click()
    starts = page.locator("#id_starts_at").input_value()
    assert starts.endswith(":00") and page.locator("#id_ends_at").input_value() > starts
    page.get_by_role("button", name="Demander cette plage").click()
    page.get_by_text("Réservation demandée : le propriétaire décidera.").wait_for()
    cell = page.locator("table.week-grid td", has_text="Vous")
    assert cell.count() == 1 and "en attente" in cell.inner_text()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        assert _axe(page) == [], width
        _shot(page, "resource-week")
    owner = browser.new_context(locale="fr-CA").new_page()
    owner.base = page.base
    _log_in(owner, "carol@rival.example", "/avantages/reservations/")
    owner.on("dialog", lambda dialog: dialog.accept())
    assert _axe(owner) == []
    owner.get_by_role("button", name="Refuser").click()
    owner.get_by_text("Aucune réservation n'attend de décision.").wait_for()
    assert Booking.objects.get().status == Booking.Status.REFUSED
    owner.context.close()
    assert page.errors == []
