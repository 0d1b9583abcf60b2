"""Walk-through #11: two-factor with a way back (one-time backup codes) and devices the
owner can see, rename and remove, never leaving a staff account without a second factor."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliage.accounts import services
from alliage.core.models import AuditLog
from tests.conftest import text
from tests.people import PASSWORD

CRM = "/gestion/entreprises/"
CODE = re.compile(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>")


@pytest.fixture
def staff(cast, settings):
    settings.STAFF_2FA_REQUIRED = True
    return cast.sam, TOTPDevice.objects.create(user=cast.sam, name="phone", confirmed=True)


def _code(device):
    return f"{totp(device.bin_key):06d}"


def _verified(client, device):
    client.post("/compte/connexion/", {"email": device.user.email, "password": PASSWORD})
    assert client.post("/compte/verification/", {"code": _code(device)}).status_code == 302


def _enrol(client, cast):
    client.post("/compte/connexion/", {"email": cast.sam.email, "password": PASSWORD})
    client.get("/compte/double-authentification/")
    device = TOTPDevice.objects.get(user=cast.sam, confirmed=False)
    return client.post("/compte/double-authentification/", {"code": _code(device)})


def test_enrolment_shows_backup_codes_once_and_stores_only_digests(client, cast, settings,
                                                                    mailoutbox):
    settings.STAFF_2FA_REQUIRED = True
    response = _enrol(client, cast)
    assert response["Location"] == "/compte/codes-de-secours/"
    page = client.get("/compte/codes-de-secours/")
    codes = CODE.findall(text(page))
    assert len(codes) == services.BACKUP_CODE_COUNT == 10
    assert "no-store" in page["Cache-Control"]
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert not {c.replace("-", "") for c in codes} & stored
    # Once: the reload shows the count, never the codes.
    again = text(client.get("/compte/codes-de-secours/"))
    assert not CODE.findall(again) and "10 codes de secours inutilisés." in again
    # One message for the enrolment (the device), none more for its codes.
    assert len(mailoutbox) == 1


def test_a_backup_code_opens_the_session_once_audited_and_mailed(client, cast, staff,
                                                                  mailoutbox):
    sam, device = staff
    codes = services.two_factor_backup_codes_create(user=sam, verified=True, mail=False)
    client.post("/compte/connexion/", {"email": sam.email, "password": PASSWORD})
    response = client.post("/compte/verification/", {"code": codes[0].upper()},
                           REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 302
    assert client.get(CRM).status_code == 200
    assert services.two_factor_backup_codes_left(user=sam) == 9
    entry = AuditLog.objects.get(action="two_factor.backup_code_used")
    assert entry.changes == {"left": 9} and entry.ip_address == "192.0.2.9"
    assert "Un code de secours a ouvert votre compte" in mailoutbox[-1].subject
    assert "Il en reste 9" in mailoutbox[-1].body
    # The same code never works twice.
    client.post("/compte/deconnexion/")
    client.post("/compte/connexion/", {"email": sam.email, "password": PASSWORD})
    StaticDevice.objects.get(user=sam).throttle_reset()
    again = client.post("/compte/verification/", {"code": codes[0]})
    assert "n'est pas valide ou a déjà servi" in text(again)
    assert client.get(CRM).status_code == 302


def test_regenerating_needs_a_verified_session_voids_the_old_set_and_is_mailed(
        client, cast, staff, mailoutbox):
    sam, device = staff
    old = services.two_factor_backup_codes_create(user=sam, verified=True, mail=False)
    with pytest.raises(PermissionDenied):
        services.two_factor_backup_codes_create(user=sam, verified=False)
    client.force_login(sam, backend="alliage.accounts.backends.EmailBackend")
    assert client.post("/compte/codes-de-secours/")["Location"].startswith(
        "/compte/verification/")
    assert services.two_factor_backup_code_use(user=sam, code=old[1]) is not None
    _verified(client, device)
    response = client.post("/compte/codes-de-secours/", REMOTE_ADDR="192.0.2.7")
    assert response["Location"] == "/compte/codes-de-secours/"
    new = CODE.findall(text(client.get("/compte/codes-de-secours/")))
    assert len(new) == 10 and not set(new) & set(old)
    assert services.two_factor_backup_code_use(user=sam, code=old[2]) is None
    assert AuditLog.objects.filter(action="two_factor.backup_codes").count() == 2
    assert "Nouveaux codes de secours" in mailoutbox[-1].subject
    assert "192.0.2.7" in mailoutbox[-1].body


def test_profile_lists_devices_with_name_and_date(client, cast, staff):
    sam, device = staff
    TOTPDevice.objects.create(user=sam, name="tablette", confirmed=True)
    TOTPDevice.objects.create(user=sam, name="pending", confirmed=False)
    _verified(client, device)
    page = text(client.get("/compte/profil/"))
    assert "<strong>phone</strong>" in page and "<strong>tablette</strong>" in page
    assert "pending" not in page
    assert "Ajouté le" in page
    assert "/compte/codes-de-secours/" in page


def test_rename_a_device_audited_and_only_ones_own(client, cast, staff):
    sam, device = staff
    theirs = TOTPDevice.objects.create(user=cast.bob, name="bob", confirmed=True)
    _verified(client, device)
    response = client.post(f"/compte/appareils/{device.pk}/renommer/",
                           {"name": "  Pixel de Sam "})
    assert response["Location"] == "/compte/profil/"
    device.refresh_from_db()
    assert device.name == "Pixel de Sam"
    assert AuditLog.objects.get(action="two_factor.device_rename").changes == {
        "name": ["phone", "Pixel de Sam"]}
    assert client.post(f"/compte/appareils/{theirs.pk}/renommer/",
                       {"name": "mine"}).status_code == 404


def test_remove_asks_first_then_removes_audited_and_mailed(client, cast, staff, mailoutbox):
    sam, device = staff
    other = TOTPDevice.objects.create(user=sam, name="old phone", confirmed=True)
    _verified(client, device)
    confirm = client.get(f"/compte/appareils/{other.pk}/retirer/")
    assert confirm.status_code == 200 and "Retirer cet appareil" in text(confirm)
    assert TOTPDevice.objects.filter(pk=other.pk).exists()
    response = client.post(f"/compte/appareils/{other.pk}/retirer/", REMOTE_ADDR="192.0.2.5")
    assert response["Location"] == "/compte/profil/"
    assert not TOTPDevice.objects.filter(pk=other.pk).exists()
    entry = AuditLog.objects.get(action="two_factor.device_remove")
    assert entry.changes == {"name": "old phone", "devices": 1}
    assert entry.object_id == str(other.pk)
    mail = mailoutbox[-1]
    assert "retiré" in mail.subject and "old phone" in mail.body and "192.0.2.5" in mail.body


def test_the_last_device_of_staff_is_never_removed(client, cast, staff):
    sam, device = staff
    services.two_factor_backup_codes_create(user=sam, verified=True, mail=False)
    _verified(client, device)
    page = text(client.get(f"/compte/appareils/{device.pk}/retirer/"))
    assert "Ajoutez d'abord le nouvel appareil" in page
    assert "Retirer cet appareil</button>" not in page
    client.post(f"/compte/appareils/{device.pk}/retirer/")
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert services.two_factor_backup_codes_left(user=sam) == 10
    # A new device replaces it: then the old one may go.
    new = TOTPDevice.objects.create(user=sam, name="new phone", confirmed=True)
    client.post(f"/compte/appareils/{device.pk}/retirer/")
    assert list(services.two_factor_devices(sam)) == [new]


def test_without_the_requirement_the_last_device_goes_with_its_codes(client, cast, staff,
                                                                     settings):
    sam, device = staff
    services.two_factor_backup_codes_create(user=sam, verified=True, mail=False)
    settings.STAFF_2FA_REQUIRED = False
    assert services.two_factor_device_remove(user=sam, device_id=device.pk, verified=True)
    assert not StaticDevice.objects.filter(user=sam).exists()


def test_device_management_needs_a_verified_session(client, cast, staff):
    sam, device = staff
    other = TOTPDevice.objects.create(user=sam, name="other", confirmed=True)
    client.force_login(sam, backend="alliage.accounts.backends.EmailBackend")
    for path in (f"/compte/appareils/{other.pk}/retirer/",
                 f"/compte/appareils/{other.pk}/renommer/"):
        assert client.post(path, {"name": "x"}).status_code == 302
    assert TOTPDevice.objects.filter(pk=other.pk, name="other").exists()
    for call in (services.two_factor_device_remove, services.two_factor_device_rename):
        with pytest.raises(PermissionDenied):
            call(user=sam, device_id=other.pk, verified=False, **(
                {"name": "x"} if call is services.two_factor_device_rename else {}))


def test_setup_key_is_shown_in_groups_of_four_with_a_copy_button(client, cast, settings):
    settings.STAFF_2FA_REQUIRED = True
    client.post("/compte/connexion/", {"email": cast.sam.email, "password": PASSWORD})
    page = text(client.get("/compte/double-authentification/"))
    key = re.search(r'data-copy="([A-Z2-7]{32})"', page).group(1)
    grouped = " ".join(key[i:i + 4] for i in range(0, 32, 4))
    assert f'<span class="secret secret-key">{grouped}</span>' in page
