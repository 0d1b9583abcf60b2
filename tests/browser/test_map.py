"""The member map in Chromium (issue #14, item 5): with a tile server configured, Leaflet
draws tiles and markers; tile requests are answered locally so the test needs no network."""

import os
import struct
import zlib
from pathlib import Path

import pytest

from tests.members.test_directory_map import OSM, tile_settings  # noqa: F401 - fixture

pytestmark = pytest.mark.browser

IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def _png(rgb=(0xE8, 0xEC, 0xE4)):
    """A 1×1 PNG of one soft colour: what every intercepted tile answers."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = zlib.compress(b"\x00" + bytes(rgb))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


@pytest.fixture
def tiled(settings, tile_settings):  # noqa: F811 - the imported fixture
    settings.MAP_TILE_URL = tile_settings["MAP_TILE_URL"]
    settings.CONTENT_SECURITY_POLICY = tile_settings["CONTENT_SECURITY_POLICY"]


def _serve_tiles(page):
    served = []

    def answer(route):
        served.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=_png())

    page.route("https://tile.openstreetmap.org/**", answer)
    return served


@pytest.mark.parametrize("width", [1280, 390])
def test_map_draws_leaflet_tiles_and_markers_when_tiles_are_configured(page, cast, tiled,
                                                                       width):
    served = _serve_tiles(page)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base + "/repertoire/carte/")
    page.locator("#member-map img.leaflet-tile-loaded").first.wait_for()
    assert page.locator("#member-map").is_visible()
    assert page.locator("#member-map .leaflet-tile").count() > 0
    assert served and all(u.startswith("https://tile.openstreetmap.org/") for u in served)
    assert page.locator("#member-map .leaflet-marker-icon[alt='Précision Acme']").count() == 1
    credit = page.locator("#member-map .leaflet-control-attribution a",
                          has_text="© les contributeurs d'OpenStreetMap")
    assert credit.get_attribute("href") == "https://www.openstreetmap.org/copyright"
    assert page.locator("#member-map .leaflet-control-zoom-in").get_attribute(
        "title") == "Zoom avant"
    assert page.get_by_role("link", name="Génie Rival").first.is_visible()  # the list stays
    assert page.errors == []  # no CSP refusal, no script error
    IMG.mkdir(parents=True, exist_ok=True)
    if os.environ.get("ALLIAGE_SCREENSHOTS"):  # refresh docs/img on purpose only
        page.screenshot(path=str(IMG / f"directory-map-{width}.png"), full_page=True)


def test_map_without_javascript_is_the_list(browser, live_server, cast, tiled):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/repertoire/carte/")
    assert not page.locator("#member-map").is_visible()
    assert page.get_by_role("link", name="Précision Acme").is_visible()
    context.close()
