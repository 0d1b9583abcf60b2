"""Import column names in French (issue #14, item 17): the page lists the French headers, a
file with the exports' French headers imports, the English names still do, errors name the
columns in French."""

from alliage.members.models import Affiliation, Contact, Organisation
from tests.conftest import login, text
from tests.members.test_import import _upload

FRENCH = ("Nom légal;NEQ;Code SCIAN;Employés;Municipalité;Code postal;Parc industriel;"
          "Téléphone;Courriel;Site Web\n"
          "Fonderie Nouvelle inc.;1100000099;331;30;alma;g8b5v3;Parc industriel d'Alma;"
          "418 555 0142;info@fonderie.example;https://fonderie.example\n")


def test_page_lists_the_french_column_names(client, cast):
    login(client, cast.sam)
    html = text(client.get("/gestion/import/"))
    assert "<code>Nom légal</code> (obligatoire)" in html
    assert "<code>Code SCIAN</code>" in html and "<code>Prénom</code> (obligatoire)" in html
    assert "<code>Fonction</code>" in html and "<code>Entreprise</code>" in html
    for english in ("legal_name", "trade_name", "first_name", "is_admin", "postal_code"):
        assert english not in html


def test_a_file_with_the_exports_french_headers_imports(client, cast):
    login(client, cast.sam)
    html = text(_upload(client, FRENCH))
    assert "1 ligne : nouvelles 1" in html
    client.post("/gestion/import/confirmer/")
    new = Organisation.objects.get(neq="1100000099")
    assert new.primary_sector.code == "331" and new.employees == 30
    assert new.park.slug == "alma" and new.email == "info@fonderie.example"


def test_people_headers_in_french_loosely_written(client, cast):
    login(client, cast.sam)
    content = ("prenom,NOM,courriel,Entreprise,fonction,Administrateur\n"
               "Léa,Côté,lea@acme.example,1100000011,Acheteuse,oui\n")
    _upload(client, content, name="personnes.csv", kind="contacts")
    client.post("/gestion/import/confirmer/")
    lea = Contact.objects.get(email="lea@acme.example")
    assert lea.last_name == "Côté"
    link = Affiliation.objects.get(contact=lea)
    assert link.organisation == cast.acme and link.is_admin and link.title == "Acheteuse"


def test_missing_and_bad_columns_are_named_in_french(client, cast):
    login(client, cast.sam)
    html = text(_upload(client, "NEQ;Municipalité\n1100000099;alma\n"))
    assert "Colonnes manquantes : Nom légal" in html and "legal_name" not in html
    html = text(_upload(client, "Nom légal;Courriel\nFonderie Mal Écrite inc.;pas-un-courriel\n"))
    assert "Courriel : " in html and "email :" not in html
