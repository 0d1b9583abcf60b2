from datetime import timedelta

from alliage.accounts.models import ApiToken
from alliage.accounts.services import api_token_create
from tests.conftest import login, text


def test_token_is_shown_once_and_authenticates_the_api(client, cast):
    login(client, cast.alice)
    page = client.post("/compte/jetons/", {"name": "ERP"}, follow=True)
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
    client.post(f"/compte/jetons/{token.pk}/revoquer/", {"confirmed": "1"})
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


# --- Security review #11, finding 11: expiry, read-only scope, revoked with the password ---

def _bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_read_only_token_reads_but_is_refused_any_write(client, cast):
    token, raw = api_token_create(user=cast.alice, name="tableau", scope="read")
    assert client.get("/api/v1/accounts/me", **_bearer(raw)).status_code == 200
    response = client.delete(f"/api/v1/accounts/tokens/{token.pk}", **_bearer(raw))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert "lecture seule" in response.json()["error"]["message"]
    token.refresh_from_db()
    assert token.revoked_at is None
    # A read-and-write token may.
    other, raw_write = api_token_create(user=cast.alice, name="ERP", scope="write")
    assert client.delete(f"/api/v1/accounts/tokens/{token.pk}",
                         **_bearer(raw_write)).status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.delete("/api/v1/accounts/tokens/999999",
                         **_bearer(raw_write)).status_code == 404


def test_expired_token_is_refused(client, cast):
    import time_machine
    from django.utils import timezone

    _token, raw = api_token_create(user=cast.alice, name="ERP", valid_days=30)
    assert client.get("/api/v1/accounts/me", **_bearer(raw)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        response = client.get("/api/v1/accounts/me", **_bearer(raw))
    assert response.status_code == 401


def test_page_creates_a_read_only_token_with_an_expiry_and_shows_both(client, cast):
    login(client, cast.alice)
    page = client.post("/compte/jetons/", {"name": "Tableau", "scope": "read",
                                           "validity": "30"}, follow=True)
    token = ApiToken.objects.get()
    assert token.scope == "read"
    assert timedelta(days=29) < token.expires_at - token.created_at <= timedelta(days=30)
    shown = text(page)
    assert "Lecture seule" in shown and "Expire" in shown
    profile = text(client.get("/compte/profil/"))
    assert "Lecture seule" in profile and "Accès" in profile
    listed = client.get("/api/v1/accounts/tokens", **_bearer(page.context["raw"])).json()
    assert listed[0]["scope"] == "read" and listed[0]["expires_at"].startswith(
        token.expires_at.strftime("%Y-%m-%d"))
    # Read and write, never expiring, when asked for.
    client.post("/compte/jetons/", {"name": "ERP", "scope": "write", "validity": "never"})
    erp = ApiToken.objects.get(name="ERP")
    assert erp.scope == "write" and erp.expires_at is None
    # Bad choices change nothing.
    client.post("/compte/jetons/", {"name": "X", "scope": "admin", "validity": "9999"})
    assert not ApiToken.objects.filter(name="X").exists()


def test_password_reset_revokes_every_token(client, cast, mailoutbox):
    _t1, raw1 = api_token_create(user=cast.bob, name="ERP")
    _t2, raw2 = api_token_create(user=cast.bob, name="CRM", scope="read")
    client.post("/compte/mot-de-passe/", {"email": "bob@acme.example"})
    link = next(line for line in mailoutbox[0].body.splitlines()
                if "/compte/reinitialiser/" in line)
    form = client.get(link.split("127.0.0.1:8000")[-1].strip(), follow=True)
    client.post(form.redirect_chain[-1][0], {
        "new_password1": "une-phrase-secrete-longue",
        "new_password2": "une-phrase-secrete-longue"})
    assert not ApiToken.objects.filter(user=cast.bob, revoked_at__isnull=True).exists()
    for raw in (raw1, raw2):
        assert client.get("/api/v1/accounts/me", **_bearer(raw)).status_code == 401


def test_password_change_revokes_tokens_but_a_login_does_not(client, cast):
    from django.contrib.auth.forms import SetPasswordForm
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from tests.people import PASSWORD

    # An old, weaker hash: logging in upgrades it, which is not a password change.
    cast.bob.password = PBKDF2PasswordHasher().encode(PASSWORD, "oldsalt", iterations=1000)
    cast.bob.save(update_fields=["password"])
    _token, raw = api_token_create(user=cast.bob, name="ERP")
    client.post("/compte/connexion/", {"email": "bob@acme.example", "password": PASSWORD})
    cast.bob.refresh_from_db()
    assert "$1000$" not in cast.bob.password
    assert client.get("/api/v1/accounts/me", **_bearer(raw)).status_code == 200
    # The change form any page or the admin uses.
    form = SetPasswordForm(cast.bob, {"new_password1": "une-autre-phrase-longue",
                                      "new_password2": "une-autre-phrase-longue"})
    assert form.is_valid()
    form.save()
    assert client.get("/api/v1/accounts/me", **_bearer(raw)).status_code == 401


# --- Walk-through #14: reloading the page that shows a new token ---

def test_token_page_is_post_redirect_get_and_shows_the_key_once(client, cast):
    login(client, cast.alice)
    posted = client.post("/compte/jetons/", {"name": "Synchronisation CRM"})
    assert posted.status_code == 302 and posted["Location"] == "/compte/jetons/nouveau/"
    page = client.get(posted["Location"])
    raw = page.context["raw"]
    shown = text(page)
    assert raw in shown and "Synchronisation CRM" in shown
    assert 'data-copy="' + raw + '"' in shown and "/static/js/copy.js" in shown
    assert "no-store" in page["Cache-Control"]
    # A reload creates nothing and shows the key no more.
    again = client.get("/compte/jetons/nouveau/")
    assert again.status_code == 302 and again["Location"] == "/compte/profil/"
    assert raw not in text(client.get("/compte/profil/"))
    assert ApiToken.objects.count() == 1
    assert "raw" not in str(dict(client.session))


def test_token_page_of_another_session_shows_nothing(client, cast):
    from django.test import Client

    login(client, cast.alice)
    client.post("/compte/jetons/", {"name": "ERP"})
    other = login(Client(), cast.alice)
    assert other.get("/compte/jetons/nouveau/")["Location"] == "/compte/profil/"


def test_token_table_is_a_named_focusable_region_with_an_actions_header(client, cast):
    api_token_create(user=cast.alice, name="ERP")
    login(client, cast.alice)
    page = text(client.get("/compte/profil/"))
    assert 'class="table-wrap table-cards" tabindex="0" role="region" ' \
           'aria-labelledby="tokens-heading"' in page
    assert '<h2 id="tokens-heading">Jetons d\'API</h2>' in page
    assert '<th><span class="visually-hidden">Actions</span></th>' in page
    assert "Authorization: Bearer alk_…" in page and "Bearer »" not in page
