import pytest

pytestmark = pytest.mark.browser


def test_directory_search_updates_results_as_you_type(page, cast):
    page.goto(page.base + "/repertoire/")
    assert page.get_by_text("Génie Rival").is_visible()
    page.get_by_label("Rechercher").fill("precision")
    page.get_by_role("heading", name="Précision Acme").wait_for()
    page.get_by_text("Génie Rival").wait_for(state="detached")
    assert "q=precision" in page.url  # htmx pushed the URL, so the page can be shared
    assert page.errors == []


def test_member_admin_edits_the_profile(page, cast):
    page.goto(page.base + "/compte/connexion/")
    page.get_by_label("Courriel").fill("alice@acme.example")
    page.get_by_label("Mot de passe").fill("correct-horse-battery-42")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Mon entreprise").click()
    page.get_by_label("Description (français)").fill("Usinage CNC 5 axes et soudure robotisée.")
    page.get_by_label("Produits et savoir-faire").fill("usinage 5 axes, soudure robotisée")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Le profil est enregistré.").wait_for()
    page.goto(page.base + "/repertoire/?q=robotisee")
    assert page.get_by_role("heading", name="Précision Acme").is_visible()
    assert page.errors == []
