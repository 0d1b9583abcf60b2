"""Ids posted by hand to symbiosis forms get a clear error, never a 500 (issue #11,
finding 8)."""

import pytest

from alliage.symbiosis.models import Stream
from tests.conftest import login, text

BAD_IDS = ["abc", "²", "1.5", "-3", "99999999999999999999", " "]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_needs_assessment_with_a_bad_company_id(client, cast, bad):
    login(client, cast.sam)                   # staff choose among every company
    response = client.post("/symbiose/diagnostic-besoins/",
                           {"organisation": bad, "heat": "1"})
    assert response.status_code == 200
    assert "Choisissez l'entreprise." in text(response)
    assert not Stream.objects.exists()


def test_needs_assessment_ignores_another_companys_id(client, cast):
    login(client, cast.alice)                 # one company: chosen for her
    response = client.post("/symbiose/diagnostic-besoins/",
                           {"organisation": cast.rival.pk, "heat": "1"})
    assert response.status_code == 200 and "Choisissez l'entreprise." in text(response)
    assert not Stream.objects.exists()
    client.post("/symbiose/diagnostic-besoins/", {"heat": "1"})
    assert Stream.objects.get().organisation == cast.acme


@pytest.mark.parametrize("bad", BAD_IDS)
def test_new_stream_with_a_bad_company_id(client, cast, bad):
    login(client, cast.sam)
    assert client.get("/symbiose/flux/nouveau/", {"organisation": bad}).status_code == 200
    response = client.post("/symbiose/flux/nouveau/", {
        "organisation": bad, "kind": "offer", "category": "material", "title": "Copeaux",
        "description": "Copeaux de bois", "frequency": "continuous",
        "physical_state": "solid", "confidentiality": "members"})
    assert response.status_code == 200
    assert "Choisissez l'entreprise." in text(response)
    assert not Stream.objects.exists()


def test_out_of_range_ids_in_addresses_are_not_found(client, cast):
    login(client, cast.sam)
    huge = "99999999999999999999"
    for url in (f"/symbiose/flux/{huge}/", f"/symbiose/flux/{huge}/modifier/",
                f"/symbiose/introductions/{huge}/", f"/symbiose/flux/1/fichiers/{huge}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/symbiose/correspondances/{huge}/introduction/").status_code == 404
