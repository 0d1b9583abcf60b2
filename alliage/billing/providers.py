"""Payment providers: apps ask for a checkout, providers report payments back.

An online card provider implements ``checkout_url`` and calls ``billing.services
.payment_record(..., provider_id=...)`` from its webhook (idempotent on that id). The
provider is chosen by ``PAYMENT_PROVIDER`` (``offline`` unless told otherwise); Stripe
Checkout lives in ``billing.stripe_provider``, its pages and webhook in ``billing.payviews``.
"""

from django.conf import settings
from django.utils.module_loading import import_string


class ProviderError(Exception):
    """The provider could not be reached or refused the request (shown to the payer as such)."""


class PaymentProvider:
    name = "base"
    online = False

    def checkout_url(self, invoice, return_url, *, cancel_url=None):
        """Where to send the payer, or None when payment happens off-line.

        ``return_url`` is where the payer lands after paying (the payment itself is confirmed
        later, by the provider's signed webhook), ``cancel_url`` where they land if they give
        up (``return_url`` when not given).
        """
        raise NotImplementedError

    def refund_credit_note(self, credit_note, *, actor=None):
        """Give back through the provider what ``credit_note`` leaves overpaid; the reversal
        payments recorded (none for a provider that takes no money online)."""
        return []


class OfflineProvider(PaymentProvider):
    """Cheque, transfer or card at the office, recorded by staff."""

    name = "offline"

    def checkout_url(self, invoice, return_url, *, cancel_url=None):
        return None


def get_provider():
    return import_string(settings.PAYMENT_PROVIDER)()


def can_pay_online(invoice, provider=None):
    """True when ``invoice`` can be paid now through an online provider."""
    from alliage.billing.models import Invoice

    provider = provider or get_provider()
    return bool(provider.online and invoice.status == Invoice.Status.ISSUED
                and invoice.balance_cents() > 0)
