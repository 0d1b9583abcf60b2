from alliage.accounts.models import ApiToken
from alliage.accounts.services import api_token_create
from tests.conftest import login


def test_token_is_shown_once_and_authenticates_the_api(client, cast):
    login(client, cast.alice)
    page = client.post("/compte/jetons/", {"name": "ERP"})
    raw = page.context["raw"]
    assert raw.startswith("alk_")
    token = ApiToken.objects.get()
    assert token.key_hash != raw and raw not in token.prefix + "…"
    client.logout()
    me = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200
    assert me.json()["email"] == "alice@acme.example"
    assert "member_admin" in me.json()["roles"]


def test_revoked_token_is_refused_with_the_error_format(client, cast):
    token, raw = api_token_create(user=cast.alice, name="ERP")
    login(client, cast.alice)
    client.post(f"/compte/jetons/{token.pk}/revoquer/")
    client.logout()
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_cannot_revoke_someone_elses_token(client, cast):
    token, _raw = api_token_create(user=cast.carol, name="hers")
    login(client, cast.alice)
    assert client.post(f"/compte/jetons/{token.pk}/revoquer/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_api_call_gets_401_in_the_error_format(client, db):
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "details"}


def test_validation_errors_use_the_same_format(client, cast):
    response = client.get("/api/v1/members/organisations?limit=abc")
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid" and body["details"][0]["field"] == "limit"


def test_openapi_schema_is_published(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/members/organisations" in schema["paths"]
