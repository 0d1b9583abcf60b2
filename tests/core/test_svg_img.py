"""Server-rendered charts reach pages as <img> data URIs: inline, their style attributes
would be blocked by the CSP and the chart drawn black."""

import base64

from tests.conftest import login, text


def test_staff_dashboards_embed_their_charts_as_images(client, cast):
    login(client, cast.sam)
    for path in ("/gestion/symbiose/", "/gestion/infolettres/"):
        page = text(client.get(path))
        assert "<svg" not in page, path
        encoded = page.split('src="data:image/svg+xml;base64,', 1)[1].split('"', 1)[0]
        assert base64.b64decode(encoded).decode().lstrip().startswith("<svg"), path
