"""Billing rules: drafts, gap-free numbering at issue, credit notes, payments.

Issued invoices never change; a correction is a credit note. Numbers are taken from a
row-locked Sequence inside the issuing transaction, so a rolled-back issue leaves no gap.
TPS and TVQ are computed on the taxable subtotal (``billing.taxes``), once per document.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.billing import taxes
from alliage.billing.models import (
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    Payment,
    Sequence,
)
from alliage.billing.signals import invoice_paid
from alliage.core import audit
from alliage.core.models import Association


@dataclass(frozen=True)
class Line:
    description: str
    unit_price_cents: int
    quantity: int = 1
    taxable: bool = True


def next_number(kind, year):
    """Take the next number of ``kind`` for ``year``; call inside a transaction."""
    Sequence.objects.get_or_create(kind=kind, year=year)
    seq = Sequence.objects.select_for_update().get(kind=kind, year=year)
    seq.last_number += 1
    seq.save(update_fields=["last_number"])
    return f"{kind}{year}-{seq.last_number:05d}"


def _bill_to(organisation):
    lines = [organisation.street]
    if organisation.municipality_id:
        town = organisation.municipality.name
        lines.append(f"{town} (Québec) {organisation.postal_code}".strip())
    billing = organisation.affiliations.filter(is_billing=True, ended_on__isnull=True) \
        .select_related("contact").first()
    email = billing.contact.email if billing else organisation.email
    return "\n".join(x for x in lines if x), email


def invoice_create(*, organisation, lines, language=None, source="", notes="", actor=None,
                   due_days=30, issue=True, on=None, render_pdf=True, bill_to=None):
    """Create an invoice with its lines and issue it unless asked not to.

    TPS and TVQ are computed on the taxable subtotal (``billing.taxes``), never per line.
    ``bill_to``: an optional ``(name, address, email)`` typed by the payer (a visitor's
    public registration) instead of what the CRM holds for ``organisation``.

    Three queries for a draft (who to bill, the invoice with its figures, its lines): the
    figures are computed before the invoice is inserted, and the input is checked before
    anything is written, so a draft's writes need no savepoint of their own inside a
    caller's transaction (only a database error could fail them, and on PostgreSQL that
    aborts the caller's transaction anyway). Issuing can fail after its writes (its number
    taken): then the savepoint rolls back the whole invoice and nothing else.
    """
    if not lines:
        raise ValidationError(_("An invoice needs at least one line."))
    if any(line.quantity < 1 or line.unit_price_cents < 0 for line in lines):
        raise ValidationError(_("Quantities must be positive and prices not negative."))
    with transaction.atomic(savepoint=issue):
        address, email = _bill_to(organisation)
        name = organisation.legal_name
        if bill_to is not None:
            name, address, email = (bill_to[0] or name), (bill_to[1] or address), \
                (bill_to[2] or email)
        invoice = Invoice(
            organisation=organisation, bill_to_name=name,
            bill_to_address=address, bill_to_email=email or "",
            language=language or settings.LANGUAGE_CODE, source=source, notes=notes,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        rows = [InvoiceLine(position=position, description=line.description,
                            quantity=line.quantity, unit_price_cents=line.unit_price_cents,
                            taxable=line.taxable,
                            amount_cents=line.unit_price_cents * line.quantity)
                for position, line in enumerate(lines)]
        _apply_taxes(invoice, rows)
        invoice.save()
        for row in rows:
            row.invoice = invoice
        # The invoice is a draft created just above: its lines may be written in one query.
        InvoiceLine.objects.bulk_create(rows)
        if issue:
            invoice = invoice_issue(invoice=invoice, actor=actor, due_days=due_days, on=on,
                                    render_pdf=render_pdf)
    return invoice


def _apply_taxes(invoice, lines):
    """Set a draft's figures from its lines; return True when any figure changed."""
    pairs = [(ln.amount_cents, ln.taxable) for ln in lines]
    figures = taxes.of_lines(pairs)
    changed = False
    for ln, (tps, tvq) in zip(lines, taxes.line_shares(pairs, figures), strict=True):
        changed |= (ln.tps_cents, ln.tvq_cents) != (tps, tvq)
        ln.tps_cents, ln.tvq_cents = tps, tvq
    before = (invoice.subtotal_cents, invoice.tps_cents, invoice.tvq_cents, invoice.total_cents)
    after = (figures.subtotal, figures.tps, figures.tvq, figures.total)
    invoice.subtotal_cents, invoice.tps_cents, invoice.tvq_cents, invoice.total_cents = after
    return changed or before != after


@transaction.atomic
def draft_delete(*, invoice):
    """Delete a draft (never numbered, so no gap in the numbering); an issued invoice is
    corrected by a credit note instead."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not invoice.is_draft:
        raise ValidationError(_("An issued invoice is corrected by a credit note."))
    invoice.lines.all().delete()
    invoice.delete()


@transaction.atomic
def invoice_issue(*, invoice, actor=None, due_days=30, on=None, render_pdf=True):
    """Give a draft its number and freeze it; queues its PDF (else made on first download)."""
    from alliage.billing.tasks import render_invoice_pdf

    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not invoice.is_draft:
        raise ValidationError(_("This invoice is already issued."))
    # A draft written before taxes were computed on the subtotal is brought up to the rule
    # before it is frozen (issued invoices keep the figures they were issued with).
    lines = list(invoice.lines.all())
    if _apply_taxes(invoice, lines):
        InvoiceLine.objects.bulk_update(lines, ["tps_cents", "tvq_cents"])
    on = on or timezone.localdate()
    association = Association.current()
    invoice.number = next_number(settings.INVOICE_PREFIX, on.year)
    invoice.status = Invoice.Status.ISSUED if invoice.total_cents > 0 else Invoice.Status.PAID
    invoice.issued_on = on
    invoice.due_on = on + timedelta(days=due_days)
    invoice.tps_number, invoice.tvq_number = association.tps_number, association.tvq_number
    invoice.save()
    audit.record(actor=actor, action="invoice.issue", obj=invoice,
                 changes={"total_cents": invoice.total_cents})
    if render_pdf:
        render_invoice_pdf.enqueue(invoice.pk)
    if invoice.status == Invoice.Status.PAID:
        invoice_paid.send(sender=Invoice, invoice=invoice)
    return invoice


def _settle(invoice):
    """Mark the invoice paid (or cancelled) once nothing is owed."""
    if invoice.status != Invoice.Status.ISSUED:
        return
    if invoice.balance_cents() <= 0:
        credited = invoice.credited_cents()
        invoice.status = (Invoice.Status.CANCELLED if credited >= invoice.total_cents
                          else Invoice.Status.PAID)
        invoice.save(update_fields=["status"])
        if invoice.status == Invoice.Status.PAID:
            # Inside the transaction: receivers' writes (activation) commit with the payment.
            invoice_paid.send(sender=Invoice, invoice=invoice)


@transaction.atomic
def payment_record(*, invoice, amount_cents, method, received_on=None, reference="",
                   actor=None, provider_id=""):
    """Record money received; idempotent for a provider's payment id."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if provider_id:
        existing = Payment.objects.filter(provider_id=provider_id).first()
        if existing:
            return existing
    if invoice.is_draft or invoice.status == Invoice.Status.CANCELLED:
        raise ValidationError(_("Payments go on issued invoices only."))
    if amount_cents <= 0:
        raise ValidationError(_("The amount must be greater than zero."))
    if amount_cents > invoice.balance_cents():
        raise ValidationError(_("The amount is greater than the balance of the invoice."))
    payment = Payment.objects.create(
        invoice=invoice, amount_cents=amount_cents, method=method,
        received_on=received_on or timezone.localdate(), reference=reference,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        provider_id=provider_id)
    audit.record(actor=actor, action="payment.record", obj=invoice,
                 changes={"amount_cents": amount_cents, "method": method})
    _settle(invoice)
    return payment


@transaction.atomic
def credit_note_create(*, invoice, reason, actor=None, amount_cents=None, refund=False):
    """Credit all of an invoice (default) or ``amount_cents`` of its subtotal.

    A full credit note is the invoice's own figures, line by line (the exact opposite of the
    invoice). A partial one is taxed on its own base, the last one taking what remains of
    each tax, so credit notes never add up to more or less than their invoice
    (``billing.taxes.credit``).

    ``refund``: give back through the payment provider what the invoice is now overpaid
    (cards paid online; ``providers.refund_credit_note``), recorded as a negative payment.
    A provider failure raises ``ProviderError`` and rolls the credit note back with it;
    ``"later"`` does it in a background task after commit instead.
    """
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.is_draft:
        raise ValidationError(_("Delete or issue a draft; credit notes are for issued invoices."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the credit note."))
    done = invoice.credit_notes.aggregate(subtotal=Sum("subtotal_cents"), tps=Sum("tps_cents"),
                                          tvq=Sum("tvq_cents"), total=Sum("total_cents"))
    done = {k: v or 0 for k, v in done.items()}
    creditable = invoice.total_cents - done["total"]
    lines = list(invoice.lines.all())
    if amount_cents is None:
        if done["total"]:
            raise ValidationError(_("Part of this invoice is already credited; give an amount."))
        parts = [(ln.description, ln.amount_cents, ln.tps_cents, ln.tvq_cents) for ln in lines]
        figures = taxes.Taxes(invoice.subtotal_cents, 0, invoice.tps_cents, invoice.tvq_cents)
        if (sum(p[1] for p in parts), sum(p[2] for p in parts), sum(p[3] for p in parts)) != \
                (figures.subtotal, figures.tps, figures.tvq):
            # Defensive: lines that would not add up to their invoice would credit another
            # amount than was charged; the invoice's own figures, in one line, instead.
            parts = [(_("Credit of invoice %(number)s") % {"number": invoice.number},
                      figures.subtotal, figures.tps, figures.tvq)]
    else:
        if amount_cents <= 0 or amount_cents > invoice.subtotal_cents - done["subtotal"]:
            raise ValidationError(_("The amount to credit is not valid."))
        base = taxes.Taxes(invoice.subtotal_cents,
                           sum(ln.amount_cents for ln in lines if ln.taxable),
                           invoice.tps_cents, invoice.tvq_cents)
        figures = taxes.credit(amount=amount_cents, invoice=base,
                               credited_subtotal=done["subtotal"], credited_tps=done["tps"],
                               credited_tvq=done["tvq"])
        parts = [(_("Partial credit on invoice %(number)s") % {"number": invoice.number},
                  figures.subtotal, figures.tps, figures.tvq)]
    total = sum(p[1] + p[2] + p[3] for p in parts)
    if total > creditable:
        raise ValidationError(_("The credit is greater than what remains on the invoice."))
    today = timezone.localdate()
    note = CreditNote.objects.create(
        number=next_number("NC", today.year), invoice=invoice, issued_on=today,
        reason=reason, subtotal_cents=sum(p[1] for p in parts),
        tps_cents=sum(p[2] for p in parts), tvq_cents=sum(p[3] for p in parts),
        total_cents=total, created_by=actor if getattr(actor, "is_authenticated", False)
        else None)
    CreditNoteLine.objects.bulk_create([
        CreditNoteLine(credit_note=note, description=d, amount_cents=a, tps_cents=t, tvq_cents=v)
        for d, a, t, v in parts])
    audit.record(actor=actor, action="credit_note.create", obj=invoice,
                 changes={"credit_note": note.number, "total_cents": total}, reason=reason)
    _settle(invoice)
    if refund == "later":  # after commit, in the background: a provider outage never
        from alliage.billing.tasks import refund_credit_note  # blocks a cancellation

        transaction.on_commit(lambda: refund_credit_note.enqueue(note.pk))
    elif refund:
        from alliage.billing.providers import get_provider

        get_provider().refund_credit_note(note, actor=actor)
    return note


def accounting_export_record(*, report, fmt, period, actor, request=None):
    """Staff download an accounting report: the export is audited (what, which period)."""
    audit.record(actor=actor, action="billing.export", obj=Association.current(),
                 changes={"report": report, "format": fmt, "start": period.start.isoformat(),
                          "end": period.end.isoformat()}, request=request)
