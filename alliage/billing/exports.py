"""The accountant's three exports, written by the one export helper (``core.exports``).

Amounts are dollars with two decimals (``Decimal``): the CSV reads "450,00" (``;``, what
Excel in French takes for a number; "450.00" with ``?sep=,``) and the XLSX holds a typed
number shown with two decimals.
"""

from dataclasses import replace
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from alliage.billing import accounting
from alliage.core.exports import Column, export_response

MONEY_FORMAT = "#,##0.00"


def dollars(cents):
    """Cents as a two-decimal Decimal ("450.00"); text and None pass through."""
    if isinstance(cents, int) and not isinstance(cents, bool):
        return Decimal(cents).scaleb(-2)
    return cents


JOURNAL = [
    Column(_("Type"), lambda e: e.kind),
    Column(_("Number"), lambda e: e.number),
    Column(_("Date"), lambda e: e.issued_on),
    Column(_("Client"), lambda e: e.client),
    Column(_("Invoice"), lambda e: e.invoice_number),
    Column(_("For"), lambda e: e.purpose),
    Column(_("Subtotal"), lambda e: dollars(e.subtotal_cents)),
    Column("TPS", lambda e: dollars(e.tps_cents)),
    Column("TVQ", lambda e: dollars(e.tvq_cents)),
    Column(_("Total"), lambda e: dollars(e.total_cents)),
    Column(_("Status"), lambda e: e.status),
]

PAYMENTS = [
    Column(_("Date"), lambda p: p.received_on),
    Column(_("Invoice"), lambda p: p.invoice.number),
    Column(_("Client"), lambda p: p.invoice.bill_to_name),
    Column(_("Amount"), lambda p: dollars(p.amount_cents)),
    Column(_("Method"), lambda p: p.get_method_display()),
    Column(_("Reference"), lambda p: p.reference),
    Column(_("Provider's payment id"), lambda p: p.provider_id),
]

SUMMARY = [
    Column(_("Line"), lambda s: s.line),
    Column(_("Item"), lambda s: s.label),
    Column(_("Value"), lambda s: dollars(s.value)),
]

# report name -> (title, columns, rows for a period, columns holding money)
REPORTS = {
    "journal": (_("Sales journal"), JOURNAL, accounting.sales_journal, (6, 7, 8, 9)),
    "payments": (_("Payments received"), PAYMENTS, accounting.payments_received, (3,)),
    "taxes": (_("Tax summary"), SUMMARY, accounting.tax_summary, (2,)),
}


def report_response(report, period, fmt, *, separator=";"):
    """The attachment for one report over ``period`` in ``fmt`` (csv or xlsx)."""
    title, columns, rows, money = REPORTS[report]
    columns = [replace(c, money=i in money) for i, c in enumerate(columns)]
    name = f"{title} {period.start.isoformat()} {period.end.isoformat()}"
    return export_response(rows(period), columns, fmt, name=name, sheet=title,
                           separator=separator)
