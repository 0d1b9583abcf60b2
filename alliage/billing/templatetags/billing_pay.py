"""``{% online_payment invoice as pay %}``: whether and where an invoice can be paid online."""

from django import template
from django.urls import reverse

from alliage.billing.providers import can_pay_online

register = template.Library()


@register.simple_tag(takes_context=True)
def online_payment(context, invoice):
    """``can_pay`` (an online provider is on and something is owed); ``action``, where the
    button posts: the admin's own URL for the invoice's company admins and staff, else the
    signed link's (a visitor on a page that already proved their right to the invoice);
    ``link``, the absolute signed link, for mails."""
    from alliage.billing.payviews import pay_token, pay_url_for, pays_logged_in

    if not invoice or not can_pay_online(invoice):
        return {"can_pay": False}
    request = context.get("request")
    if pays_logged_in(getattr(request, "user", None), invoice):
        action = reverse("pay:invoice_pay", args=[invoice.pk])
    else:
        action = reverse("pay:link", args=[pay_token(invoice)])
    return {"can_pay": True, "action": action, "link": pay_url_for(invoice)}
