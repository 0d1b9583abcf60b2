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


def test_the_application_sums_up_errors_focused_and_linked_then_goes_through(page, cast):
    from axe_playwright_python.sync_playwright import Axe

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(page.base + "/devenir-membre/")
        assert page.get_by_role("radio", name="Membre régulier").is_visible()
        page.get_by_role("button", name="Envoyer ma demande").click()
        summary = page.locator("#error-summary")
        summary.wait_for()
        assert page.evaluate("document.activeElement.id") == "error-summary"
        assert Axe().run(page).response["violations"] == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if os.environ.get("ALLIAGE_SCREENSHOTS"):
            page.screenshot(path=f"/tmp/apply-errors-{width}.png", full_page=True)
    summary.get_by_role("link", name="Nom légal de l'entreprise").click()
    assert page.evaluate("document.activeElement.id") == "id_legal_name"
    summary.get_by_role("link", name="Type d'adhésion").click()
    assert page.evaluate("document.activeElement.id") == "id_membership_type_0"
    # A click anywhere on a type's card chooses it.
    card = page.locator(".offer-card", has_text="Membre régulier")
    box = card.locator(".offer-prices").bounding_box()
    page.mouse.click(box["x"] + 5, box["y"] + 5)                 # on the prices, not the name
    assert page.get_by_role("radio", name="Membre régulier").is_checked()
    page.get_by_label("Nom légal de l'entreprise").fill("Soudure Nouvelle inc.")
    page.get_by_label("Activité principale (SCIAN)").select_option(index=1)
    page.get_by_label("Nombre d'employés").fill("8")
    page.get_by_label("Adresse").fill("12, rue des Pionniers")
    page.get_by_label("Municipalité").select_option(index=1)
    page.get_by_label("Code postal").fill("G7H 5B1")
    page.get_by_label("Votre prénom").fill("Nadia")
    page.get_by_label("Votre nom").fill("Fortin")
    page.get_by_label("Votre courriel").fill("nadia@soudure.example")
    page.get_by_label("Votre téléphone").fill("418 555 0123")
    page.get_by_label("J'accepte").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_text("Demande reçue").first.wait_for()
    assert page.errors == []
