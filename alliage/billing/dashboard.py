"""Billing's part of the dashboard (core.dashboard): unpaid invoices past due to follow up;
revenue collected in a period, in total and by source (what the invoice was for)."""

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliage.billing.accounting import FISCAL_YEAR_START_MONTH
from alliage.billing.models import Invoice, Payment
from alliage.core import dashboard
from alliage.core.dashboard import Decision, Link, Money, Table, Value

# An invoice's ``source`` starts with what it is for ("membership:12"); the apps that
# invoice name these prefixes. Anything else (hand-made invoices) is "other".
SOURCES = {
    "membership": _("Membership dues"),
    "event-order": _("Event registrations"),
    "advantage": _("Advantage programs"),
    "booking": _("Shared resources"),
    "fair-booth": _("Virtual fair booths"),
}


def decisions(today):
    return [Decision("overdue_invoices", _("Unpaid invoices past due"),
                     Invoice.objects.open().filter(due_on__lt=today).count(),
                     reverse("billing:invoice_list") + "?overdue=on", _("Follow up"))]


def _source_q(prefix):
    return Q(invoice__source__startswith=f"{prefix}:")


def _other_q():
    q = Q()
    for prefix in SOURCES:
        q |= _source_q(prefix)
    return ~q


def figures(start, end):
    sums = {key: Sum("amount_cents", filter=_source_q(key)) for key in SOURCES}
    found = Payment.objects.filter(received_on__range=(start, end)).aggregate(
        total=Sum("amount_cents"), other=Sum("amount_cents", filter=_other_q()), **sums)
    values = [Value("revenue", _("Revenue collected"), found["total"] or 0, kind="money",
                    drill=True, help=_("Payments received in the period, taxes included."))]
    for key, label in SOURCES.items():
        values.append(Value(f"revenue_{key}", label, found[key] or 0, kind="money",
                            drill=True))
    values.append(Value("revenue_other", _("Other revenue"), found["other"] or 0,
                        kind="money", drill=True))
    return values


def rows(key, start, end):
    if key == "revenue":
        found, title = Q(), _("Revenue collected")
    elif key == "revenue_other":
        found, title = _other_q(), _("Other revenue")
    elif key.startswith("revenue_") and key[8:] in SOURCES:
        found, title = _source_q(key[8:]), SOURCES[key[8:]]
    else:
        return None
    payments = (Payment.objects.filter(found, received_on__range=(start, end))
                .select_related("invoice__organisation").order_by("received_on", "pk"))
    return Table(title, [_("Received on"), _("Invoice"), _("Company"), _("Amount")],
                 [[p.received_on, p.invoice.number,
                   Link(p.invoice.bill_to_name, reverse("members:crm_detail",
                                                        args=[p.invoice.organisation_id]))
                   if p.invoice.organisation_id else p.invoice.bill_to_name,
                   Money(p.amount_cents)] for p in payments])


def register():
    dashboard.set_fiscal_year_start(FISCAL_YEAR_START_MONTH)
    dashboard.register_decisions("billing", decisions, order=40)
    dashboard.register_figures("billing", _("Revenue by source"), figures, rows=rows, order=20)
