"""Security review #11, item 8 (replayed as N4): input no page can store answers a clear
error and changes nothing, never a 500: NUL characters (PostgreSQL refuses them) and ids too
large for the database (SQLite raised OverflowError inside every multiple-choice field)."""

import json

import pytest

from alliage.mailing.models import MailingList, Subscriber
from alliage.members.models import Organisation
from tests.conftest import login, text

HUGE = str(10**30)


def test_in_lookups_ignore_numbers_no_column_can_hold(cast):
    found = Organisation.objects.filter(pk__in=[10**30, cast.acme.pk, -(10**30)])
    assert list(found) == [cast.acme]
    assert list(Organisation.objects.filter(pk__in=[10**30])) == []


def test_newsletter_form_with_a_huge_list_id_is_a_form_error(client, db):
    MailingList.objects.create(slug="infolettre", name_fr="Infolettre")
    response = client.post("/infolettre/", {
        "email": "marie@exemple.ca", "first_name": "Marie", "organisation_name": "",
        "language": "fr", "lists": [HUGE], "consent": "on"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    assert not Subscriber.objects.exists()


def test_member_profile_with_a_huge_sector_id_is_a_form_error(client, cast):
    login(client, cast.alice)
    before = list(cast.acme.secondary_sectors.all())
    response = client.post(f"/mon-entreprise/{cast.acme.pk}/", {
        "legal_name": "Changé", "secondary_sectors": [HUGE]})
    assert response.status_code == 200
    cast.acme.refresh_from_db()
    assert cast.acme.legal_name != "Changé"
    assert list(cast.acme.secondary_sectors.all()) == before


@pytest.mark.parametrize("path", ["/symbiose/?q=a%00b", "/repertoire/?q=a%00b",
                                  "/activites/?q=%00", "/symbiose/?a%00=1"])
def test_nul_in_a_query_string_is_refused_in_french(client, db, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "caractère interdit" in text(response)


def test_nul_in_a_staff_search_is_refused(client, cast):
    login(client, cast.sam)
    response = client.get("/gestion/personnes/?q=a%00b")
    assert response.status_code == 400 and "caractère interdit" in text(response)


def test_nul_in_a_posted_form_changes_nothing(client, cast):
    login(client, cast.bob)
    response = client.post("/compte/effacement/", {"reason": "je pars\x00"})
    assert response.status_code == 400
    from alliage.members.models import ErasureRequest

    assert not ErasureRequest.objects.exists()


def test_nul_in_a_json_body_is_a_json_error(client, db):
    response = client.post("/api/v1/members/organisations", data=json.dumps({"q": "a\u0000"}),
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_api_answers_unknown_methods_in_its_error_format(client, db):
    response = client.delete("/api/v1/members/organisations")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_api_answers_head_like_get_without_a_body(client, db):
    response = client.head("/api/v1/members/organisations")
    assert response.status_code == 200 and response.content == b""


def test_a_nul_in_a_cookie_is_ignored_never_a_500(client, cast):
    """Review #11 replay, L1: a quoted cookie "abc\\000def" decodes to a NUL; the session
    lookup then failed on PostgreSQL for any anonymous request."""
    from http.cookies import SimpleCookie

    client.cookies = SimpleCookie()
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/members/organisations").status_code == 200
    client.cookies = SimpleCookie()
    login(client, cast.bob)
    client.cookies["alliage_language"] = "en\x00"
    assert client.get("/").status_code == 200
