"""Payment providers: apps ask for a checkout, providers report payments back.

An online card provider implements ``checkout_url`` and calls ``billing.services
.payment_record(..., provider_id=...)`` from its webhook (idempotent on that id).
"""

from django.conf import settings
from django.utils.module_loading import import_string


class PaymentProvider:
    name = "base"
    online = False

    def checkout_url(self, invoice, return_url):
        """Where to send the payer, or None when payment happens off-line."""
        raise NotImplementedError


class OfflineProvider(PaymentProvider):
    """Cheque, transfer or card at the office, recorded by staff."""

    name = "offline"

    def checkout_url(self, invoice, return_url):
        return None


def get_provider():
    return import_string(settings.PAYMENT_PROVIDER)()
