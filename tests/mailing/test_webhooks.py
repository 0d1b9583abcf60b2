"""Email-provider webhooks (django-anymail): only the provider in use is mounted, every post
needs the shared secret (and the provider's signature where it signs), and only an
authenticated source may write a withdrawal into the CASL ledger."""

import base64
import contextlib
import hashlib
import hmac
import importlib
import json
import time

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

from alliage.mailing import consent
from alliage.mailing.models import BounceEvent, ConsentEvent, Subscriber
from tests.mailing.test_mailing import _subscribed, newsletter  # noqa: F401

SECRET = "fournisseur:7f3a9c1e5b2d4a6f"
SIGNING_KEY = "key-0123456789abcdef"


@pytest.fixture
def mount():
    """Mount the webhooks as config/urls.py would for the given settings."""
    import config.urls

    stack = contextlib.ExitStack()

    def _mount(provider="postmark", secret=SECRET, **anymail):
        stack.enter_context(override_settings(
            ANYMAIL_PROVIDER=provider, ANYMAIL={"WEBHOOK_SECRET": secret, **anymail}))
        importlib.reload(config.urls)
        clear_url_caches()

    yield _mount
    stack.close()
    importlib.reload(config.urls)
    clear_url_caches()


def _auth(credentials):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def _complaint(email):
    return json.dumps({"RecordType": "SpamComplaint", "Type": "SpamComplaint",
                       "Email": email, "MessageID": "0f1e2d3c", "ID": 42,
                       "BouncedAt": "2025-01-10T10:00:00Z", "Description": "spam"})


def _untouched(email):
    return (Subscriber.objects.get(email=email).suppressed == ""
            and not BounceEvent.objects.filter(email=email).exists()
            and not ConsentEvent.objects.filter(email=email, kind="withdrawal").exists()
            and consent.has_consent(email))


def test_without_a_secret_no_webhook_is_mounted(client, newsletter, mount):  # noqa: F811
    _subscribed(newsletter, "victime@exemple.ca", "Vic")
    mount(secret=None)
    response = client.post("/anymail/postmark/tracking/", _complaint("victime@exemple.ca"),
                           content_type="application/json")
    assert response.status_code == 404
    assert _untouched("victime@exemple.ca")


def test_forged_posts_are_refused_and_change_nothing(client, newsletter, mount):  # noqa: F811
    _subscribed(newsletter, "victime@exemple.ca", "Vic")
    mount()
    url = "/anymail/postmark/tracking/"
    body = _complaint("victime@exemple.ca")
    anonymous = client.post(url, body, content_type="application/json")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Basic")
    wrong = client.post(url, body, content_type="application/json",
                        **_auth("fournisseur:devine"))
    assert wrong.status_code == 401
    assert _untouched("victime@exemple.ca")
    # Only the provider in use is mounted.
    assert client.post("/anymail/mailgun/tracking/", "{}", content_type="application/json",
                       **_auth(SECRET)).status_code == 404


def test_the_provider_with_the_right_basic_auth_suppresses_and_records_the_complaint(
        client, newsletter, mount):  # noqa: F811
    _subscribed(newsletter, "plainte@exemple.ca", "Paul")
    mount()
    response = client.post("/anymail/postmark/tracking/", _complaint("plainte@exemple.ca"),
                           content_type="application/json", **_auth(SECRET))
    assert response.status_code == 200
    assert Subscriber.objects.get(email="plainte@exemple.ca").suppressed == "complaint"
    row = ConsentEvent.objects.get(email="plainte@exemple.ca", kind="withdrawal")
    assert row.basis == "complaint"
    assert not consent.has_consent("plainte@exemple.ca")


def _mailgun(email, key, event="complained"):
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(),
                         hashlib.sha256).hexdigest()
    return json.dumps({
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": {"event": event, "recipient": email, "timestamp": float(timestamp),
                       "id": "evt1", "message": {"headers": {"message-id": "m1@x"}}}})


def test_a_signing_provider_needs_both_the_secret_and_a_valid_signature(
        client, newsletter, mount):  # noqa: F811
    _subscribed(newsletter, "signe@exemple.ca", "Sig")
    mount(provider="mailgun", MAILGUN_WEBHOOK_SIGNING_KEY=SIGNING_KEY)
    url = "/anymail/mailgun/tracking/"
    forged = client.post(url, _mailgun("signe@exemple.ca", "key-guessed"),
                         content_type="application/json", **_auth(SECRET))
    assert forged.status_code == 403
    assert _untouched("signe@exemple.ca")
    unauthenticated = client.post(url, _mailgun("signe@exemple.ca", SIGNING_KEY),
                                  content_type="application/json")
    assert unauthenticated.status_code == 401
    assert _untouched("signe@exemple.ca")
    genuine = client.post(url, _mailgun("signe@exemple.ca", SIGNING_KEY),
                          content_type="application/json", **_auth(SECRET))
    assert genuine.status_code == 200
    assert Subscriber.objects.get(email="signe@exemple.ca").suppressed == "complaint"


def test_events_from_a_webhook_that_did_not_authenticate_write_nothing(
        newsletter):  # noqa: F811
    # If anymail's own views were ever mounted again (they accept anyone when no secret is
    # set), their events are ignored: neither suppression nor a ledger row.
    from anymail.signals import AnymailTrackingEvent, tracking
    from anymail.webhooks.postmark import PostmarkTrackingWebhookView

    _subscribed(newsletter, "victime@exemple.ca", "Vic")
    for kind in ("complained", "unsubscribed", "bounced"):
        tracking.send(sender=PostmarkTrackingWebhookView, esp_name="Postmark",
                      event=AnymailTrackingEvent(event_type=kind, recipient="victime@exemple.ca"))
    assert _untouched("victime@exemple.ca")
