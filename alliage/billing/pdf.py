"""Invoice PDF with WeasyPrint, in the client's language."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from alliage.core.models import Association
from alliage.core.money import format_rate


def invoice_html(invoice):
    """The invoice as HTML: lines, then the taxes of its taxable subtotal (one figure each,
    the rate times the printed base; lines carry no tax of their own)."""
    lines = list(invoice.lines.all())
    with translation.override(invoice.language):
        return render_to_string("billing/invoice_pdf.html", {
            "invoice": invoice, "lines": lines,
            "taxable_cents": sum(ln.amount_cents for ln in lines if ln.taxable),
            "association": Association.current(),
            "credit_notes": invoice.credit_notes.all(),
            "payments": invoice.payments.all(),
            "LANGUAGE_CODE": invoice.language,
            "tps_rate": format_rate(settings.TPS_RATE_PPM, invoice.language),
            "tvq_rate": format_rate(settings.TVQ_RATE_PPM, invoice.language),
            "online": _online(),
        })


def _online():
    from alliage.billing.providers import get_provider

    return get_provider().online


def invoice_pdf_bytes(invoice):
    from weasyprint import HTML

    return HTML(string=invoice_html(invoice), base_url=str(settings.BASE_DIR)).write_pdf()
