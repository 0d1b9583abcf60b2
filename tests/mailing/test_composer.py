"""Composing: buttons, uploaded images (public, validated), the live preview."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from alliage.mailing.models import CampaignImage
from alliage.mailing.render import markdown_html
from tests.conftest import login, text


def _png(width=40, height=20):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#1f4e79").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_button_syntax_makes_an_inline_styled_link_and_scripts_never_pass():
    html = markdown_html("[[S'inscrire au 5@7]](https://exemple.ca/5a7?x=1&y=2)\n\n"
                         "<script>alert(1)</script> <a class=\"evil\" onclick=\"x()\" "
                         "href=\"javascript:alert(1)\">x</a>", "#aa3300")
    assert 'href="https://exemple.ca/5a7?x=1&amp;y=2"' in html
    assert "background:#aa3300" in html and "S'inscrire au 5@7" in html
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
    assert 'class="evil"' not in html
    # A colour that is not a colour never reaches the style attribute.
    assert "red;x" not in markdown_html("[[A]](https://a.example)", "red;x")


def test_staff_upload_an_image_and_get_its_markdown(client, cast):
    login(client, cast.sam)
    response = client.post("/gestion/infolettres/images/",
                           {"file": _png(), "alt": "Le 5@7 de novembre"})
    assert response.status_code == 302
    image = CampaignImage.objects.get()
    assert image.file.name.startswith("mailing/")
    page = text(client.get("/gestion/infolettres/images/"))
    assert f"![Le 5@7 de novembre](http://testserver{image.file.url})" in page or \
        image.markdown() in page
    assert client.get(image.file.url).status_code == 200                 # public folder
    # Not an image: refused, nothing stored.
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    page = text(client.post("/gestion/infolettres/images/", {"file": fake, "alt": "x"}))
    assert "Téléversez une image valide" in page
    assert CampaignImage.objects.count() == 1


def test_live_preview_renders_the_language_asked(client, cast):
    login(client, cast.sam)
    html = client.post("/gestion/infolettres/apercu-direct/", {
        "body_fr": "**Bonjour**", "body_en": "**Hello**", "lang": "en"}).content.decode()
    assert html.strip() == "<p><strong>Hello</strong></p>"
    page = text(client.get("/gestion/infolettres/nouvelle/"))
    assert "Bouton" in page and "apercu-direct" in page
