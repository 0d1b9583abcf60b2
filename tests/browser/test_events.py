import pytest
from django.core import mail

from tests.events.conftest import make_event

pytestmark = pytest.mark.browser


def test_register_from_the_public_page_to_the_confirmation_email(page, cast):
    event = make_event(slug="golf-test", kind="golf", title_fr="Tournoi de golf test",
                       questions=["Handicap"])
    page.goto(page.base + "/activites/")
    page.get_by_role("link", name="Tournoi de golf test").click()
    page.get_by_role("link", name="Connectez-vous pour le prix membre").click()
    page.get_by_label("Courriel").fill("alice@acme.example")
    page.get_by_label("Mot de passe").fill("correct-horse-battery-42")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**/activites/{event.slug}/")
    page.get_by_label("Bob Gagnon").check()  # a colleague, on the same order
    page.get_by_label("Handicap").fill("12")
    page.get_by_role("button", name="S'inscrire", exact=True).click()
    page.get_by_text("Inscription enregistrée").wait_for()
    assert page.get_by_text("Vous êtes inscrit.").is_visible()
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert ("alice@acme.example", "Inscription confirmée : Tournoi de golf test") in subjects
    assert ("bob@acme.example", "Inscription confirmée : Tournoi de golf test") in subjects
    assert page.errors == []
