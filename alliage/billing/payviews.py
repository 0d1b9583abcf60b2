"""Paying an invoice online: the button, the signed payer's link, the return pages, the webhook.

Who may pay: the invoice's company admins and staff (logged in, another company's invoice
is 404), or anyone holding the invoice's signed link (``pay_url_for``, sent to the payer of
a public registration). The return pages never mark anything paid: only the provider's
signed webhook does.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from alliage.billing.models import Invoice
from alliage.billing.providers import ProviderError, can_pay_online, get_provider
from alliage.core.roles import administered_organisations, is_staff

logger = logging.getLogger("alliage.billing.stripe")

PAY_LINK_SALT = "alliage.billing.pay-link"
PAY_LINK_MAX_AGE = 400 * 24 * 3600   # a year and some: an invoice stays payable that long


def pay_token(invoice):
    """The signed token naming ``invoice`` (its id and number) in a payer's link."""
    return signing.dumps({"i": invoice.pk, "n": invoice.number}, salt=PAY_LINK_SALT)


def pay_url_for(invoice):
    """The absolute link with which anyone holding it may see and pay ``invoice``."""
    return settings.SITE_URL + reverse("pay:link", args=[pay_token(invoice)])


def _invoice_of_token(token):
    try:
        data = signing.loads(token, salt=PAY_LINK_SALT, max_age=PAY_LINK_MAX_AGE)
        return Invoice.objects.issued().get(pk=int(data["i"]), number=str(data["n"]))
    except (signing.BadSignature, Invoice.DoesNotExist, KeyError, TypeError, ValueError):
        raise Http404 from None


def _payable_by(user):
    """Issued invoices ``user`` may pay while logged in: their companies', or all for staff."""
    invoices = Invoice.objects.issued()
    if is_staff(user):
        return invoices
    return invoices.filter(organisation__in=administered_organisations(user))


def pays_logged_in(user, invoice):
    """Whether ``user``'s own button (POST /factures/<pk>/payer/) works for ``invoice``.

    The companies a user administers are read once per request (kept on the user), so an
    invoice list with a button per row costs one query, not one per invoice.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if is_staff(user):
        return True
    if not hasattr(user, "_alliage_paying_orgs"):
        user._alliage_paying_orgs = set(
            administered_organisations(user).values_list("pk", flat=True))
    return invoice.organisation_id in user._alliage_paying_orgs


def _see_other(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _checkout(request, invoice, back):
    """Send the payer to the provider's page (303), or back with a message."""
    provider = get_provider()
    if not provider.online:
        raise Http404
    if not can_pay_online(invoice, provider):
        messages.info(request, _("This invoice has nothing left to pay online."))
        return _see_other(back)
    token = pay_token(invoice)
    done = settings.SITE_URL + reverse("pay:done", args=[token])
    cancelled = settings.SITE_URL + reverse("pay:cancelled", args=[token])
    try:
        url = provider.checkout_url(invoice, done, cancel_url=cancelled)
    except ProviderError:
        messages.error(request, _("Online payment is unavailable right now. Please try again "
                                  "later or pay by cheque or transfer."))
        return _see_other(back)
    return _see_other(url)


@login_required
@require_POST
def invoice_pay(request, pk):
    """The "Pay online" button of an invoice page (company admins and staff)."""
    invoice = get_object_or_404(_payable_by(request.user), pk=pk)
    return _checkout(request, invoice,
                     back=reverse("members:my_billing", args=[invoice.organisation_id]))


@never_cache
@require_http_methods(["GET", "POST"])
def pay_link(request, token):
    """A payer's signed link: the invoice's amount due and its "Pay online" button."""
    invoice = _invoice_of_token(token)
    if request.method == "POST":
        return _checkout(request, invoice, back=request.path)
    return _page(request, "billing/pay_link.html", invoice, token)


@never_cache
def pay_done(request, token):
    """Back from the provider after paying: confirmed later by the webhook, never here."""
    return _page(request, "billing/pay_done.html", _invoice_of_token(token), token)


@never_cache
def pay_cancelled(request, token):
    return _page(request, "billing/pay_cancelled.html", _invoice_of_token(token), token)


def _page(request, template, invoice, token):
    response = render(request, template, {
        "invoice": invoice, "token": token, "balance": invoice.balance_cents(),
        "can_pay": can_pay_online(invoice),
        "pay_action": reverse("pay:link", args=[token])})
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events: the signature verified by the SDK, then at most one payment each."""
    from alliage.billing.stripe_provider import StripeCheckoutProvider, event_handle

    provider = get_provider()
    if not isinstance(provider, StripeCheckoutProvider):
        raise Http404
    if request.content_type != "application/json":   # Stripe posts JSON, nothing else
        return HttpResponse(status=400)
    try:
        event = provider.verified_event(request.body,
                                        request.headers.get("Stripe-Signature", ""))
    except ValueError as exc:
        logger.warning("Stripe webhook refused: %s", exc)
        return HttpResponse(status=400)
    outcome = event_handle(event)
    logger.info("Stripe event %s (%s): %s", event.get("id"), event.get("type"), outcome)
    return HttpResponse(outcome, content_type="text/plain")
