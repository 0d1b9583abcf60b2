"""Issue #14, item 10: staff tables in Chromium — a click on a header sorts, pages are
numbered, axe-core finds nothing at 1280 and 390 px; the CRM screenshots for the docs."""

import os

import pytest

pytestmark = pytest.mark.browser


def test_click_a_header_to_sort_then_a_page_number(page, cast, settings):
    from axe_playwright_python.sync_playwright import Axe

    from alliage.members.models import Organisation

    settings.STAFF_2FA_REQUIRED = False
    Organisation.objects.bulk_create([Organisation(legal_name=f"Fabricant {n:03}", slug=f"f{n}",
                                                   employees=n) for n in range(1, 61)])
    page.set_default_timeout(30_000)                 # a loaded machine: slow first pages
    page.goto(page.base + "/compte/connexion/")
    page.get_by_label("Courriel").fill("sam@alliage.example")
    page.get_by_label("Mot de passe").fill("correct-horse-battery-42")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(page.base + "/gestion/entreprises/")
    header = page.get_by_role("columnheader", name="Employés")
    header.get_by_role("link").click()
    page.wait_for_url("**sort=employees**")
    assert page.get_by_role("columnheader", name="Employés").get_attribute(
        "aria-sort") == "ascending"
    page.get_by_role("columnheader", name="Employés").get_by_role("link").click()
    page.wait_for_url("**sort=-employees**")
    first = page.locator("tbody tr").first
    assert "Usinage Précision Acme" in first.inner_text() or "Fabricant 060" in \
        first.inner_text() or "Précision Acme" in first.inner_text()
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Page 2").click()
    page.wait_for_url("**page=2**")
    current = page.get_by_role("navigation", name="Pages").locator("[aria-current=page]")
    assert current.inner_text().strip().endswith("2")
    assert "sort=-employees" in page.url                      # the sort is kept
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("/gestion/entreprises/", f"/gestion/entreprises/{cast.acme.pk}/",
                     "/gestion/factures/?overdue=on", "/gestion/activites/",
                     "/gestion/personnes/"):
            page.goto(page.base + path)
            found = Axe().run(page).response["violations"]
            assert found == [], (path, width, [v["id"] for v in found])
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        if os.environ.get("ALLIAGE_SCREENSHOTS"):        # refresh docs/img on purpose only
            where = "docs/img" if width == 1280 else "/tmp"
            page.goto(page.base + f"/gestion/entreprises/{cast.acme.pk}/")
            page.screenshot(path=f"{where}/crm-company.png", full_page=True)
            page.goto(page.base + "/gestion/entreprises/?sort=-employees")
            page.screenshot(path=f"{where}/crm-list.png", full_page=width == 390)
    assert page.errors == []
