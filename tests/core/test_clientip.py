"""Security review #11, finding 5: one client address behind a reverse proxy, for lockouts,
consent evidence and the audit log; a client's own X-Forwarded-For is never believed."""

import pytest
from django.test import RequestFactory

from alliage.core.clientip import client_ip, throttle_key
from alliage.core.models import AuditLog
from alliage.mailing.models import ConsentEvent, MailingList, Subscriber, Subscription
from alliage.mailing.render import token_for
from tests.conftest import login
from tests.people import PASSWORD

PROXY = "10.0.0.2"


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def via_proxy(client_address, spoofed=""):
    """What nginx sends: the client's own header (if any) with the peer it saw appended."""
    chain = f"{spoofed}, {client_address}" if spoofed else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_the_rightmost_entry_is_the_client(settings):
    settings.PROXY_COUNT = 1
    assert client_ip(_request(PROXY, "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    # Two proxies: the one before ours appended the client, ours appended that proxy.
    settings.PROXY_COUNT = 2
    assert client_ip(_request(PROXY, "1.2.3.4, 203.0.113.9, 10.0.0.7")) == "203.0.113.9"


def test_a_request_that_skipped_the_proxy_keeps_its_socket_address(settings):
    settings.PROXY_COUNT = 2
    assert client_ip(_request("203.0.113.9", "10.0.0.7")) == "203.0.113.9"
    settings.PROXY_COUNT = 1
    assert client_ip(_request("203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request(PROXY, "not-an-address")) == PROXY


def test_trusted_proxies_limit_who_may_forward(settings):
    settings.PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(_request(PROXY, "203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request("198.51.100.5", "203.0.113.9")) == "198.51.100.5"


def test_ipv6_clients_share_a_throttle_per_64(settings):
    settings.PROXY_COUNT = 0
    one = throttle_key(_request("2001:db8:1:2::10"))
    assert one == throttle_key(_request("2001:db8:1:2:ffff::1")) == "2001:db8:1:2::/64"
    assert throttle_key(_request("::ffff:203.0.113.9")) == "203.0.113.9"


def _login(client, email, password, **extra):
    return client.post("/compte/connexion/", {"email": email, "password": password}, **extra)


def test_behind_the_proxy_an_attacker_locks_out_only_himself(client, cast, settings):
    settings.PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "sam@alliage.example", "wrong", **via_proxy("203.0.113.9"))
    locked = _login(client, "sam@alliage.example", PASSWORD, **via_proxy("203.0.113.9"))
    assert locked.status_code in (403, 429)
    # Sam, from the office, through the same reverse proxy: not locked out.
    response = _login(client, "sam@alliage.example", PASSWORD, **via_proxy("198.51.100.7"))
    assert response.status_code == 302 and response["Location"] == "/"


def test_without_a_proxy_a_forged_header_does_not_escape_the_lockout(client, cast, settings):
    settings.PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "bob@acme.example", "wrong", REMOTE_ADDR="203.0.113.9",
               HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = _login(client, "bob@acme.example", PASSWORD, REMOTE_ADDR="203.0.113.9",
                      HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert response.status_code in (403, 429)


@pytest.fixture
def pending_subscriber(db):
    newsletter = MailingList.objects.create(slug="infolettre", name_fr="Infolettre")
    subscriber = Subscriber.objects.create(email="marie@exemple.ca")
    Subscription.objects.create(subscriber=subscriber, mailing_list=newsletter,
                                status=Subscription.Status.PENDING)
    return subscriber


def test_consent_records_the_visitor_not_the_proxy(client, settings, pending_subscriber):
    settings.PROXY_COUNT = 1
    client.post(f"/infolettre/confirmer/{token_for(pending_subscriber.pk)}/",
                **via_proxy("203.0.113.9", spoofed="192.0.2.1"))
    assert ConsentEvent.objects.get(email="marie@exemple.ca").ip == "203.0.113.9"


def test_consent_ignores_a_forged_header_without_a_proxy(client, settings, pending_subscriber):
    settings.PROXY_COUNT = 0
    client.post(f"/infolettre/confirmer/{token_for(pending_subscriber.pk)}/",
                REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert ConsentEvent.objects.get(email="marie@exemple.ca").ip == "203.0.113.9"


def test_the_audit_log_records_the_visitor_not_the_proxy(client, cast, settings):
    settings.PROXY_COUNT = 1
    login(client, cast.sam)
    response = client.get(f"/gestion/personnes/{cast.bob.contact_id}/export.json",
                          **via_proxy("203.0.113.9", spoofed="192.0.2.1"))
    assert response.status_code == 200
    assert AuditLog.objects.get(action="privacy.export").ip_address == "203.0.113.9"
