"""Stripe Checkout behind the PaymentProvider interface, with the official ``stripe`` SDK.

The payer goes to Stripe's hosted page; nothing here marks an invoice paid. Only a
``checkout.session.completed`` event whose signature the SDK verified with
``STRIPE_WEBHOOK_SECRET`` records the payment, through ``services.payment_record`` keyed on
the PaymentIntent id (so Stripe's retries and replays record it once). A credit note on an
invoice paid through Stripe is refunded with a Stripe Refund and written as a negative
payment keyed on the refund's id.
"""

import hashlib
import logging

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliage.billing import services
from alliage.billing.models import Invoice, Payment
from alliage.billing.providers import PaymentProvider, ProviderError, get_provider
from alliage.core import audit

logger = logging.getLogger("alliage.billing.stripe")

CURRENCY = "cad"
# Events that mean "the money is in" (the second for delayed methods such as bank debits).
PAID_EVENTS = ("checkout.session.completed", "checkout.session.async_payment_succeeded")
REFUND_EVENTS = ("refund.updated", "charge.refund.updated", "refund.failed")


class StripeCheckoutProvider(PaymentProvider):
    """Card payment on Stripe Checkout's hosted page; confirmed by the signed webhook."""

    name = "stripe"
    online = True

    def client(self):
        base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
        # The SDK retries network errors with the same idempotency key, so a retry is safe.
        return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses=base,
                                   max_network_retries=2)

    def checkout_url(self, invoice, return_url, *, cancel_url=None):
        """Open a Checkout Session for what ``invoice`` still owes; its hosted page's URL."""
        balance = invoice.balance_cents()
        cancel_url = cancel_url or return_url
        meta = {"invoice_id": str(invoice.pk), "invoice_number": invoice.number,
                "balance_cents": str(balance)}
        with translation.override(invoice.language):
            label = _("Invoice %(number)s") % {"number": invoice.number}
        params = {
            "mode": "payment",
            "line_items": [{"quantity": 1, "price_data": {
                "currency": CURRENCY, "unit_amount": balance,
                "product_data": {"name": label}}}],
            "client_reference_id": str(invoice.pk),
            "metadata": meta,
            "payment_intent_data": {"metadata": meta, "description": label},
            "success_url": return_url,
            "cancel_url": cancel_url,
            "locale": "en" if invoice.language.startswith("en") else "fr-CA",
        }
        if invoice.bill_to_email:
            params["customer_email"] = invoice.bill_to_email
        # One session per invoice, balance, pages and day: a double click gets the same page;
        # a day bounds the key below Stripe's 24 h, the lifetime of keys and sessions alike.
        pages = hashlib.sha256(f"{return_url}|{cancel_url}".encode()).hexdigest()[:16]
        key = (f"alliage-checkout-{invoice.pk}-{invoice.number}-{balance}-"
               f"{timezone.now():%Y%m%d}-{pages}")
        try:
            session = self.client().v1.checkout.sessions.create(
                params=params, options={"idempotency_key": key})
        except stripe.StripeError as exc:
            logger.error("Stripe checkout for invoice %s failed: %s", invoice.number, exc)
            raise ProviderError(str(exc)) from exc
        return session.url

    def refund(self, *, payment_intent, amount_cents, idempotency_key, metadata):
        """Refund ``amount_cents`` of a PaymentIntent; the Refund's id and status."""
        try:
            refund = self.client().v1.refunds.create(
                params={"payment_intent": payment_intent, "amount": amount_cents,
                        "metadata": metadata},
                options={"idempotency_key": idempotency_key})
        except stripe.StripeError as exc:
            logger.error("Stripe refund of %s failed: %s", payment_intent, exc)
            raise ProviderError(str(exc)) from exc
        return refund.id, refund.status

    def refund_credit_note(self, credit_note, *, actor=None):
        return refund_credit_note(credit_note, actor=actor, provider=self)

    def verified_event(self, payload, signature):
        """The event as a plain dict once the SDK verified its signature (else ValueError)."""
        try:
            event = self.client().construct_event(payload, signature,
                                                  settings.STRIPE_WEBHOOK_SECRET)
            return event.to_dict()
        except stripe.SignatureVerificationError as exc:
            raise ValueError("bad signature") from exc
        except (UnicodeDecodeError, TypeError, KeyError, AttributeError) as exc:
            raise ValueError("unreadable event") from exc


def event_handle(event):
    """Record the payment an event reports; returns what was done, for the log and tests.

    Anything that does not add up (unknown invoice, other currency, an amount other than the
    one asked, more than is owed) is logged for staff and writes nothing.
    """
    kind, event_id = event.get("type", ""), event.get("id", "")
    if kind in REFUND_EVENTS:
        return _refund_update(event)
    if kind not in PAID_EVENTS:
        return "ignored"
    session = (event.get("data") or {}).get("object") or {}
    if session.get("payment_status") != "paid":
        return "ignored"           # a delayed method: its async_payment_succeeded follows
    intent = session.get("payment_intent")
    if isinstance(intent, dict):
        intent = intent.get("id")
    meta = session.get("metadata") or {}
    invoice = Invoice.objects.filter(
        pk=int(meta["invoice_id"]) if str(meta.get("invoice_id", "")).isdigit() else None,
        number=meta.get("invoice_number") or None).first()
    if invoice is None or not intent:
        logger.error("Stripe event %s: no invoice %r or no payment intent; nothing recorded",
                     event_id, meta)
        return "unknown_invoice"
    if Payment.objects.filter(provider_id=intent).exists():
        return "duplicate"
    amount = session.get("amount_total")
    if (session.get("currency") != CURRENCY or not isinstance(amount, int)
            or str(amount) != meta.get("balance_cents")):
        logger.error("Stripe event %s for invoice %s: %s %s paid, %s asked; nothing recorded",
                     event_id, invoice.number, amount, session.get("currency"),
                     meta.get("balance_cents"))
        return "mismatch"
    try:
        services.payment_record(invoice=invoice, amount_cents=amount,
                                method=Payment.Method.ONLINE, provider_id=intent,
                                reference=str(session.get("id", ""))[:100])
    except ValidationError as exc:
        # E.g. a cheque was recorded meanwhile and the card paid more than is still owed.
        logger.error("Stripe event %s for invoice %s not recorded (%s): refund it by hand",
                     event_id, invoice.number, "; ".join(exc.messages))
        return "mismatch"
    return "recorded"


@transaction.atomic
def _refund_update(event):
    """A refund recorded as given back that Stripe later reports failed or cancelled: the
    money is still the association's, so a compensating entry (keyed on the refund) puts
    it back on the invoice, audited and logged for staff to give it back another way."""
    refund = (event.get("data") or {}).get("object") or {}
    refund_id, status = refund.get("id", ""), refund.get("status")
    if status not in ("failed", "canceled") or not refund_id:
        return "ignored"
    reversal = Payment.objects.filter(provider_id=refund_id, amount_cents__lt=0).first()
    if reversal is None:
        return "ignored"       # never recorded (a failed refund is not written)
    undo, created = Payment.objects.get_or_create(
        provider_id=f"{refund_id}:{status}", defaults={
            "invoice": reversal.invoice, "amount_cents": -reversal.amount_cents,
            "method": Payment.Method.ONLINE, "received_on": timezone.localdate(),
            "reference": f"{status} {refund_id}"[:100]})
    if not created:
        return "duplicate"
    audit.record(actor=None, action="payment.refund_failed", obj=reversal.invoice,
                 changes={"provider_id": refund_id, "status": status,
                          "amount_cents": undo.amount_cents})
    logger.error("Stripe refund %s of invoice %s is %s: give the money back another way",
                 refund_id, reversal.invoice.number, status)
    return "refund_failed"


@transaction.atomic
def refund_credit_note(credit_note, *, actor=None, provider=None):
    """Give back through Stripe what a credit note leaves overpaid on a card-paid invoice.

    Refunds at most the credit note's total and at most what the invoice now shows as
    overpaid (a credit on an unpaid part lowers the balance instead), taken from its Stripe
    payments, newest first. Each Refund is recorded as a negative online payment keyed on
    the refund's id; Stripe's idempotency key is the credit note's, so running it again
    refunds nothing twice. Returns the reversal payments.
    """
    provider = provider or get_provider()
    if not isinstance(provider, StripeCheckoutProvider):
        return []
    invoice = Invoice.objects.select_for_update().get(pk=credit_note.invoice_id)
    due_back = min(credit_note.total_cents, -invoice.balance_cents())
    paid = Payment.objects.filter(invoice=invoice, method=Payment.Method.ONLINE,
                                  amount_cents__gt=0, provider_id__startswith="pi_")
    reversals = []
    for payment in paid.order_by("-pk"):
        if due_back <= 0:
            break
        intent = payment.provider_id
        refunded = -sum(Payment.objects.filter(invoice=invoice, amount_cents__lt=0,
                                               reference__endswith=intent)
                        .values_list("amount_cents", flat=True))
        amount = min(due_back, payment.amount_cents - refunded)
        if amount <= 0:
            continue
        refund_id, status = provider.refund(
            payment_intent=intent, amount_cents=amount,
            idempotency_key=f"alliage-refund-{credit_note.pk}-{credit_note.number}-{intent}",
            metadata={"invoice_id": str(invoice.pk), "invoice_number": invoice.number,
                      "credit_note": credit_note.number})
        if status in ("failed", "canceled"):
            logger.error("Stripe refund %s for %s is %s", refund_id, credit_note.number, status)
            continue
        reversal, created = Payment.objects.get_or_create(provider_id=refund_id, defaults={
            "invoice": invoice, "amount_cents": -amount, "method": Payment.Method.ONLINE,
            "received_on": timezone.localdate(),
            "reference": f"{credit_note.number} {intent}"[:100],
            "recorded_by": actor if getattr(actor, "is_authenticated", False) else None})
        if created:
            audit.record(actor=actor, action="payment.refund", obj=invoice,
                         changes={"amount_cents": -amount, "method": Payment.Method.ONLINE,
                                  "credit_note": credit_note.number, "provider_id": refund_id})
        reversals.append(reversal)
        due_back -= amount
    if (invoice.status == Invoice.Status.PAID and reversals and invoice.paid_cents() <= 0
            and invoice.credited_cents() >= invoice.total_cents):
        # Wholly credited and given back: no longer "paid" but cancelled, as services does
        # for a credit note on an unpaid invoice.
        invoice.status = Invoice.Status.CANCELLED
        invoice.save(update_fields=["status"])
    return reversals
