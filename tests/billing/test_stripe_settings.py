"""Choosing Stripe by environment: start-up stops with one clear line when a key is missing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(extra_env, code="from django.conf import settings; print(settings.PAYMENT_PROVIDER)"):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_", "PAYMENT_", "STRIPE_"))}
    env.update({"DJANGO_DEBUG": "1", **extra_env})
    return subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


def _last_line(result):
    return (result.stderr or result.stdout).strip().splitlines()[-1]


def test_offline_when_nothing_is_set():
    result = _run({})
    assert result.returncode == 0, result.stderr
    assert _last_line(result) == "alliage.billing.providers.OfflineProvider"


@pytest.mark.parametrize(("env", "line"), [
    ({}, "STRIPE_SECRET_KEY: this environment variable is required with PAYMENT_PROVIDER=stripe"),
    ({"STRIPE_SECRET_KEY": "sk_test_x"},
     "STRIPE_WEBHOOK_SECRET: this environment variable is required with PAYMENT_PROVIDER=stripe"),
    ({"STRIPE_SECRET_KEY": "pk_test_x", "STRIPE_WEBHOOK_SECRET": "whsec_x"},
     "STRIPE_SECRET_KEY: expected a Stripe value starting with sk_ or rk_"),
    ({"STRIPE_SECRET_KEY": "sk_test_x", "STRIPE_WEBHOOK_SECRET": "secret"},
     "STRIPE_WEBHOOK_SECRET: expected a Stripe value starting with whsec_"),
])
def test_stripe_without_its_keys_stops_start_up_with_one_line(env, line):
    result = _run({"PAYMENT_PROVIDER": "stripe", **env})
    assert result.returncode != 0
    assert _last_line(result).endswith(line)


def test_stripe_with_its_keys_and_an_unknown_provider_name():
    result = _run({"PAYMENT_PROVIDER": "stripe", "STRIPE_SECRET_KEY": "sk_test_x",
                   "STRIPE_WEBHOOK_SECRET": "whsec_x"})
    assert result.returncode == 0, result.stderr
    assert _last_line(result) == "alliage.billing.stripe_provider.StripeCheckoutProvider"
    result = _run({"PAYMENT_PROVIDER": "paypal"})
    assert result.returncode != 0
    assert _last_line(result).endswith(
        "PAYMENT_PROVIDER: expected offline, stripe or a dotted path, got 'paypal'")


def test_with_stripe_the_pages_may_send_the_pay_form_on_to_stripe():
    """The pay button's POST is redirected to Stripe's page: without its origin in the
    pages' CSP form-action, browsers block that redirect (found by the browser test)."""
    code = ("from django.conf import settings; "
            "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])")
    stripe = _run({"PAYMENT_PROVIDER": "stripe", "STRIPE_SECRET_KEY": "sk_test_x",
                   "STRIPE_WEBHOOK_SECRET": "whsec_x"}, code)
    assert _last_line(stripe) == "[\"'self'\", 'https://checkout.stripe.com']"
    assert _last_line(_run({}, code)) == "[\"'self'\"]"


def test_production_refuses_a_bare_prefix_secret_and_plain_http(tmp_path):
    """Review #11, attack 2, L2: "whsec_" alone made the signing key public."""
    base = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 20 + "9f8e7d6c5b4a3210zyxwvutsrqponm",
            "DJANGO_ALLOWED_HOSTS": "alliage.example.org", "ALLIAGE_VAR_DIR": str(tmp_path),
            "ALLIAGE_SITE_URL": "https://alliage.example.org",
            "ANYMAIL_WEBHOOK_SECRET": "fournisseur:7f3a9c1e5b2d4a6f", "PAYMENT_PROVIDER": "stripe",
            "STRIPE_SECRET_KEY": "sk_live_0123456789abcdefghij", "STAFF_2FA_REQUIRED": "1"}
    weak = _run({**base, "STRIPE_WEBHOOK_SECRET": "whsec_"})
    assert "STRIPE_WEBHOOK_SECRET: too short to be a real Stripe value" in _last_line(weak)
    plain = _run({**base, "STRIPE_WEBHOOK_SECRET": "whsec_0123456789abcdefghij",
                  "STRIPE_API_BASE": "http://evil.example"})
    assert "STRIPE_API_BASE: production talks to Stripe over https://" in _last_line(plain)
    good = _run({**base, "STRIPE_WEBHOOK_SECRET": "whsec_0123456789abcdefghij"})
    assert good.returncode == 0, good.stderr
