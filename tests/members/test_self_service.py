from alliage.core.models import AuditLog
from alliage.members.models import Affiliation
from tests.conftest import login, text


def _profile(org, **changes):
    data = {"trade_name": org.trade_name, "website": org.website, "phone": org.phone,
            "email": org.email, "street": org.street, "municipality": org.municipality_id,
            "postal_code": org.postal_code, "park": org.park_id or "",
            "employees": org.employees or "", "founded_year": "", "description_fr": "",
            "description_en": "", "certifications": "", "is_listed": "on", "tag_names": ""}
    for f in ("website", "phone", "email", "street", "employees", "description", "tags",
              "certifications", "founded_year"):
        data[f"vis_{f}"] = org.visibility_of(f)
    data.update(changes)
    return data


def test_admin_edits_own_profile_and_it_is_audited(client, cast):
    login(client, cast.alice)
    response = client.post(f"/mon-entreprise/{cast.acme.pk}/", _profile(
        cast.acme, description_fr="Usinage et soudure", tag_names="soudure, usinage CNC",
        phone="(418) 555 0199"))
    assert response.status_code == 302
    cast.acme.refresh_from_db()
    assert cast.acme.phone == "418-555-0199"
    assert sorted(t.name for t in cast.acme.tags.all()) == ["soudure", "usinage CNC"]
    assert "soudure" in cast.acme.search_text
    assert AuditLog.objects.filter(action="organisation.update", actor=cast.alice).exists()


def test_bad_input_is_explained_and_changes_nothing(client, cast):
    login(client, cast.alice)
    response = client.post(f"/mon-entreprise/{cast.acme.pk}/", _profile(
        cast.acme, phone="12", postal_code="XYZ", park=cast.acme.park_id,
        municipality=cast.rival.municipality_id))
    html = text(response)
    assert response.status_code == 200
    assert "Entrez un numéro de téléphone à 10 chiffres" in html
    assert "Entrez un code postal canadien" in html
    assert "n'est pas dans la municipalité choisie" in html
    cast.acme.refresh_from_db()
    assert cast.acme.phone == "418-555-0100"


def test_admin_cannot_see_another_company(client, cast):
    login(client, cast.alice)
    for path in (f"/mon-entreprise/{cast.rival.pk}/", f"/mon-entreprise/{cast.rival.pk}/equipe/",
                 f"/mon-entreprise/{cast.rival.pk}/facturation/"):
        assert client.get(path).status_code == 404, path
    response = client.post(f"/mon-entreprise/{cast.rival.pk}/", _profile(cast.rival))
    assert response.status_code == 404


def test_admin_removes_a_colleague_but_not_the_last_admin(client, cast):
    login(client, cast.alice)
    bob_link = Affiliation.objects.get(contact=cast.bob.contact, organisation=cast.acme)
    client.post(f"/mon-entreprise/{cast.acme.pk}/equipe/{bob_link.pk}/retirer/",
                {"confirmed": "1"})
    bob_link.refresh_from_db()
    assert bob_link.ended_on is not None
    alice_link = Affiliation.objects.get(contact=cast.alice.contact, organisation=cast.acme)
    response = client.post(f"/mon-entreprise/{cast.acme.pk}/equipe/{alice_link.pk}/retirer/",
                           {"confirmed": "1"}, follow=True)
    assert "au moins un administrateur" in text(response)
    alice_link.refresh_from_db()
    assert alice_link.ended_on is None


def test_admin_cannot_remove_another_companys_person(client, cast):
    login(client, cast.alice)
    carol_link = Affiliation.objects.get(contact=cast.carol.contact)
    response = client.post(f"/mon-entreprise/{cast.acme.pk}/equipe/{carol_link.pk}/retirer/",
                           {"confirmed": "1"})
    assert response.status_code == 404
