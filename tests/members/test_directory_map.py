"""The member map (issue #14, item 5): tiles and attribution when a tile server is set, the
CSP allowing its origin, the list as the fallback; logos on the directory's cards."""

import importlib

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.conftest import text

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@pytest.fixture
def tile_settings(monkeypatch):
    """The settings module as it reads with MAP_TILE_URL set (as `make run` sets it)."""
    import config.settings as module

    monkeypatch.setenv("MAP_TILE_URL", OSM)
    loaded = importlib.reload(module)
    policy, url = loaded.CONTENT_SECURITY_POLICY, loaded.MAP_TILE_URL
    monkeypatch.undo()
    importlib.reload(module)
    return {"MAP_TILE_URL": url, "CONTENT_SECURITY_POLICY": policy}


def test_settings_add_the_tile_origin_to_img_src(tile_settings):
    assert tile_settings["MAP_TILE_URL"] == OSM
    img_src = tile_settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
    assert "https://tile.openstreetmap.org" in img_src


def test_map_page_with_tiles_carries_tile_url_attribution_and_csp(client, cast, tile_settings):
    with override_settings(**tile_settings):
        response = client.get("/repertoire/carte/")
    html = text(response)
    assert f'data-tiles="{OSM}"' in html
    assert "leaflet/leaflet.js" in html and "js/member-map.js" in html
    assert "© les contributeurs d'OpenStreetMap</a>" in html
    assert 'href="https://www.openstreetmap.org/copyright"' in html
    assert "serveur de tuiles" not in html          # no "a tile server is needed" note
    assert "Précision Acme" in html                 # the list stays, for no-JS readers
    img_src = next(d for d in response["Content-Security-Policy"].split(";")
                   if d.strip().startswith("img-src"))
    assert "https://tile.openstreetmap.org" in img_src


@override_settings(MAP_TILE_URL="")
def test_map_page_without_tiles_is_the_list_and_loads_no_leaflet(client, cast):
    html = text(client.get("/repertoire/carte/"))
    assert "Précision Acme" in html and "serveur de tuiles" in html
    assert "leaflet.js" not in html and 'id="member-map"' not in html


def test_directory_cards_show_the_logo_with_the_company_name_as_alt(client, cast):
    cache.clear()
    cast.acme.logo.name = "logos/acme.png"
    cast.acme.save()
    html = text(client.get("/repertoire/"))
    assert '<img src="/media/logos/acme.png" alt="Précision Acme"' in html
    # Génie Rival has no logo: a placeholder with its initials, hidden from screen readers.
    assert 'class="badge card-logo-placeholder" aria-hidden="true">GR</span>' in html
