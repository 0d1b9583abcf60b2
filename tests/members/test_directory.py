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


def test_a_company_page_is_shown_to_whom_may_see_it(client, cast):
    """A listed member company to anyone; an unlisted or non-member one only to its own
    people and staff (404 for the others)."""
    cast.acme.is_listed = False
    cast.acme.save()
    assert client.get("/repertoire/precision-acme/").status_code == 404          # visitor
    login(client, cast.carol)                                                     # a rival
    assert client.get("/repertoire/precision-acme/").status_code == 404
    assert client.get("/repertoire/genie-rival/").status_code == 200
    login(client, cast.bob)                                                       # its own
    assert "Précision Acme" in text(client.get("/repertoire/precision-acme/"))
    login(client, cast.dan)                                                       # a prospect
    assert client.get("/repertoire/prospect-transport/").status_code == 200
    assert client.get("/repertoire/precision-acme/").status_code == 404
    login(client, cast.sam)                                                       # staff
    assert client.get("/repertoire/precision-acme/").status_code == 200
    assert client.get("/repertoire/prospect-transport/").status_code == 200


def test_member_roles_come_from_one_query(cast, django_assert_num_queries):
    from alliage.core.roles import Role
    from alliage.members.selectors import member_roles

    with django_assert_num_queries(1):
        assert member_roles(cast.alice) == {Role.MEMBER_CONTACT, Role.MEMBER_ADMIN}
    with django_assert_num_queries(1):
        assert member_roles(cast.bob) == {Role.MEMBER_CONTACT}
    with django_assert_num_queries(1):
        assert member_roles(cast.dan) == {Role.MEMBER_ADMIN}      # admin of a prospect


def test_each_process_keeps_shared_values_under_their_version_only(cast, settings,
                                                                    monkeypatch):
    """With a shared cache, values are also kept in the process (bounded); a bump gives new
    keys, so nothing older than the version is ever used."""
    from alliage.members import cache

    settings.REDIS_URL = "redis://shared"            # the flag the local level follows
    monkeypatch.setattr(cache, "LOCAL_MAX", 3)
    cache._local.clear()
    calls = []

    def compute(value):
        calls.append(value)
        return value

    key = cache.key("results", "acme")
    assert cache.remember(key, lambda: compute("v1")) == "v1"
    from django.core.cache import cache as shared

    shared.delete(key)                                 # served from the process now
    assert cache.remember(key, lambda: compute("other")) == "v1" and calls == ["v1"]
    cache.bump()
    assert cache.remember(cache.key("results", "acme"), lambda: compute("v2")) == "v2"
    for n in range(5):
        cache.remember(cache.key("results", n), lambda n=n: compute(n))
    assert len(cache._local) <= 3
