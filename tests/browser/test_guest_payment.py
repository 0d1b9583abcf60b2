"""Issue #13: a visitor from a non-member company registers for the golf tournament without
an account, pays by card on the (fake) provider's page, and their invoice shows "Payée"."""

import copy
import re

import pytest

from tests.browser.fake_stripe import SECRET, HostedFakeStripe
from tests.events.conftest import make_event

pytestmark = pytest.mark.browser


@pytest.fixture
def stripe(settings, live_server, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    fake = HostedFakeStripe(live_server.url + "/paiements/stripe/webhook/")
    settings.PAYMENT_PROVIDER = "alliage.billing.stripe_provider.StripeCheckoutProvider"
    settings.STRIPE_SECRET_KEY = "sk_test_browser"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_API_BASE = fake.url
    settings.SITE_URL = live_server.url
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(fake.url)  # STRIPE_CHECKOUT_ORIGIN's role
    settings.CONTENT_SECURITY_POLICY = policy
    yield fake
    fake.close()


def test_a_visitor_registers_for_the_golf_and_pays_online(page, cast, stripe):
    from alliage.billing.models import Invoice

    make_event(slug="tournoi-de-golf", kind="golf", title_fr="Tournoi de golf", capacity=144)
    page.goto(page.base + "/activites/tournoi-de-golf/")
    page.get_by_role("link", name="Vous inscrire sans compte").click()
    page.get_by_label("Votre prénom").fill("Nadia")
    page.get_by_label("Votre nom").fill("Fortin")
    page.get_by_label("Votre courriel").fill("nadia@soudure.example")
    page.get_by_label(re.compile(r"^Entreprise")).fill("Soudure Nadia inc.")
    page.get_by_label("Adresse de facturation").fill("12, rue des Pionniers")
    page.get_by_label("Ville").fill("Alma")
    page.get_by_label("Code postal").fill("G8B 1A1")
    page.get_by_label("J'accepte").check()
    page.get_by_role("button", name="S'inscrire").click()
    page.get_by_text("Inscription enregistrée").wait_for()
    assert page.get_by_text("Nadia Fortin").first.is_visible()
    order_page = page.url
    page.get_by_role("button", name="Payer en ligne").click()
    page.wait_for_url(stripe.url + "/pay/**")             # the provider's page
    page.get_by_role("button", name="Payer", exact=True).click()
    page.wait_for_url("**/merci/")
    page.get_by_text("Merci").first.wait_for()
    invoice = Invoice.objects.get(organisation__legal_name="Soudure Nadia inc.")
    assert invoice.status == "paid" and invoice.subtotal_cents == 6000
    page.goto(order_page)  # the link of the confirmation email
    assert page.locator("dd .badge").last.inner_text() == "Payée"
    assert not page.get_by_role("button", name="Payer en ligne").count()
    assert page.errors == []
