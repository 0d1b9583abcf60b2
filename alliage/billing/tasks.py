from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks import task

from alliage.billing.models import Invoice


@task(queue_name="reports")
def render_invoice_pdf(invoice_id: int) -> str:
    """Render an issued invoice to PDF once (issued invoices never change)."""
    from alliage.billing.pdf import invoice_pdf_bytes

    invoice = Invoice.objects.filter(pk=invoice_id).first()
    if invoice is None or invoice.is_draft:
        return "skipped"
    if invoice.pdf:
        return "exists"
    content = invoice_pdf_bytes(invoice)
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice_id)
        if locked.pdf:
            return "exists"
        locked.pdf.save(f"{locked.number}.pdf", ContentFile(content), save=True)
    return "rendered"
