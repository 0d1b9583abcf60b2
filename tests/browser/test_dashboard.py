"""Issue #20 (dashboard): the period selector, the figures and their drill-down in a browser;
axe-core finds no violation at 1280 and 390 px for staff and for the board (screenshots in
$ALLIAGE_SHOTS, default /tmp/dash-shots, to look at)."""

import os
from pathlib import Path

import pytest

from tests.browser.test_accessibility import _login, _violations
from tests.core.test_dashboard_figures import CUSTOM, year  # noqa: F401 - the data fixture

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("ALLIAGE_SHOTS", "/tmp/dash-shots"))


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_staff_and_board_dashboards_pass_axe(page, cast, year, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    _login(page, "sam@alliage.example")
    for name, path in [("staff", "/gestion/" + CUSTOM),
                       ("rows", "/gestion/tableau-de-bord/members/" + CUSTOM),
                       ("bad-period", "/gestion/?period=custom&start=2025-01-01")]:
        if v := _violations(page, path):
            found[path] = v
        _shot(page, f"{name}-{width}")
    page.context.clear_cookies()
    _login(page, "bea@alliage.example")
    if v := _violations(page, "/gestion/" + CUSTOM):
        found["board"] = v
    _shot(page, f"board-{width}")
    assert found == {}, "\n".join(f"{p}: {v}" for p, v in found.items())
    assert page.locator(".decision").count() == 0
    assert page.locator(".figure-drill").count() == 0


def test_choose_a_period_then_drill_down_to_the_rows(page, cast, year):  # noqa: F811
    _login(page, "sam@alliage.example")
    page.goto(page.base + "/gestion/")
    page.get_by_label("Période").select_option("custom")
    page.get_by_label("Du", exact=True).fill("2024-07-01")
    page.get_by_label("Au", exact=True).fill("2025-03-14")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**/gestion/?period=custom*")
    figure = page.locator("#figure-new_members")
    assert figure.locator(".figure-value").inner_text() == "1"
    assert "Même période l'an dernier : 1" in figure.inner_text()
    figure.get_by_role("link", name="Voir les lignes derrière « Nouveaux membres »").click()
    page.wait_for_url("**/gestion/tableau-de-bord/new_members/*")
    assert page.get_by_role("heading", level=1).inner_text() == "Nouveaux membres"
    assert page.locator("tbody tr").count() == 1
    page.get_by_role("link", name="Retour au tableau de bord").click()
    page.wait_for_url("**/gestion/?period=custom*")
    assert page.errors == []
