"""Issue #14, item 1, with JavaScript: the browser asks; dismissed, nothing happens;
accepted, the action is done at once (no second question from the server)."""

import pytest

from tests.events.conftest import make_event

pytestmark = pytest.mark.browser


def _login(page, email):
    page.goto(page.base + "/compte/connexion/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill("correct-horse-battery-42")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base + "/")


def test_cancelling_a_registration_asks_in_the_browser(page, cast):
    from alliage.events import services
    from alliage.events.models import Registration

    event = make_event(slug="visite-usine", title_fr="Visite d'usine")
    services.order_create(event=event, ticket_type=event.ticket_types.get(),
                          buyer=cast.bob.contact, attendees=[cast.bob.contact],
                          organisation=cast.acme)
    _login(page, "bob@acme.example")
    page.goto(page.base + "/activites/visite-usine/")
    questions = []
    page.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Annuler mon inscription").click()
    page.wait_for_timeout(300)
    assert questions == ["Annuler votre inscription?"]
    assert Registration.objects.get().status == "confirmed"
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Annuler mon inscription").click()
    page.get_by_text("Votre inscription est annulée").wait_for()
    assert Registration.objects.get().status == "cancelled"
    assert page.errors == []
