from tests.conftest import login, text


def test_anonymous_directory_is_served_from_cache_until_an_edit(client, cast):
    first = client.get("/repertoire/?q=acme")
    assert "X-Alliage-Cache" not in first
    second = client.get("/repertoire/?q=acme")
    assert second["X-Alliage-Cache"] == "hit"
    cast.acme.trade_name = "Acme Renommée"
    cast.acme.save()
    third = client.get("/repertoire/?q=acme")
    assert "X-Alliage-Cache" not in third
    assert "Acme Renommée" in text(third)


def test_lapsed_member_leaves_the_cached_directory(client, cast):
    from alliage.members.services import _apply_org_status

    client.get("/repertoire/")
    assert "Génie Rival" in text(client.get("/repertoire/"))
    # No membership row: the recomputed status is "not a member", which bumps the cache.
    _apply_org_status(cast.rival)
    assert "Génie Rival" not in text(client.get("/repertoire/"))


def test_logged_in_pages_are_never_served_from_the_page_cache(client, cast):
    login(client, cast.carol)
    client.get("/repertoire/precision-acme/")
    response = client.get("/repertoire/precision-acme/")
    assert "X-Alliage-Cache" not in response
    assert "info@acme.example" in text(response)  # members-only field still shown


def test_cached_public_pages_carry_no_csrf_token(client, cast):
    html = text(client.get("/repertoire/"))
    assert "csrfmiddlewaretoken" not in html and "X-CSRFToken" not in html


def test_each_language_has_its_own_cached_page(client, cast):
    client.get("/repertoire/")
    client.get("/langue/en/?next=/repertoire/")
    assert "Directory of regional companies" in text(client.get("/repertoire/"))


def test_cached_responses_keep_their_security_headers(client, cast):
    client.get("/api/v1/members/organisations?q=acme")
    hit = client.get("/api/v1/members/organisations?q=acme")
    assert hit["X-Alliage-Cache"] == "hit"
    assert hit["Content-Type"].startswith("application/json")
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert hit.json()["count"] == 1


def test_token_requests_bypass_the_public_cache(client, cast):
    from alliage.accounts.services import api_token_create

    client.get("/api/v1/members/organisations/precision-acme")
    _token, raw = api_token_create(user=cast.carol, name="t")
    member = client.get("/api/v1/members/organisations/precision-acme",
                        HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert "X-Alliage-Cache" not in member
    assert member.json()["email"] == "info@acme.example"


def test_identity_change_reaches_cached_pages(client, cast):
    from alliage.core.models import Association

    client.get("/")
    assert client.get("/")["X-Alliage-Cache"] == "hit"
    association = Association.current()
    association.short_name = "Alliage Nouveau"
    association.save()
    assert "Alliage Nouveau" in text(client.get("/"))
