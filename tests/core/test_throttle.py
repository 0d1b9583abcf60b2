"""Security review #11, finding 10: login, password reset, newsletter and membership forms
are limited per client IP and per email address, with a French message and HTTP 429."""

import socket
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.utils import timezone

from alliage.core import throttle
from alliage.core.models import Email
from alliage.mailing.models import MailingList, Subscriber
from alliage.members.models import Organisation
from tests.conftest import text
from tests.people import PASSWORD

MESSAGE = "Trop de tentatives. Attendez"


@pytest.fixture
def rates(settings):
    """Small limits so a test needs few requests (the real ones are in settings)."""
    settings.THROTTLE_RATES = {
        "login": {"ip": (3, 900), "address": (3, 900)},
        "password_reset": {"ip": (3, 3600), "address": (2, 3600)},
        "subscribe": {"ip": (3, 3600), "address": (2, 3600)},
        "application": {"ip": (2, 3600), "address": (2, 3600)},
    }
    return settings.THROTTLE_RATES


def _login(client, email, password, ip):
    return client.post("/compte/connexion/", {"email": email, "password": password},
                       REMOTE_ADDR=ip)


def test_password_spraying_from_one_address_is_stopped(client, cast, rates):
    for email in ("alice@acme.example", "bob@acme.example", "carol@rival.example"):
        assert _login(client, email, "Printemps2026!", "203.0.113.9").status_code == 200
    # The fourth account, even with its right password, is not tried from that address.
    response = _login(client, "dan@prospect.example", PASSWORD, "203.0.113.9")
    assert response.status_code == 429 and MESSAGE in text(response)
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
    # Someone else, elsewhere, logs in normally.
    assert _login(client, "dan@prospect.example", PASSWORD, "198.51.100.7").status_code == 302


def test_guessing_one_account_from_many_addresses_is_stopped(client, cast, rates):
    for n in range(3):
        _login(client, "bob@acme.example", f"guess-{n}", f"203.0.113.{n}")
    response = _login(client, "bob@acme.example", PASSWORD, "203.0.113.50")
    assert response.status_code == 429 and MESSAGE in text(response)
    assert "_auth_user_id" not in client.session


def test_the_limit_resets_after_its_window(client, cast, rates):
    for _ in range(4):
        _login(client, "bob@acme.example", "nope", "203.0.113.9")
    assert _login(client, "alice@acme.example", PASSWORD, "203.0.113.9").status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _login(client, "alice@acme.example", PASSWORD, "203.0.113.9").status_code == 302


def test_password_reset_is_limited_per_address_and_per_ip(client, cast, rates):
    for n in range(2):
        assert client.post("/compte/mot-de-passe/", {"email": "bob@acme.example"},
                           REMOTE_ADDR=f"203.0.113.{n}").status_code == 302
    sent = Email.objects.filter(to="bob@acme.example").count()
    assert sent >= 1  # two links asked within one second are one message (same token)
    # Past the per-address limit nothing more is sent, but the page answers as usual: the
    # links already sent stay valid, and strangers never keep the owner from resetting.
    response = client.post("/compte/mot-de-passe/", {"email": "bob@acme.example"},
                           REMOTE_ADDR="203.0.113.77")
    assert response.status_code == 302
    assert Email.objects.filter(to="bob@acme.example").count() == sent
    # Per IP: a third address from the same connection is refused too.
    client.post("/compte/mot-de-passe/", {"email": "alice@acme.example"},
                REMOTE_ADDR="198.51.100.1")
    client.post("/compte/mot-de-passe/", {"email": "carol@rival.example"},
                REMOTE_ADDR="198.51.100.1")
    client.post("/compte/mot-de-passe/", {"email": "dan@prospect.example"},
                REMOTE_ADDR="198.51.100.1")
    refused = client.post("/compte/mot-de-passe/", {"email": "sam@alliage.example"},
                          REMOTE_ADDR="198.51.100.1")
    assert refused.status_code == 429
    assert not Email.objects.filter(to="sam@alliage.example").exists()


def test_newsletter_subscription_is_limited(client, db, rates):
    newsletter = MailingList.objects.create(slug="infolettre", name_fr="Infolettre")
    data = {"email": "marie@exemple.ca", "first_name": "Marie", "organisation_name": "",
            "language": "fr", "lists": [newsletter.pk], "consent": "on"}
    for n in range(2):
        assert client.post("/infolettre/", data, REMOTE_ADDR=f"203.0.113.{n}").status_code == 200
    sent = Email.objects.filter(to="marie@exemple.ca").count()
    response = client.post("/infolettre/", data, REMOTE_ADDR="203.0.113.80")
    assert response.status_code == 429 and MESSAGE in text(response)
    assert Email.objects.filter(to="marie@exemple.ca").count() == sent
    # Per IP, across addresses.
    for n in range(3):
        client.post("/infolettre/", {**data, "email": f"p{n}@exemple.ca"},
                    REMOTE_ADDR="198.51.100.1")
    refused = client.post("/infolettre/", {**data, "email": "last@exemple.ca"},
                          REMOTE_ADDR="198.51.100.1")
    assert refused.status_code == 429
    assert not Subscriber.objects.filter(email="last@exemple.ca").exists()


def _application(cast, n, email):
    return {"legal_name": f"Soudure {n} inc.", "trade_name": "", "neq": "",
            "primary_sector": cast.acme.primary_sector_id, "employees": 8,
            "street": "12, rue des Pionniers", "municipality": cast.acme.municipality_id,
            "park": "", "postal_code": "g7h5b1", "website": "", "membership_type":
            cast.regular.pk, "first_name": "Nadia", "last_name": "Fortin", "title": "",
            "email": email, "phone": "418 555 0123", "message": "", "consent": "on"}


def test_membership_applications_are_limited(client, cast, rates):
    for n in range(2):
        response = client.post("/devenir-membre/", _application(cast, n, f"n{n}@soudure.example"),
                               REMOTE_ADDR="203.0.113.9")
        assert "Demande reçue" in text(response)
    response = client.post("/devenir-membre/", _application(cast, 9, "n9@soudure.example"),
                           REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429 and MESSAGE in text(response)
    assert not Organisation.objects.filter(legal_name="Soudure 9 inc.").exists()
    # The form keeps what was typed.
    assert "Soudure 9 inc." in text(response)


def test_bad_input_is_not_counted_against_the_visitor(client, cast, rates):
    for _ in range(5):
        client.post("/devenir-membre/", {"legal_name": ""}, REMOTE_ADDR="203.0.113.9")
    response = client.post("/devenir-membre/", _application(cast, 1, "ok@soudure.example"),
                           REMOTE_ADDR="203.0.113.9")
    assert "Demande reçue" in text(response)


def _redis_available():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_the_helper_counts_the_same_on_locmem_and_redis(settings, backend):
    if backend == "redis":
        if not _redis_available():
            pytest.skip("no Redis server on 127.0.0.1:6379")
        settings.CACHES = {"default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"alliage-test-{uuid.uuid4().hex}"}}
    settings.THROTTLE_RATES = {"probe": {"ip": (2, 60), "address": (5, 60)}}
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    waits = [throttle.attempt(request, "probe", address="x@example.ca") for _ in range(3)]
    assert waits[:2] == [0, 0] and 0 < waits[2] <= 60
    other = RequestFactory().post("/", REMOTE_ADDR="198.51.100.1")
    assert throttle.attempt(other, "probe", address="x@example.ca") == 0


def test_strangers_failing_on_an_address_never_lock_its_owner_out(client, cast, rates):
    """Replay N3: the per-address limit let anyone lock a known address out by failing on
    purpose from many IP addresses. The owner's browser, where the address logged in
    before, keeps its own count; successes are never counted against the address."""
    from django.test import Client

    owner = Client()
    for _ in range(5):  # successes are not failures
        assert _login(owner, "bob@acme.example", PASSWORD, "198.51.100.20").status_code == 302
        owner.post("/compte/deconnexion/")
    for n in range(6):
        _login(Client(), "bob@acme.example", f"guess-{n}", f"203.0.113.{n}")
    stranger = _login(Client(), "bob@acme.example", PASSWORD, "203.0.113.60")
    assert stranger.status_code == 429  # guessing from many addresses stays stopped
    response = _login(owner, "bob@acme.example", PASSWORD, "198.51.100.20")
    assert response.status_code == 302 and "_auth_user_id" in owner.session


def test_a_forged_device_cookie_counts_with_the_strangers(client, cast, rates):
    from alliage.accounts.devicecookie import COOKIE

    for n in range(4):
        _login(Client(), "bob@acme.example", f"guess-{n}", f"203.0.113.{n}")
    forged = Client()
    forged.cookies[COOKIE] = "eyJ4IjoiZm9yZ2VkIn0:1abc:forged"
    assert _login(forged, "bob@acme.example", PASSWORD, "203.0.113.61").status_code == 429


def test_password_reset_past_the_address_limit_says_nothing_more(client, cast, rates):
    """Replay N3 (reset): strangers asking for an address's reset never get its owner an
    error page: the answer is the usual one, and the links already sent stay valid."""
    for n in range(5):
        response = client.post("/compte/mot-de-passe/", {"email": "bob@acme.example"},
                               REMOTE_ADDR=f"203.0.113.{n}")
        assert response.status_code == 302
    page = client.get(response["Location"])
    assert "le lien du message le plus récent" in text(page)
