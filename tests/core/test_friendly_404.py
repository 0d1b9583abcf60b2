"""The demo's 404 (issue #14, item 17): with DEBUG and ALLIAGE_FRIENDLY_404, unknown URLs and
Http404 answer the site's own French page, not Django's English technical page; with the
setting off, DEBUG keeps Django's page."""

import pytest
from django.test import override_settings

from tests.conftest import text

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True, ALLIAGE_FRIENDLY_404=True)
@pytest.mark.parametrize("url", ["/nulle-part/", "/repertoire/entreprise-inconnue/"])
def test_demo_shows_the_sites_own_404_in_french(client, url):
    # The first URL matches no pattern (resolver); the second raises Http404 in a view.
    response = client.get(url)
    html = text(response)
    assert response.status_code == 404
    assert "Page introuvable" in html
    assert "Retour à l'accueil" in html
    assert "Using the URLconf" not in html and "Page not found at" not in html
    assert "Django tried these URL patterns" not in html


@override_settings(DEBUG=True, ALLIAGE_FRIENDLY_404=False)
def test_debug_keeps_djangos_page_when_the_setting_is_off(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Django tried these URL patterns" in text(response)


@override_settings(DEBUG=False, ALLIAGE_FRIENDLY_404=True)
def test_production_404_is_unchanged(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404 and "Retour à l'accueil" in text(response)


@override_settings(DEBUG=True, ALLIAGE_FRIENDLY_404=True)
def test_pages_that_exist_are_untouched(client):
    assert client.get("/repertoire/").status_code == 200


def test_make_run_and_the_devserver_turn_it_on():
    from pathlib import Path

    from alliage.core.devserver import DEMO_ENV

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "run: export ALLIAGE_FRIENDLY_404 ?= 1" in makefile
    assert "run: export MAP_TILE_URL ?= https://tile.openstreetmap.org/{z}/{x}/{y}.png" in makefile
    assert DEMO_ENV == {"MAP_TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                        "ALLIAGE_FRIENDLY_404": "1"}
