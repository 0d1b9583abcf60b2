"""Issue #14 (item 15's leftovers): French elides "de" before a company's name — "la
demande d'adhésion d'Aluminerie Alma", "des Ateliers Roy", "Nouvelles d'Alliage 02"."""

from tests.conftest import text
from tests.members.test_memberships import _apply


def test_application_mails_elide_before_a_vowel_and_contract_the_article(client, cast,
                                                                        mailoutbox):
    _apply(client, cast, legal_name="Aluminerie Alma inc.")
    mine = next(m for m in mailoutbox if m.to == ["nadia@soudure.example"])
    assert mine.subject == "Nous avons reçu la demande d'adhésion d'Aluminerie Alma inc."
    assert "Merci pour la demande d'Aluminerie Alma inc." in mine.body
    mailoutbox.clear()
    _apply(client, cast, legal_name="Les Ateliers Roy", email="roy@ateliers.example")
    mine = next(m for m in mailoutbox if m.to == ["roy@ateliers.example"])
    assert mine.subject == "Nous avons reçu la demande d'adhésion des Ateliers Roy"


def test_the_news_feed_is_named_with_elision(client, cast):
    assert "<title>Nouvelles d'Alliage 02</title>" in text(client.get("/nouvelles/flux.xml"))
