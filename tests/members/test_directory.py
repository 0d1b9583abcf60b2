from alliage.members.models import Tag
from tests.conftest import login, text


def test_search_ignores_accents_and_case(client, cast):
    html = text(client.get("/repertoire/?q=precision"))
    assert "Précision Acme" in html
    assert "Génie Rival" not in html
    assert "Précision Acme" in text(client.get("/repertoire/?q=PRÉCISION"))


def test_search_finds_capability_tags(client, cast):
    tag = Tag.objects.create(name="découpe laser", slug="decoupe-laser")
    cast.acme.tags.add(tag)
    cast.acme.save()
    assert "Précision Acme" in text(client.get("/repertoire/?q=decoupe"))
    assert "Précision Acme" in text(client.get("/repertoire/?tag=decoupe-laser"))


def test_filters_by_sector_prefix_park_municipality_and_size(client, cast):
    assert "Précision Acme" in text(client.get("/repertoire/?sector=33"))
    assert "Précision Acme" not in text(client.get("/repertoire/?sector=54"))
    assert "Génie Rival" in text(client.get("/repertoire/?municipality=alma"))
    assert "Précision Acme" in text(client.get("/repertoire/?park=haut-saguenay"))
    assert "Précision Acme" in text(client.get("/repertoire/?size=20-49"))
    assert "Précision Acme" not in text(client.get("/repertoire/?size=1-4"))


def test_non_members_are_not_listed(client, cast):
    assert "Prospect Transport" not in text(client.get("/repertoire/"))
    assert client.get("/repertoire/prospect-transport/").status_code == 404


def test_bad_filter_values_do_not_break_the_page(client, cast):
    response = client.get("/repertoire/?size=huge&sector=zz&page=abc")
    assert response.status_code == 200


def test_htmx_request_returns_only_the_results(client, cast):
    response = client.get("/repertoire/?q=acme", HTTP_HX_REQUEST="true",
                          HTTP_HX_TARGET="directory-results")
    html = text(response)
    assert "Précision Acme" in html and "<html" not in html


def test_public_sees_public_fields_only(client, cast):
    html = text(client.get("/repertoire/precision-acme/"))
    assert "418-555-0100" in html          # phone: public by default
    assert "info@acme.example" not in html  # email: members only by default
    assert "1100000011" not in html         # NEQ: staff only


def test_members_see_members_only_fields(client, cast):
    login(client, cast.carol)
    html = text(client.get("/repertoire/precision-acme/"))
    assert "info@acme.example" in html
    assert "1100000011" not in html


def test_staff_see_everything(client, cast):
    login(client, cast.sam)
    assert "1100000011" in text(client.get("/repertoire/precision-acme/"))


def test_a_company_can_hide_a_field_from_the_public(client, cast):
    cast.acme.field_visibility = {"phone": "members"}
    cast.acme.save()
    assert "418-555-0100" not in text(client.get("/repertoire/precision-acme/"))


def test_map_page_lists_members_without_tiles(client, cast):
    html = text(client.get("/repertoire/carte/"))
    assert "Précision Acme" in html and 'id="map-points"' in html


def test_directory_list_query_count_is_flat(client, cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/repertoire/")


def test_api_applies_the_same_visibility(client, cast):
    public = client.get("/api/v1/members/organisations?q=precision").json()
    assert public["count"] == 1
    assert public["results"][0]["email"] is None
    login(client, cast.carol)
    member = client.get("/api/v1/members/organisations/precision-acme").json()
    assert member["email"] == "info@acme.example" and member["neq"] is None
    assert client.get("/api/v1/members/organisations/prospect-transport").status_code == 404
