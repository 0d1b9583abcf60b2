from django_tasks import task

from alliage.billing.models import Invoice


@task(queue_name="reports")
def render_invoice_pdf(invoice_id: int) -> str:
    """Render an issued invoice to PDF once (issued invoices never change)."""
    from alliage.billing.pdf import invoice_pdf_bytes
    from alliage.core.pdfstore import store_once

    invoice = Invoice.objects.filter(pk=invoice_id).first()
    if invoice is None or invoice.is_draft:
        return "skipped"
    return store_once(invoice, render=invoice_pdf_bytes,
                      filename=lambda locked: f"{locked.number}.pdf")


@task()
def refund_credit_note(credit_note_id: int) -> str:
    """Give back through the provider what a credit note leaves overpaid (an attendee's
    cancellation). Idempotent: the provider's refund is keyed on the credit note, and what
    was already refunded is never refunded again."""
    from alliage.billing.models import CreditNote
    from alliage.billing.providers import get_provider

    note = CreditNote.objects.select_related("invoice").filter(pk=credit_note_id).first()
    if note is None:
        return "skipped"
    done = get_provider().refund_credit_note(note)
    return f"{len(done)} refund(s)"
