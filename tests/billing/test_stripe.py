"""Stripe Checkout (issue #13): checkout, the payer's signed link, the signed webhook, refunds.

No network: the SDK talks to a local fake of Stripe's HTTP API (``FakeStripe``, a thread
answering /v1/checkout/sessions and /v1/refunds as Stripe does, idempotency keys included),
and webhooks are signed here exactly as Stripe signs them (``t=…,v1=HMAC-SHA256``), then
verified by the SDK's real code with the test secret.
"""

import hashlib
import hmac
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core import signing
from django.template.loader import render_to_string
from django.test import RequestFactory

from alliage.billing import services as billing
from alliage.billing.models import Invoice, Payment
from alliage.billing.payviews import pay_token, pay_url_for
from alliage.billing.stripe_provider import refund_credit_note
from alliage.core.models import AuditLog
from tests.conftest import MATRIX_ROLES as ROLES
from tests.conftest import login, statuses, text

SECRET = "whsec_test_0123456789abcdef"
STRIPE = "alliage.billing.stripe_provider.StripeCheckoutProvider"
OFFLINE = "alliage.billing.providers.OfflineProvider"


class FakeStripe:
    """Stripe's API as far as we use it: sessions and refunds, with idempotent replays."""

    def __init__(self):
        self.requests = []            # (path, params, idempotency key)
        self.fail_next = None         # (status, Stripe error body) for the next request
        self._replies = {}
        self._ids = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                params = dict(parse_qsl(body, keep_blank_values=True))
                key = self.headers.get("Idempotency-Key")
                fake.requests.append((self.path, params, key))
                status, reply = fake.answer(self.path, params, key)
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Request-Id", f"req_{next(fake._ids)}")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, path, params, key):
        if self.fail_next:
            failure, self.fail_next = self.fail_next, None
            return failure
        if key in self._replies:
            return 200, self._replies[key]
        n = next(self._ids)
        if path == "/v1/checkout/sessions":
            reply = {"id": f"cs_test_{n}", "object": "checkout.session", "mode": "payment",
                     "url": f"https://checkout.stripe.com/c/pay/cs_test_{n}",
                     "payment_status": "unpaid", "status": "open",
                     "currency": params["line_items[0][price_data][currency]"],
                     "amount_total": int(params["line_items[0][price_data][unit_amount]"]),
                     "client_reference_id": params.get("client_reference_id"),
                     "metadata": {k[9:-1]: v for k, v in params.items()
                                  if k.startswith("metadata[")}}
        elif path == "/v1/refunds":
            reply = {"id": f"re_test_{n}", "object": "refund", "status": "succeeded",
                     "amount": int(params["amount"]), "currency": "cad",
                     "payment_intent": params["payment_intent"]}
        else:
            return 404, {"error": {"type": "invalid_request_error",
                                   "message": f"Unrecognized request URL (POST: {path})"}}
        if key:
            self._replies[key] = reply
        return 200, reply

    def calls(self, path):
        return [r for r in self.requests if r[0] == path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_stripe():
    fake = FakeStripe()
    yield fake
    fake.close()


@pytest.fixture
def stripe_on(settings, fake_stripe, monkeypatch):
    """Stripe selected, with test keys, talking to the local fake."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    settings.PAYMENT_PROVIDER = STRIPE
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_API_BASE = fake_stripe.url
    return fake_stripe


@pytest.fixture
def invoice(cast):
    return billing.invoice_create(organisation=cast.acme, render_pdf=False,
                                  lines=[billing.Line("Tournoi de golf", 20000)])


def signed(payload, secret=SECRET, at=None):
    """The Stripe-Signature header Stripe would send for ``payload``."""
    at = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{at}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def completed_event(invoice, *, amount=None, intent="pi_test_1", event_id="evt_test_1",
                    kind="checkout.session.completed", currency="cad", number=None):
    balance = invoice.balance_cents()
    return json.dumps({
        "id": event_id, "object": "event", "type": kind, "api_version": "2025-01-27",
        "created": int(time.time()), "livemode": False, "data": {"object": {
            "id": "cs_test_1", "object": "checkout.session", "mode": "payment",
            "payment_status": "paid", "status": "complete", "payment_intent": intent,
            "amount_total": balance if amount is None else amount, "currency": currency,
            "client_reference_id": str(invoice.pk),
            "metadata": {"invoice_id": str(invoice.pk),
                         "invoice_number": number or invoice.number,
                         "balance_cents": str(balance)}}}})


def post_event(client, payload, signature=None):
    return client.post("/paiements/stripe/webhook/", payload, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=signature if signature is not None
                       else signed(payload))


# --- Checkout ------------------------------------------------------------------------

def test_company_admin_is_sent_to_stripe_checkout_for_the_balance(client, cast, invoice,
                                                                   stripe_on, settings):
    login(client, cast.alice)
    response = client.post(f"/factures/{invoice.pk}/payer/")
    assert response.status_code == 303
    assert response["Location"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    [(_, params, key)] = stripe_on.calls("/v1/checkout/sessions")
    assert params["mode"] == "payment"
    assert params["line_items[0][price_data][currency]"] == "cad"
    assert params["line_items[0][price_data][unit_amount]"] == str(invoice.balance_cents())
    assert params["line_items[0][quantity]"] == "1"
    assert invoice.number in params["line_items[0][price_data][product_data][name]"]
    assert params["client_reference_id"] == str(invoice.pk)
    assert params["metadata[invoice_id]"] == str(invoice.pk)
    assert params["metadata[invoice_number]"] == invoice.number
    assert params["customer_email"] == invoice.bill_to_email == "alice@acme.example"
    assert params["success_url"].startswith(settings.SITE_URL + "/paiements/")
    assert params["success_url"].endswith("/merci/")
    assert params["cancel_url"].endswith("/annule/")
    assert key and invoice.number in key and str(invoice.balance_cents()) in key
    assert not Payment.objects.exists()           # nothing is paid before the webhook


def test_a_double_click_opens_one_session(client, cast, invoice, stripe_on):
    login(client, cast.alice)
    first = client.post(f"/factures/{invoice.pk}/payer/")["Location"]
    second = client.post(f"/factures/{invoice.pk}/payer/")["Location"]
    assert first == second
    keys = {key for _, _, key in stripe_on.calls("/v1/checkout/sessions")}
    assert len(keys) == 1


def test_another_company_gets_404_and_anonymous_the_login_page(client, cast, invoice,
                                                               stripe_on):
    got = statuses(client, cast, f"/factures/{invoice.pk}/payer/", "post")
    assert dict(zip(ROLES, got, strict=True)) == {
        "anonymous": 302, "bob": 404, "alice": 303, "carol": 404, "dan": 404, "bea": 404,
        "sam": 303}
    client.logout()
    assert client.post(f"/factures/{invoice.pk}/payer/")["Location"].startswith(
        "/compte/connexion/")


def test_nothing_to_pay_or_no_online_provider(client, cast, invoice, stripe_on, settings):
    login(client, cast.alice)
    billing.payment_record(invoice=invoice, amount_cents=invoice.total_cents, method="cheque")
    response = client.post(f"/factures/{invoice.pk}/payer/")
    assert response.status_code == 303
    assert response["Location"] == f"/mon-entreprise/{cast.acme.pk}/facturation/"
    assert stripe_on.calls("/v1/checkout/sessions") == []
    draft = billing.invoice_create(organisation=cast.acme, issue=False, render_pdf=False,
                                   lines=[billing.Line("Brouillon", 1000)])
    assert client.post(f"/factures/{draft.pk}/payer/").status_code == 404
    settings.PAYMENT_PROVIDER = OFFLINE
    other = billing.invoice_create(organisation=cast.acme, render_pdf=False,
                                   lines=[billing.Line("Repas", 3000)])
    assert client.post(f"/factures/{other.pk}/payer/").status_code == 404


def test_stripe_unavailable_sends_the_payer_back_with_a_message(client, cast, invoice,
                                                                stripe_on):
    stripe_on.fail_next = (400, {"error": {"type": "invalid_request_error",
                                           "message": "Invalid API Key provided"}})
    login(client, cast.alice)
    response = client.post(f"/factures/{invoice.pk}/payer/", follow=True)
    assert response.redirect_chain[0] == (f"/mon-entreprise/{cast.acme.pk}/facturation/", 303)
    assert "Le paiement en ligne est indisponible" in text(response)


# --- The payer's signed link ------------------------------------------------------------

def test_visitor_with_the_signed_link_sees_and_pays_the_invoice(client, invoice, stripe_on,
                                                               settings):
    url = pay_url_for(invoice)
    assert url.startswith(settings.SITE_URL + "/paiements/")
    path = urlsplit(url).path
    page = client.get(path)
    assert page.status_code == 200
    assert invoice.number in text(page) and "Payer en ligne" in text(page)
    assert page["X-Robots-Tag"] == "noindex"
    response = client.post(path)
    assert response.status_code == 303
    assert response["Location"].startswith("https://checkout.stripe.com/")
    [(_, params, _)] = stripe_on.calls("/v1/checkout/sessions")
    back = urlsplit(params["success_url"]).path
    assert params["success_url"].startswith(settings.SITE_URL + "/paiements/")
    assert back.endswith("/merci/")
    assert client.get(back).context["invoice"] == invoice      # the same invoice


def _forged(token):
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def test_a_forged_or_foreign_token_is_404(client, invoice, stripe_on):
    token = pay_token(invoice)
    assert client.get(f"/paiements/{_forged(token)}/").status_code == 404
    other_salt = signing.dumps({"i": invoice.pk, "n": invoice.number})
    assert client.get(f"/paiements/{other_salt}/").status_code == 404
    wrong_number = signing.dumps({"i": invoice.pk, "n": "F1999-00001"},
                                 salt="alliage.billing.pay-link")
    assert client.get(f"/paiements/{wrong_number}/").status_code == 404
    assert client.post(f"/paiements/{other_salt}/").status_code == 404
    assert stripe_on.calls("/v1/checkout/sessions") == []


def test_return_page_never_marks_paid(client, invoice, stripe_on):
    token = pay_token(invoice)
    page = client.get(f"/paiements/{token}/merci/")
    assert page.status_code == 200
    assert "Paiement en cours de confirmation" in text(page)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED and not Payment.objects.exists()
    cancelled = client.get(f"/paiements/{token}/annule/")
    assert cancelled.status_code == 200 and "Payer en ligne" in text(cancelled)


# --- Webhook ------------------------------------------------------------------------------

def test_bad_signature_is_400_and_writes_nothing(client, invoice, stripe_on):
    payload = completed_event(invoice)
    audit_before = AuditLog.objects.count()
    for signature in ("", signed(payload, secret="whsec_someone_else"),
                      signed(payload, at=int(time.time()) - 3600),     # a stale replay
                      signed(payload + " "), "t=1,v1=00"):
        assert post_event(client, payload, signature).status_code == 400, signature
    assert post_event(client, "not json", signed("not json")).status_code == 400
    assert not Payment.objects.exists()
    assert AuditLog.objects.count() == audit_before
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED


def test_completed_checkout_pays_the_invoice_once(client, invoice, stripe_on):
    payload = completed_event(invoice)
    response = post_event(client, payload)
    assert response.status_code == 200 and response.content == b"recorded"
    invoice.refresh_from_db()
    assert invoice.status == "paid" and invoice.balance_cents() == 0
    [payment] = Payment.objects.all()
    assert (payment.amount_cents, payment.method, payment.provider_id, payment.reference) == \
        (invoice.total_cents, Payment.Method.ONLINE, "pi_test_1", "cs_test_1")
    assert AuditLog.objects.filter(action="payment.record", object_id=str(invoice.pk)).count() == 1
    # Stripe retries, or someone replays the same signed event: still one payment.
    again = post_event(client, payload)
    assert again.status_code == 200 and again.content == b"duplicate"
    other_event_same_intent = completed_event(invoice, event_id="evt_test_2",
                                              amount=invoice.total_cents)
    assert post_event(client, other_event_same_intent).status_code == 200
    assert Payment.objects.count() == 1
    done = client.get(f"/paiements/{pay_token(invoice)}/merci/")
    assert "La facture" in text(done) and "est payée" in text(done)


def test_unknown_and_unpaid_events_are_ignored(client, invoice, stripe_on):
    for payload in (completed_event(invoice, kind="customer.created"),
                    completed_event(invoice, kind="checkout.session.expired"),
                    completed_event(invoice).replace('"payment_status": "paid"',
                                                     '"payment_status": "unpaid"')):
        response = post_event(client, payload)
        assert (response.status_code, response.content) == (200, b"ignored")
    assert not Payment.objects.exists()


def test_delayed_payment_is_recorded_when_it_succeeds(client, invoice, stripe_on):
    payload = completed_event(invoice, kind="checkout.session.async_payment_succeeded")
    assert post_event(client, payload).content == b"recorded"
    invoice.refresh_from_db()
    assert invoice.status == "paid"


def test_amount_mismatch_or_unknown_invoice_is_logged_and_writes_nothing(client, invoice,
                                                                         stripe_on, caplog):
    for payload, outcome in (
            (completed_event(invoice, amount=100), b"mismatch"),
            (completed_event(invoice, currency="usd"), b"mismatch"),
            (completed_event(invoice, number="F1999-00001"), b"unknown_invoice"),
            (completed_event(invoice, intent=None), b"unknown_invoice")):
        response = post_event(client, payload)
        assert (response.status_code, response.content) == (200, outcome)
    assert not Payment.objects.exists()
    assert sum("nothing recorded" in r.getMessage() for r in caplog.records) == 4


def test_card_paying_more_than_is_still_owed_is_not_recorded(client, invoice, stripe_on):
    payload = completed_event(invoice)                   # asked for the whole balance...
    billing.payment_record(invoice=invoice, amount_cents=5000, method="cheque")  # ...cheque
    assert post_event(client, payload).content == b"mismatch"
    assert Payment.objects.count() == 1


def test_webhook_is_not_there_without_stripe(client, invoice, settings):
    settings.PAYMENT_PROVIDER = OFFLINE
    payload = completed_event(invoice)
    assert post_event(client, payload).status_code == 404
    assert not Payment.objects.exists()


# --- Refund -------------------------------------------------------------------------------

def _paid_by_stripe(client, invoice):
    assert post_event(client, completed_event(invoice)).content == b"recorded"
    invoice.refresh_from_db()
    return invoice


def test_credit_note_on_a_stripe_paid_invoice_is_refunded_once(client, cast, invoice,
                                                               stripe_on):
    invoice = _paid_by_stripe(client, invoice)
    note = billing.credit_note_create(invoice=invoice, reason="Annulation", amount_cents=5000,
                                      actor=cast.sam)
    [reversal] = refund_credit_note(note, actor=cast.sam)
    [(_, params, key)] = stripe_on.calls("/v1/refunds")
    assert params["payment_intent"] == "pi_test_1"
    assert params["amount"] == str(note.total_cents)
    assert params["metadata[credit_note]"] == note.number and note.number in key
    assert reversal.amount_cents == -note.total_cents
    assert reversal.provider_id.startswith("re_test_")
    assert reversal.method == Payment.Method.ONLINE and reversal.recorded_by == cast.sam
    assert AuditLog.objects.filter(action="payment.refund").count() == 1
    invoice.refresh_from_db()
    assert invoice.balance_cents() == 0 and invoice.status == "paid"
    # Asked again (a retry, a double click): nothing more is refunded or recorded.
    assert refund_credit_note(note) == []
    assert len(stripe_on.calls("/v1/refunds")) == 1
    assert Payment.objects.filter(amount_cents__lt=0).count() == 1


def test_refund_through_the_provider_interface(client, settings, invoice, stripe_on):
    """What credit_note_create calls: the configured provider's refund_credit_note."""
    from alliage.billing.providers import get_provider

    invoice = _paid_by_stripe(client, invoice)
    note = billing.credit_note_create(invoice=invoice, reason="Annulation", amount_cents=5000)
    settings.PAYMENT_PROVIDER = OFFLINE
    assert get_provider().refund_credit_note(note) == []      # offline: nothing given back
    settings.PAYMENT_PROVIDER = STRIPE
    [reversal] = get_provider().refund_credit_note(note)
    assert reversal.amount_cents == -note.total_cents


def test_whole_credit_and_refund_cancels_the_invoice(client, cast, invoice, stripe_on):
    invoice = _paid_by_stripe(client, invoice)
    note = billing.credit_note_create(invoice=invoice, reason="Événement annulé")
    refund_credit_note(note)
    invoice.refresh_from_db()
    assert invoice.paid_cents() == 0 and invoice.balance_cents() == 0
    assert invoice.status == Invoice.Status.CANCELLED


def test_no_refund_for_an_invoice_paid_otherwise_or_not_overpaid(client, cast, invoice,
                                                                 stripe_on):
    billing.payment_record(invoice=invoice, amount_cents=invoice.total_cents, method="cheque")
    note = billing.credit_note_create(invoice=invoice, reason="Rabais", amount_cents=1000)
    assert refund_credit_note(note) == []
    unpaid = billing.invoice_create(organisation=cast.acme, render_pdf=False,
                                    lines=[billing.Line("Repas", 3000)])
    note = billing.credit_note_create(invoice=unpaid, reason="Rabais", amount_cents=1000)
    assert refund_credit_note(note) == []
    assert stripe_on.calls("/v1/refunds") == []


# --- The button ---------------------------------------------------------------------------

def _button(invoice, user=None):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("billing/_pay_button.html", {"invoice": invoice}, request=request)


def test_pay_button_only_with_an_online_provider_and_a_balance(cast, invoice, settings,
                                                               stripe_on):
    html = _button(invoice, cast.alice)
    assert "Payer en ligne" in html and f'action="/factures/{invoice.pk}/payer/"' in html
    assert "csrfmiddlewaretoken" in html
    mail = render_to_string("billing/_pay_button.html", {"invoice": invoice, "by_link": True})
    assert pay_url_for(invoice) in mail.replace("&amp;", "&") and "<form" not in mail
    settings.PAYMENT_PROVIDER = OFFLINE
    assert _button(invoice).strip() == ""
    settings.PAYMENT_PROVIDER = STRIPE
    billing.payment_record(invoice=invoice, amount_cents=invoice.total_cents, method="cheque")
    assert _button(invoice).strip() == ""


def test_the_button_posts_where_the_viewer_may_pay(cast, invoice, stripe_on):
    def action(user):
        request = RequestFactory().get("/")
        request.user = user
        html = render_to_string("billing/_pay_button.html", {"invoice": invoice},
                                request=request)
        return html.split('action="')[1].split('"')[0]

    from django.contrib.auth.models import AnonymousUser

    assert action(cast.alice) == action(cast.sam) == f"/factures/{invoice.pk}/payer/"
    # A visitor on their registration's signed page: the invoice's signed link.
    assert action(AnonymousUser()).startswith("/paiements/")
    assert action(cast.carol).startswith("/paiements/")


def test_a_list_of_buttons_costs_the_same_queries_for_one_or_many_invoices(
        cast, invoice, stripe_on, django_assert_max_num_queries):
    for n in range(3):
        billing.invoice_create(organisation=cast.acme, render_pdf=False,
                               lines=[billing.Line(f"Repas {n}", 3000)])

    def render_list(limit):
        invoices = Invoice.objects.issued().filter(organisation=cast.acme) \
            .prefetch_related("payments", "credit_notes")[:limit]
        request = RequestFactory().get("/")
        request.user = type(cast.alice).objects.get(pk=cast.alice.pk)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            html = "".join(render_to_string("billing/_pay_button.html", {"invoice": inv},
                                            request=request) for inv in list(invoices))
        assert html.count("Payer en ligne") == len(invoices)
        return len(queries)

    assert render_list(1) == render_list(4)


def test_offline_signed_link_page_shows_no_pay_button(client, invoice, settings):
    settings.PAYMENT_PROVIDER = OFFLINE
    page = client.get(f"/paiements/{pay_token(invoice)}/")
    assert page.status_code == 200 and "Payer en ligne" not in text(page)
    assert client.post(f"/paiements/{pay_token(invoice)}/").status_code == 404


# --- Permission matrix of the new URLs ----------------------------------------------------

#          anon  bob   alice carol dan   bea   sam
MATRIX = {
    ("get", "/factures/{invoice}/payer/"):     (302, 405, 405, 405, 405, 405, 405),
    ("post", "/factures/{invoice}/payer/"):    (302, 404, 303, 404, 404, 404, 303),
    ("post", "/factures/{rival_invoice}/payer/"): (302, 404, 404, 303, 404, 404, 303),
    ("get", "/paiements/{token}/"):            (200, 200, 200, 200, 200, 200, 200),
    ("post", "/paiements/{token}/"):           (303, 303, 303, 303, 303, 303, 303),
    ("get", "/paiements/{token}/merci/"):      (200, 200, 200, 200, 200, 200, 200),
    ("get", "/paiements/{token}/annule/"):     (200, 200, 200, 200, 200, 200, 200),
    ("get", "/paiements/{bad_token}/"):        (404, 404, 404, 404, 404, 404, 404),
    ("post", "/paiements/{bad_token}/"):       (404, 404, 404, 404, 404, 404, 404),
    ("get", "/paiements/{bad_token}/merci/"):  (404, 404, 404, 404, 404, 404, 404),
    ("get", "/paiements/stripe/webhook/"):     (405, 405, 405, 405, 405, 405, 405),
    ("post", "/paiements/stripe/webhook/"):    (400, 400, 400, 400, 400, 400, 400),
}


@pytest.mark.parametrize(("method", "path"), MATRIX)
def test_permission_matrix(client, cast, invoice, stripe_on, method, path):
    rival = billing.invoice_create(organisation=cast.rival, render_pdf=False,
                                   lines=[billing.Line("Adhésion", 27500)])
    urls = {"invoice": invoice.pk, "rival_invoice": rival.pk, "token": pay_token(invoice),
            "bad_token": _forged(pay_token(invoice))}
    got = statuses(client, cast, path.format(**urls), method)
    assert got == MATRIX[method, path], dict(zip(ROLES, got, strict=True))


def test_staff_credit_note_form_refunds_the_card(client, cast, invoice, stripe_on):
    """The CRM's credit note on a paid invoice offers (checked) the refund to the card."""
    from tests.conftest import login

    invoice = _paid_by_stripe(client, invoice)
    login(client, cast.sam)
    page = client.get(f"/gestion/entreprises/{invoice.organisation_id}/").content.decode()
    assert 'name="refund"' in page and "data-confirm" in page
    client.post(f"/gestion/entreprises/{invoice.organisation_id}/factures/{invoice.pk}/"
                "note-de-credit/", {"reason": "Erreur", "refund": "on", "confirmed": "1"})
    assert invoice.credit_notes.count() == 1
    assert Payment.objects.filter(invoice=invoice, amount_cents__lt=0).count() == 1


def test_an_attendee_cancelling_a_paid_seat_is_refunded_after_commit(
        client, cast, stripe_on, django_capture_on_commit_callbacks):
    from alliage.events import services as events
    from tests.events.conftest import make_event

    event = make_event()
    order = events.order_create(event=event, ticket_type=event.ticket_types.get(),
                                buyer=cast.bob.contact, attendees=[cast.bob.contact],
                                organisation=cast.acme)
    invoice = order.invoice
    invoice.refresh_from_db()
    if invoice.is_draft:
        invoice = billing.invoice_issue(invoice=invoice)
    invoice = _paid_by_stripe(client, invoice)
    with django_capture_on_commit_callbacks(execute=True):
        events.registration_cancel(registration=order.registrations.get(), actor=cast.bob)
    [refund] = Payment.objects.filter(invoice=invoice, amount_cents__lt=0)
    assert refund.amount_cents == -invoice.total_cents
    assert len(stripe_on.calls("/v1/refunds")) == 1
    # The attendee is told: the credit note, and the refund to the card.
    from alliage.core.models import Email

    told = Email.objects.get(template="registration_cancelled").body_text
    assert "note de crédit" in told.lower() and "remboursé sur la carte" in told


def test_an_event_invoice_is_mailed_with_pay_online(cast, stripe_on, mailoutbox):
    """Issue #13: confirmation mails offer "Payer en ligne" when a provider is on: the
    order's invoice, once numbered, is mailed to whom pays it with its signed pay link
    (sent, never stored in the mail's copy)."""
    from alliage.core.models import Email
    from alliage.events import services as events
    from tests.events.conftest import make_event

    event = make_event()
    order = events.order_create(event=event, ticket_type=event.ticket_types.get(),
                                buyer=cast.bob.contact, attendees=[cast.bob.contact],
                                organisation=cast.acme)
    order.invoice.refresh_from_db()
    sent = [m for m in mailoutbox if order.invoice.number and order.invoice.number in m.subject]
    assert len(sent) == 1 and "/paiements/" in sent[0].body
    assert f"/mon-entreprise/{cast.acme.pk}/facturation/" in sent[0].body
    stored = Email.objects.get(template="event_invoice")
    assert "/paiements/" not in stored.body_text


def test_an_unpaid_visitors_seat_is_released_after_the_payment_delay(cast, stripe_on,
                                                                      settings):
    """Review of #13 (attack 2, M2): unpaid visitor seats were held forever; a few
    addresses could fill an event. With online payment on, they are released after
    GUEST_PAYMENT_DAYS, credited, and the visitor is told."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from alliage.core.models import Email
    from alliage.events import guest
    from alliage.events import services as events
    from tests.events.conftest import make_event

    settings.GUEST_PAYMENT_DAYS = 7
    event = make_event()
    unpaid = guest.guest_order_create(
        event=event, ticket_type=event.ticket_types.get(),
        person={"first_name": "Vi", "last_name": "Siteur", "email": "vi@ailleurs.example"},
        company={"name": "Ailleurs inc.", "address": "1, rue Une", "email": ""})
    assert events.daily_run()["unpaid_released"] == 0           # not yet due
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert events.daily_run()["unpaid_released"] == 1
        assert events.daily_run()["unpaid_released"] == 0       # once
    registration = unpaid.registrations.get()
    assert registration.status == "cancelled"
    assert unpaid.invoice.credit_notes.count() == 1
    assert Email.objects.filter(template="registration_cancelled",
                                to="vi@ailleurs.example").exists()


def test_a_refund_that_fails_later_puts_the_money_back_on_the_invoice(client, cast, invoice,
                                                                       stripe_on):
    """Left from #13's first pass: Stripe may report a refund failed days later."""
    invoice = _paid_by_stripe(client, invoice)
    note = billing.credit_note_create(invoice=invoice, reason="Annulation", amount_cents=5000)
    [reversal] = refund_credit_note(note)
    payload = json.dumps({
        "id": "evt_refund_failed", "object": "event", "type": "refund.updated",
        "api_version": "2025-01-27", "created": int(time.time()), "livemode": False,
        "data": {"object": {"id": reversal.provider_id, "object": "refund",
                            "status": "failed", "amount": -reversal.amount_cents}}})
    assert post_event(client, payload).content == b"refund_failed"
    assert post_event(client, payload).content == b"duplicate"
    undo = Payment.objects.get(provider_id=f"{reversal.provider_id}:failed")
    assert undo.amount_cents == -reversal.amount_cents
    assert AuditLog.objects.filter(action="payment.refund_failed").count() == 1


def test_a_member_contact_sees_and_pays_the_invoice_of_their_own_seat(client, cast,
                                                                      stripe_on):
    """Walk of #13: a contact (not admin) who registered themself had no way to see or pay
    the invoice of their seat (the company's invoices are for its admins)."""
    from alliage.events import services as events
    from tests.events.conftest import make_event

    event = make_event()
    order = events.order_create(event=event, ticket_type=event.ticket_types.get(),
                                buyer=cast.bob.contact, attendees=[cast.bob.contact],
                                organisation=cast.acme)
    order.invoice.refresh_from_db()
    login(client, cast.bob)
    page = text(client.get(f"/activites/{event.slug}/"))
    assert f"Facture {order.invoice.number}" in page and "Payer en ligne" in page


def test_the_invoice_pdf_says_it_can_be_paid_online(invoice, stripe_on, settings):
    from alliage.billing.pdf import invoice_html

    assert "en ligne par carte" in invoice_html(invoice)
    settings.PAYMENT_PROVIDER = OFFLINE
    assert "en ligne par carte" not in invoice_html(invoice)
