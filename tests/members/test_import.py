import io

import openpyxl

from alliage.core.models import AuditLog
from alliage.members.models import Affiliation, Contact, Organisation
from tests.conftest import login, text

GOOD = ("legal_name,neq,scian,employees,municipality,postal_code,park,phone\n"
        "Fonderie Nouvelle inc.,1100000099,331,30,alma,g8b5v3,Parc industriel d'Alma,"
        "418 555 0142\n"
        "Usinage Précision Acme inc.,1100000011,332,60,chicoutimi,G7K 1A1,,\n")
BAD = ("legal_name,neq,scian,employees,municipality\n"
       "Bonne Ligne inc.,,332,10,alma\n"
       "Mauvais NEQ inc.,123,332,10,alma\n"
       "Ville Inconnue inc.,,332,10,Atlantis\n"
       ",,332,10,alma\n")


def _upload(client, content, name="orgs.csv", kind="organisations"):
    return client.post("/gestion/import/", {"kind": kind, "file": _named(content, name)})


def _named(content, name):
    data = io.BytesIO(content.encode() if isinstance(content, str) else content)
    data.name = name
    return data


def test_bad_rows_are_listed_and_nothing_is_written(client, cast):
    login(client, cast.sam)
    before = Organisation.objects.count()
    html = text(_upload(client, BAD))
    assert "3 lignes contiennent des erreurs" in html
    assert "numéro d'entreprise du Québec (NEQ)" in html
    assert "Atlantis" in html
    assert "Importer ces lignes" not in html
    # Even forcing the confirmation writes nothing.
    client.post("/gestion/import/confirmer/")
    assert Organisation.objects.count() == before


def test_clean_file_previews_then_imports_all_rows(client, cast):
    login(client, cast.sam)
    html = text(_upload(client, GOOD))
    assert "2 lignes : nouvelles 1, mises à jour 1, inchangées 0" in html
    assert not Organisation.objects.filter(neq="1100000099").exists()  # preview wrote nothing
    client.post("/gestion/import/confirmer/")
    new = Organisation.objects.get(neq="1100000099")
    assert new.park.slug == "alma" and new.postal_code == "G8B 5V3"
    assert new.phone == "418-555-0142"
    cast.acme.refresh_from_db()
    assert cast.acme.employees == 60
    assert AuditLog.objects.filter(action="import.organisations").exists()


def test_xlsx_contacts_import_links_people_to_companies(client, cast):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["first_name", "last_name", "email", "organisation", "title", "is_admin"])
    sheet.append(["Léa", "Côté", "Lea@acme.example", "1100000011", "Acheteuse", "oui"])
    buffer = io.BytesIO()
    book.save(buffer)
    login(client, cast.sam)
    _upload(client, buffer.getvalue(), name="people.xlsx", kind="contacts")
    client.post("/gestion/import/confirmer/")
    lea = Contact.objects.get(email="lea@acme.example")
    link = Affiliation.objects.get(contact=lea)
    assert link.organisation == cast.acme and link.is_admin and link.title == "Acheteuse"


def test_unreadable_file_is_refused_in_french(client, cast):
    login(client, cast.sam)
    html = text(_upload(client, b"\xff\xfe\x00garbage", name="x.csv"))
    assert "UTF-8" in html


def test_import_is_staff_only(client, cast):
    login(client, cast.alice)
    assert client.get("/gestion/import/").status_code == 403
