"""Staff pages of the showcase: figures and requests for quotes, the association's own
points of sale (the rest-stop counter), any point of sale."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alliage.core.exports import Column, csv_separator, export_response
from alliage.core.http import posted
from alliage.core.roles import staff_required
from alliage.showcase import selectors, services, stats
from alliage.showcase.forms import PointOfSaleForm
from alliage.showcase.models import PointOfSale


@staff_required
def dashboard(request):
    today = timezone.localdate()
    start = today - timedelta(days=365)
    return render(request, "showcase/staff_dashboard.html", {
        "catalogue": stats.catalogue(), "figures": stats.requests(start, today),
        "searches": stats.searches(start, today), "start": start, "end": today,
        "requests": selectors.staff_requests()[:100]})


REQUEST_COLUMNS = [
    Column(_l("Sent"), lambda r: r.sent_at),
    Column(_l("Request"), lambda r: r.title),
    Column(_l("Buyer"), lambda r: r.buyer_company or r.buyer_name),
    Column(_l("Status"), lambda r: r.get_status_display()),
    Column(_l("Suppliers asked"), lambda r: r.n_asked),
    Column(_l("Answers"), lambda r: r.n_answered),
]


@staff_required
def requests_export(request, fmt):
    """The requests for quotes as CSV or XLSX (core.exports)."""
    return export_response(selectors.staff_requests()[:10000], REQUEST_COLUMNS,
                           fmt, name=_("requests-for-quotes"),
                           separator=csv_separator(request))


@staff_required
def points_of_sale(request, pk=None):
    item = get_object_or_404(PointOfSale, pk=pk) if pk else None
    form = PointOfSaleForm(posted(request), instance=item)
    if request.method == "POST" and form.is_valid():
        services.point_of_sale_save(form=form, organisation=item.organisation if item else None,
                                    actor=request.user, request=request)
        messages.success(request, _("The point of sale was saved."))
        return redirect("showcase:staff_points_of_sale")
    rows = PointOfSale.objects.select_related("organisation", "municipality") \
        .order_by("organisation__legal_name", "name")
    return render(request, "showcase/staff_points_of_sale.html", {
        "form": form, "item": item, "rows": rows})
