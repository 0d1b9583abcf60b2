import pytest

from alliage.symbiosis import services
from alliage.symbiosis.models import Introduction, Stream

pytestmark = pytest.mark.browser


def _login(page, email):
    page.goto(page.base + "/compte/connexion/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill("correct-horse-battery-42")
    page.get_by_role("button", name="Se connecter").click()


def test_publish_an_offer_then_a_blind_introduction(page, cast):
    need = Stream.objects.create(organisation=cast.rival, kind="need", title="Litière",
                                 description="Litière pour nos poulaillers", quantity=200,
                                 unit="t/an")
    services.stream_publish(stream=need, actor=cast.sam)
    _login(page, "alice@acme.example")
    page.goto(page.base + "/symbiose/")
    page.get_by_role("link", name="Mes offres et besoins").click()
    page.get_by_role("link", name="Déclarer une offre ou un besoin").click()
    page.locator("#id_kind").select_option("offer")
    page.get_by_label("Titre").fill("Planures de rabotage")
    page.get_by_label("Description").fill("Planures et bran de scie secs")
    page.get_by_role("button", name="03 01 05").click()             # suggested while typing
    assert page.get_by_label("Code de la Liste des déchets").input_value() == "03 01 05"
    page.locator("#id_quantity").fill("500")
    page.get_by_label("Unité", exact=False).first.select_option("t/an")
    page.get_by_role("button", name="Enregistrer et publier").click()
    page.get_by_text("Publié : les correspondances sont en calcul.").wait_for()
    assert page.get_by_text("Un besoin").is_visible()
    assert not page.get_by_text(str(cast.rival)).is_visible()
    page.get_by_role("button", name="Demander une mise en relation").click()
    page.get_by_text("Identité cachée jusqu'à l'accord des deux parties").wait_for()
    intro = Introduction.objects.get()
    page.context.clear_cookies()
    _login(page, "carol@rival.example")
    page.goto(page.base + intro.get_absolute_url())
    assert page.get_by_text("Identité cachée jusqu'à l'accord des deux parties").is_visible()
    page.get_by_role("button", name="Accepter la mise en relation").click()
    page.get_by_text(str(cast.acme), exact=True).wait_for()
    assert page.errors == []
