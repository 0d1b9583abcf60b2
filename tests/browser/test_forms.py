"""Issue #14, item 13: forms as people see them (Chromium)."""

import io
import os

import pytest
from PIL import Image

pytestmark = pytest.mark.browser


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), "#1f4e79").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_chosen_logo_shows_before_saving_and_the_form_stays_clean(page, cast):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(page.base + "/compte/connexion/")
    page.get_by_label("Courriel").fill("alice@acme.example")
    page.get_by_label("Mot de passe").fill("correct-horse-battery-42")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(page.base + f"/mon-entreprise/{cast.acme.pk}/")
    preview = page.locator("img[data-preview-for=id_logo]")
    assert preview.is_hidden()                                   # no logo yet
    page.get_by_label("Logo").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": _png()})
    page.wait_for_function(
        "document.querySelector('img[data-preview-for=id_logo]').naturalWidth === 120")
    assert preview.is_visible()
    assert preview.get_attribute("alt") == "L'image choisie, pas encore enregistrée"
    assert preview.get_attribute("src").startswith("data:image/png")
    # The checkbox sits beside its words, on their line.
    box = page.get_by_label("Inscrite au répertoire public").bounding_box()
    label = page.locator("label[for=id_is_listed]").bounding_box()
    assert box["x"] < label["x"] and abs(box["y"] - label["y"]) < 12
    if os.environ.get("ALLIAGE_SCREENSHOTS"):
        page.screenshot(path="/tmp/profile-form-1280.png", full_page=True)
    assert Axe().run(page).response["violations"] == []
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Le profil est enregistré.").wait_for()
    cast.acme.refresh_from_db()
    assert cast.acme.logo.name.startswith("logos/")
    assert page.locator("img[data-preview-for=id_logo]").get_attribute("src").endswith(".png")
    assert page.errors == []
