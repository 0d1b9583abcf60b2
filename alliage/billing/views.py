"""Staff billing pages: the accountant's exports and the list of every invoice."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from alliage.billing import accounting, exports, services
from alliage.billing.forms import PeriodForm
from alliage.billing.models import Invoice
from alliage.core.exports import FORMATS, csv_separator
from alliage.core.roles import staff_required


def _period_form(request):
    """The period asked for, or last month when nothing is asked (bound either way)."""
    if "start" in request.GET or "end" in request.GET:
        return PeriodForm(request.GET)
    default = accounting.last_month(timezone.localdate())
    return PeriodForm({"start": default.start.isoformat(), "end": default.end.isoformat()})


def _page(request, form, status=200):
    period = form.period if form.is_valid() else None
    return render(request, "billing/accounting.html", {
        "form": form, "period": period, "reports": exports.REPORTS, "formats": FORMATS,
        "presets": accounting.presets(timezone.localdate()),
        "summary": accounting.tax_summary(period) if period else None,
    }, status=status)


@staff_required
def accounting_page(request):
    return _page(request, _period_form(request))


@staff_required
def accounting_export(request, report, fmt):
    if report not in exports.REPORTS or fmt not in FORMATS:
        raise Http404
    form = _period_form(request)
    if not form.is_valid():
        return _page(request, form, status=400)
    period = form.period
    services.accounting_export_record(report=report, fmt=fmt, period=period,
                                      actor=request.user, request=request)
    return exports.report_response(report, period, fmt, separator=csv_separator(request))


@staff_required
def invoice_list(request):
    """Every issued invoice, newest first, with what it is for; filtered (status, past due,
    number or organisation), sorted by any column, numbered pages."""
    from alliage.billing.tables import InvoiceFilter, InvoiceTable
    from alliage.core.tables import configure

    found = InvoiceFilter(request.GET or None, queryset=Invoice.objects.issued()
                          .select_related("organisation").for_listing())
    invoices = found.qs if found.is_bound and found.is_valid() else found.queryset
    return render(request, "billing/invoice_list.html", {
        "filter": found, "table": configure(request, InvoiceTable(invoices))})
