import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import text
from tests.people import PASSWORD


def _login(client, email, password=PASSWORD, **extra):
    return client.post("/compte/connexion/", {"email": email, "password": password, **extra})


def test_login_by_email_ignores_case(client, cast):
    response = _login(client, "Alice@ACME.example")
    assert response.status_code == 302
    assert client.get("/compte/profil/").status_code == 200


def test_wrong_password_gives_a_french_error(client, cast):
    response = _login(client, "alice@acme.example", "nope")
    assert "Courriel ou mot de passe incorrect." in response.content.decode()


def test_empty_form_shows_field_errors_not_500(client, cast):
    response = client.post("/compte/connexion/", {})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()


def test_repeated_failures_lock_the_account(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "bob@acme.example", "wrong")
    response = _login(client, "bob@acme.example")  # right password, but locked
    assert response.status_code in (403, 429)
    assert "temporairement bloqué" in response.content.decode()


def test_next_parameter_cannot_redirect_off_site(client, cast):
    response = client.post("/compte/connexion/?next=https://evil.example/",
                           {"email": "bob@acme.example", "password": PASSWORD,
                            "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.fixture
def two_factor(settings):
    settings.STAFF_2FA_REQUIRED = True


def _device(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_staff_with_device_must_enter_a_code(client, cast, two_factor):
    device = _device(cast.sam)
    response = _login(client, "sam@alliage.example")
    assert response["Location"] == "/compte/verification/"
    # Not logged in yet: the CRM stays closed.
    assert client.get("/gestion/entreprises/").status_code == 302
    bad = client.post("/compte/verification/", {"code": "000000"})
    assert "Ce code n'est pas valide" in text(bad)
    # django-otp throttles after a failure; a person would wait a second, the test resets.
    device.refresh_from_db()
    device.throttle_reset()
    good = client.post("/compte/verification/", {"code": f"{totp(device.bin_key):06d}"})
    assert good.status_code == 302
    assert client.get("/gestion/entreprises/").status_code == 200


def test_staff_without_device_is_sent_to_enrol(client, cast, two_factor):
    response = _login(client, "sam@alliage.example")
    assert response["Location"] == "/compte/double-authentification/"
    assert client.get("/gestion/entreprises/")["Location"] == "/compte/double-authentification/"
    page = client.get("/compte/double-authentification/")
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=cast.sam, confirmed=False)
    client.post("/compte/double-authentification/", {"code": f"{totp(device.bin_key):06d}"})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/gestion/entreprises/").status_code == 200


def test_unverified_staff_session_is_refused_by_the_api(client, cast, two_factor):
    _device(cast.sam)
    client.force_login(cast.sam, backend="alliage.accounts.backends.EmailBackend")
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "two_factor_required"


def test_members_are_not_asked_for_a_second_factor(client, cast, two_factor):
    response = _login(client, "alice@acme.example")
    assert response["Location"] == "/"


def test_logout_needs_post(client, cast):
    client.force_login(cast.bob, backend="alliage.accounts.backends.EmailBackend")
    assert client.get("/compte/deconnexion/").status_code == 405
    client.post("/compte/deconnexion/")
    assert client.get("/compte/profil/").status_code == 302


def test_password_reset_mail_goes_through_the_queue(client, cast, mailoutbox):
    client.post("/compte/mot-de-passe/", {"email": "bob@acme.example"})
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body.splitlines()
    link = next(line for line in body if "/compte/reinitialiser/" in line)
    path = link.split("127.0.0.1:8000")[-1].strip()
    form = client.get(path, follow=True)
    assert form.status_code == 200
    response = client.post(form.redirect_chain[-1][0], {
        "new_password1": "une-phrase-secrete-longue", "new_password2": "une-phrase-secrete-longue"})
    assert response.status_code == 302
    cast.bob.refresh_from_db()
    assert cast.bob.check_password("une-phrase-secrete-longue")
