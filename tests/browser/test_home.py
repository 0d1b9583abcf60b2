"""Issue #14, item 11: the living home page at 1280 and 390 px (Chromium, axe-core)."""

import os
from datetime import timedelta

import pytest

pytestmark = pytest.mark.browser


def test_the_home_page_is_alive_and_clean_at_both_widths(page, cast):
    from axe_playwright_python.sync_playwright import Axe
    from django.utils import timezone

    from alliage.mailing.models import Post
    from alliage.symbiosis.models import Stream
    from tests.events.conftest import make_event

    make_event(slug="golf", title_fr="Tournoi de golf de la Chambre", kind="golf")
    make_event(slug="formation", title_fr="Formation SST : cadenassage",
               starts_at=timezone.now() + timedelta(days=35),
               ends_at=timezone.now() + timedelta(days=35, hours=3))
    for n, title in enumerate(("Rio Tinto s'associe aux PME de la région",
                               "Bilan 2026 de la symbiose industrielle")):
        Post.objects.create(slug=f"n{n}", title_fr=title, body_fr="Texte",
                            summary_fr="Les entreprises membres ont détourné 1 200 tonnes "
                                       "de matières de l'enfouissement.",
                            published_at=timezone.now() - timedelta(days=n + 1))
    Stream.objects.create(organisation=cast.acme, kind="offer", title="Copeaux",
                          status="published")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(page.base + "/")
        for name in ("Prochaines activités", "Dernières nouvelles", "Membre à l'honneur",
                     "Symbiose industrielle"):
            assert page.get_by_role("heading", name=name).is_visible()
        cta = page.locator("header").get_by_role("link", name="Devenir membre")
        assert cta.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert Axe().run(page).response["violations"] == []
        if os.environ.get("ALLIAGE_SCREENSHOTS"):   # refresh docs/img on purpose only
            page.screenshot(path="docs/img/home.png" if width == 1280 else
                            "/tmp/home-390.png", full_page=True)
    cta.click()
    page.wait_for_url("**/devenir-membre/")
    assert page.errors == []
