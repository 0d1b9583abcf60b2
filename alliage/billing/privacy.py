"""Billing's personal data in the Law 25 registry: invoices and credit notes.

Issued invoices and credit notes never change and are kept for tax law (six years after
the fiscal year): an erasure removes the person's email from the invoice's billing details
but keeps the documents, including lines that name an attendee. The export says so.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliage.billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from alliage.core import privacy

iso = privacy.iso


def _billed_to(subject):
    condition = Q(pk__in=[])
    for address in subject.emails:
        condition |= Q(bill_to_email__iexact=address)
    return condition


def _export_invoices(subject):
    """Invoices billed to the person's address, or with a line naming them. In their own
    download: billed to the address they proved, or for an order they are registered on
    (tied by id); never an invoice that merely holds their name (a namesake's company)."""
    if subject.self_service:
        from django.apps import apps  # billing never imports an app above it

        Registration = apps.get_model("events", "Registration")  # noqa: N806
        billed = Q(pk__in=[])
        for address in subject.verified_emails:
            billed |= Q(bill_to_email__iexact=address)
        attended = Registration.objects.filter(contact_id=subject.person_id) \
            .values("order__invoice_id")
        invoices = Invoice.objects.filter(billed | Q(pk__in=attended))
        naming = InvoiceLine.objects.filter(invoice__in=invoices).filter(
            privacy.mentioning(subject, "description"))
    else:
        naming = InvoiceLine.objects.filter(privacy.mentioning(subject, "description"))
        invoices = Invoice.objects.filter(
            _billed_to(subject) | Q(pk__in=naming.values("invoice_id")))
    lines = {}
    for line in naming.filter(invoice__in=invoices):
        lines.setdefault(line.invoice_id, []).append(line.description)
    return [{"number": i.number, "issued_on": iso(i.issued_on), "billed_to": i.bill_to_name,
             "billing_email": i.bill_to_email, "total_cents": i.total_cents,
             "status": i.status, "lines_naming_you": lines.get(i.pk, [])}
            for i in invoices.order_by("issued_on", "pk")]


def _anonymise_invoices(subject, actor):
    # bill_to_email is not a frozen field: the documents keep the company's name and
    # address (what tax law needs), not the person's email.
    Invoice.objects.filter(_billed_to(subject)).update(bill_to_email="")


def register():
    privacy.register(
        "invoices", title=_("Invoices"), models=[Invoice, InvoiceLine, CreditNote, CreditNoteLine],
        export=_export_invoices, anonymise=_anonymise_invoices,
        rule=_("Invoices and credit notes are kept six years after the fiscal year, as tax "
               "law requires."),
        kept=_("Invoices and credit notes stay as issued (tax law, six years): number, "
               "amounts, the company billed and any line naming you as an attendee. Your "
               "email is removed from them."))
