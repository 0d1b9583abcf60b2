"""What the association's accountant needs for a period: the sales journal, the payments
received and the taxes collected, as the GST/QST return (FPZ-500) asks for them.

Invoices count on their issue date, credit notes on theirs (as negative amounts: a full
credit note is the exact opposite of its invoice), payments on the day they were received.
Drafts are not sales; an invoice cancelled by a credit note stays in the journal, its
credit note beside it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from alliage.billing.models import CreditNote, Invoice, Payment
from alliage.core.models import Association

# The association's fiscal year starts on 1 July (the membership year of the seed data and
# of the yearly report); only the "last fiscal year" preset depends on it.
FISCAL_YEAR_START_MONTH = 7


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __str__(self):
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def _month_start(day, months_back=0):
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def last_month(today):
    """The month before ``today``'s: the default period."""
    start = _month_start(today, 1)
    return Period(start, _month_start(today) - timedelta(days=1))


def presets(today):
    """Named periods offered on the page: (label, Period)."""
    this_month = _month_start(today)
    quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    fiscal = date(today.year, FISCAL_YEAR_START_MONTH, 1)
    if fiscal > today:
        fiscal = date(today.year - 1, FISCAL_YEAR_START_MONTH, 1)
    return [
        (_("Last month"), last_month(today)),
        (_("This month"), Period(this_month, today)),
        (_("Last quarter"), Period(_month_start(quarter, 3), quarter - timedelta(days=1))),
        (_("Last calendar year"), Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))),
        (_("Last fiscal year"), Period(date(fiscal.year - 1, fiscal.month, 1),
                                       fiscal - timedelta(days=1))),
    ]


@dataclass(frozen=True)
class JournalEntry:
    """One line of the sales journal: an invoice, or a credit note in negative amounts."""

    kind: str
    number: str
    issued_on: date
    client: str
    invoice_number: str
    purpose: str
    subtotal_cents: int
    tps_cents: int
    tvq_cents: int
    total_cents: int
    status: str


def sales_journal(period):
    """Invoices and credit notes issued in ``period``, by date then number (3 queries)."""
    invoices = (Invoice.objects.issued().filter(issued_on__range=(period.start, period.end))
                .prefetch_related("lines"))
    notes = (CreditNote.objects.filter(issued_on__range=(period.start, period.end))
             .select_related("invoice"))
    entries = [JournalEntry(
        kind=str(_("Invoice")), number=inv.number, issued_on=inv.issued_on,
        client=inv.bill_to_name, invoice_number=inv.number, purpose=inv.purpose,
        subtotal_cents=inv.subtotal_cents, tps_cents=inv.tps_cents, tvq_cents=inv.tvq_cents,
        total_cents=inv.total_cents, status=inv.get_status_display()) for inv in invoices]
    entries += [JournalEntry(
        kind=str(_("Credit note")), number=note.number, issued_on=note.issued_on,
        client=note.invoice.bill_to_name, invoice_number=note.invoice.number,
        purpose=note.reason, subtotal_cents=-note.subtotal_cents, tps_cents=-note.tps_cents,
        tvq_cents=-note.tvq_cents, total_cents=-note.total_cents, status=str(_("Issued")))
        for note in notes]
    return sorted(entries, key=lambda e: (e.issued_on, e.number))


def payments_received(period):
    """Payments received in ``period``, by date (1 query)."""
    return list(Payment.objects.filter(received_on__range=(period.start, period.end))
                .select_related("invoice").order_by("received_on", "pk"))


@dataclass(frozen=True)
class SummaryLine:
    line: str  # the FPZ-500 line number, "" for a detail
    label: str
    value: object  # cents (int) or text (a registration number, the period)

    @property
    def is_amount(self):
        return isinstance(self.value, int)


def tax_summary(period):
    """The figures of the GST/QST return for ``period`` (lines 101, 103 and 203), with the
    invoiced and credited parts they come from and the association's tax numbers."""
    figures = ("subtotal_cents", "tps_cents", "tvq_cents", "total_cents")
    sold = Invoice.objects.issued().filter(issued_on__range=(period.start, period.end)) \
        .aggregate(**{f: Sum(f) for f in figures})
    credited = CreditNote.objects.filter(issued_on__range=(period.start, period.end)) \
        .aggregate(**{f: Sum(f) for f in figures})
    sold = {k: v or 0 for k, v in sold.items()}
    credited = {k: v or 0 for k, v in credited.items()}
    net = {f: sold[f] - credited[f] for f in figures}
    association = Association.current()
    return [
        SummaryLine("", _("Period"), str(period)),
        SummaryLine("", _("GST/HST registration number (TPS)"), association.tps_number),
        SummaryLine("", _("QST registration number (TVQ)"), association.tvq_number),
        SummaryLine("", _("Sales invoiced, before taxes"), sold["subtotal_cents"]),
        SummaryLine("", _("Credit notes, before taxes"), -credited["subtotal_cents"]),
        SummaryLine("101", _("Total sales (supplies)"), net["subtotal_cents"]),
        SummaryLine("", _("TPS invoiced"), sold["tps_cents"]),
        SummaryLine("", _("TPS credited"), -credited["tps_cents"]),
        SummaryLine("103", _("TPS collected or collectible"), net["tps_cents"]),
        SummaryLine("", _("TVQ invoiced"), sold["tvq_cents"]),
        SummaryLine("", _("TVQ credited"), -credited["tvq_cents"]),
        SummaryLine("203", _("TVQ collected or collectible"), net["tvq_cents"]),
        SummaryLine("", _("Total, taxes included"), net["total_cents"]),
    ]
