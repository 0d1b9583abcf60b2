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
