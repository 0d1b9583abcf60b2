import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.people import PASSWORD

pytestmark = pytest.mark.browser


def test_home_is_french_and_switches_to_english(page, cast):
    page.goto(page.base + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name="Trouver une entreprise régionale").is_visible()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(page.base + "/")
    assert page.get_by_role("link", name="Find a regional company").is_visible()
    page.get_by_role("link", name="Français").click()
    assert page.get_by_role("link", name="Trouver une entreprise régionale").is_visible()
    assert page.errors == []


def test_staff_login_with_totp(page, cast, settings):
    settings.STAFF_2FA_REQUIRED = True
    device = TOTPDevice.objects.create(user=cast.sam, name="phone", confirmed=True)
    page.goto(page.base + "/compte/connexion/")
    page.get_by_label("Courriel").fill("sam@alliage.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/compte/verification/")
    page.get_by_label("Code à six chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url(page.base + "/")
    page.get_by_role("link", name="Gestion").click()
    page.get_by_role("heading", name="À décider aujourd'hui").wait_for()  # the staff dashboard
    assert page.errors == []
