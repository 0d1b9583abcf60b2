"""Security review #11, finding 1: a staff password alone must never reach the CRM, the
Law 25 exports or the Django admin, nor leave a second factor of the attacker's behind."""

import pytest
from django.core.exceptions import PermissionDenied
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliage.accounts import services
from alliage.core.models import AuditLog
from tests.conftest import text
from tests.people import PASSWORD

CRM = "/gestion/entreprises/"


@pytest.fixture
def staff(cast, settings):
    """Sam, superuser, protected by one confirmed device; two-factor required."""
    settings.STAFF_2FA_REQUIRED = True
    cast.sam.is_superuser = True
    cast.sam.save(update_fields=["is_superuser"])
    device = TOTPDevice.objects.create(user=cast.sam, name="phone", confirmed=True)
    return cast.sam, device


def _code(device):
    return f"{totp(device.bin_key):06d}"


def _law25_export(cast):
    return f"/gestion/personnes/{cast.bob.contact_id}/export.json"


def _verified_login(client, device):
    client.post("/compte/connexion/", {"email": device.user.email, "password": PASSWORD})
    response = client.post("/compte/verification/", {"code": _code(device)})
    assert response.status_code == 302, text(response)


def test_password_alone_at_the_admin_login_cannot_enrol_a_device_nor_open_anything(
        client, cast, staff, mailoutbox):
    sam, _device = staff
    # The attack of the review, step by step: the stock admin login with the password...
    client.post("/admin/login/?next=/admin/", {"username": sam.email, "password": PASSWORD,
                                               "next": "/admin/"})
    # ...then the site's enrolment page, whose new device's code verified the session.
    client.get("/compte/double-authentification/")
    for pending in TOTPDevice.objects.filter(user=sam, confirmed=False):
        client.post("/compte/double-authentification/", {"code": _code(pending)})
    assert client.get(CRM).status_code != 200
    assert client.get(_law25_export(cast)).status_code != 200
    assert client.get("/admin/").status_code != 200
    assert client.get("/admin/members/organisation/").status_code != 200
    assert list(TOTPDevice.objects.filter(user=sam, confirmed=True)) == [_device]


def test_admin_login_page_sends_to_the_site_login(client, cast, staff):
    response = client.get("/admin/login/?next=/admin/members/organisation/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/admin/members/organisation/"
    posted = client.post("/admin/login/", {"username": "sam@alliage.example",
                                           "password": PASSWORD})
    assert posted.status_code == 302 and "_auth_user_id" not in client.session
    off_site = client.get("/admin/login/?next=https://evil.example/")
    assert off_site["Location"] == "/compte/connexion/?next=/admin/"


def test_an_unverified_session_with_a_device_may_only_verify(client, cast, staff):
    sam, device = staff
    # However the password-only session was opened (here: directly).
    client.force_login(sam, backend="alliage.accounts.backends.EmailBackend")
    response = client.get("/compte/double-authentification/")
    assert response["Location"] == "/compte/verification/"
    client.post("/compte/double-authentification/", {"code": "123456"})
    assert TOTPDevice.objects.filter(user=sam).count() == 1
    # The rule lives in the service too: a device made by other means is refused.
    stray = TOTPDevice.objects.create(user=sam, name="attacker", confirmed=False)
    with pytest.raises(PermissionDenied):
        services.two_factor_device_confirm(user=sam, device=stray, code=_code(stray),
                                           verified=False)
    stray.refresh_from_db()
    assert not stray.confirmed
    # The real factor still opens the session.
    assert client.post("/compte/verification/", {"code": _code(device)}).status_code == 302
    assert client.get(CRM).status_code == 200


def test_site_login_and_code_open_the_admin_to_a_superuser(client, cast, staff):
    _sam, device = staff
    _verified_login(client, device)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/members/organisation/").status_code == 200


def test_a_verified_session_adds_a_device_audited_and_mailed(client, cast, staff, mailoutbox):
    sam, device = staff
    _verified_login(client, device)
    page = client.get("/compte/double-authentification/")
    assert page.status_code == 200 and "Ajouter un autre appareil" in text(page)
    new = TOTPDevice.objects.get(user=sam, confirmed=False)
    response = client.post("/compte/double-authentification/", {"code": _code(new)},
                           REMOTE_ADDR="192.0.2.44")
    assert response["Location"] == "/compte/profil/"
    assert TOTPDevice.objects.filter(user=sam, confirmed=True).count() == 2
    entry = AuditLog.objects.get(action="two_factor.device_add")
    assert entry.actor == sam and entry.ip_address == "192.0.2.44"
    assert entry.changes == {"devices": 2}
    mail = next(m for m in mailoutbox if m.to == [sam.email])
    assert "Nouvel appareil" in mail.subject
    assert "192.0.2.44" in mail.body and "/compte/profil/" in mail.body


def test_a_first_device_is_audited_and_mailed_too(client, cast, settings, mailoutbox):
    settings.STAFF_2FA_REQUIRED = True
    client.post("/compte/connexion/", {"email": cast.sam.email, "password": PASSWORD})
    client.get("/compte/double-authentification/")
    device = TOTPDevice.objects.get(user=cast.sam, confirmed=False)
    client.post("/compte/double-authentification/", {"code": _code(device)})
    assert AuditLog.objects.filter(action="two_factor.device_add", actor=cast.sam).exists()
    assert [m.to for m in mailoutbox] == [[cast.sam.email]]


def test_a_wrong_code_adds_nothing(client, cast, staff, mailoutbox):
    sam, device = staff
    _verified_login(client, device)
    client.get("/compte/double-authentification/")
    response = client.post("/compte/double-authentification/", {"code": "000000"})
    assert "Ce code n'est pas valide" in text(response)
    assert TOTPDevice.objects.filter(user=sam, confirmed=True).count() == 1
    assert not AuditLog.objects.filter(action="two_factor.device_add").exists()
    assert mailoutbox == []


def _secret(page):
    import re

    return re.search(r"[A-Z2-7]{32}", text(page)).group(0)


def test_a_pending_secret_is_never_shown_to_another_session(client, cast, settings):
    """Replay N1: someone who knows the password opens the setup page first, reads the secret
    and waits for the owner to confirm that device; the owner must get a secret of their own."""
    from django.test import Client

    settings.STAFF_2FA_REQUIRED = True
    attacker, owner = Client(), client
    attacker.post("/compte/connexion/", {"email": cast.sam.email, "password": PASSWORD})
    stolen = _secret(attacker.get("/compte/double-authentification/"))
    owner.post("/compte/connexion/", {"email": cast.sam.email, "password": PASSWORD})
    page = owner.get("/compte/double-authentification/")
    assert _secret(page) != stolen
    assert TOTPDevice.objects.filter(user=cast.sam, confirmed=False).count() == 1
    device = TOTPDevice.objects.get(user=cast.sam, confirmed=False)
    assert owner.post("/compte/double-authentification/",
                      {"code": _code(device)}).status_code == 302
    confirmed = TOTPDevice.objects.get(user=cast.sam, confirmed=True)
    from base64 import b32encode

    assert b32encode(confirmed.bin_key).decode() != stolen
    # The attacker's own page now holds a dead device: its next code confirms nothing.
    assert TOTPDevice.objects.filter(user=cast.sam).count() == 1


def test_reloading_the_setup_page_keeps_this_sessions_secret(client, cast, settings):
    settings.STAFF_2FA_REQUIRED = True
    client.post("/compte/connexion/", {"email": cast.sam.email, "password": PASSWORD})
    first = _secret(client.get("/compte/double-authentification/"))
    assert _secret(client.get("/compte/double-authentification/")) == first


def test_the_admin_never_shows_nor_adds_otp_devices(client, cast, staff):
    """Replay N2: the admin listed TOTP seeds and QR codes and let a superuser add a device
    for anyone, unaudited and unannounced. Devices are managed only by their owner's pages."""
    from django.contrib import admin

    sam, device = staff
    assert not any(model._meta.app_label.startswith("otp_") for model in admin.site._registry)
    _verified_login(client, device)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 404
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").status_code == 404
