"""Hand-typed ids in CRM query strings give a clear message, never a 500 (issue #11, item 8)."""

import pytest

from alliage.members.models import Segment
from tests.conftest import login, text

BAD_IDS = ["abc", "²", "1.5", "-3", "99999999999999999999"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_crm_list_with_a_bad_segment_id(client, cast, bad):
    Segment.objects.create(name="Actifs", query={"status": "active"})
    login(client, cast.sam)
    response = client.get("/gestion/entreprises/", {"segment": bad})
    assert response.status_code == 200
    assert "Ce segment n'existe pas." in text(response)
    assert "Génie Rival" in text(response) and "Prospect Transport" in text(response)
    export = client.get("/gestion/entreprises/", {"segment": bad, "export": "csv"})
    assert export.status_code == 200 and "Prospect Transport" in export.content.decode()


def test_crm_list_with_a_blank_segment_is_the_whole_list(client, cast):
    login(client, cast.sam)
    response = client.get("/gestion/entreprises/", {"segment": " "})
    assert response.status_code == 200 and "Prospect Transport" in text(response)
    assert "Ce segment n'existe pas." not in text(response)


def test_crm_list_with_an_unknown_segment_id(client, cast):
    login(client, cast.sam)
    response = client.get("/gestion/entreprises/", {"segment": "424242"})
    assert response.status_code == 200 and "Ce segment n'existe pas." in text(response)


def test_crm_list_with_a_good_segment_id_applies_it(client, cast):
    segment = Segment.objects.create(name="Actifs", query={"status": "active"})
    login(client, cast.sam)
    response = client.get("/gestion/entreprises/", {"segment": str(segment.pk)})
    assert "Génie Rival" in text(response) and "Prospect Transport" not in text(response)
    assert "Ce segment n'existe pas." not in text(response)


@pytest.mark.parametrize("bad", ["abc", "²", "99999999999999999999"])
def test_directory_page_number_is_read_safely(client, cast, bad):
    login(client, cast.carol)  # a member: the results cache is used
    response = client.get("/repertoire/", {"page": bad})
    assert response.status_code == 200 and "Précision Acme" in text(response)


@pytest.mark.parametrize("bad", BAD_IDS)
def test_invite_link_of_the_crm_with_a_bad_organisation_id(client, cast, bad):
    login(client, cast.sam)
    response = client.get("/compte/invitations/nouvelle/", {"organisation": bad})
    assert response.status_code == 200
