"""``{% online_payment invoice as pay %}``: whether and where an invoice can be paid online."""

from django import template
from django.urls import reverse

from alliage.billing.providers import can_pay_online

register = template.Library()


@register.simple_tag
def online_payment(invoice):
    """``can_pay`` (an online provider is on and something is owed), ``action`` (the button's
    POST target for a logged-in admin) and ``link`` (the signed link, for mails)."""
    from alliage.billing.payviews import pay_url_for

    if not invoice or not can_pay_online(invoice):
        return {"can_pay": False}
    return {"can_pay": True, "action": reverse("pay:invoice_pay", args=[invoice.pk]),
            "link": pay_url_for(invoice)}
