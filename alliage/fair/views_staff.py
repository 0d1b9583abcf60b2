"""The organiser's pages: fairs, booths, the central scheduling and no-shows."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliage.core import confirm
from alliage.core.exports import Column, csv_separator, export_response
from alliage.core.http import int_param, posted
from alliage.core.money import parse_cents
from alliage.core.roles import staff_required
from alliage.fair import scheduling, services, stats
from alliage.fair.forms import FairForm
from alliage.fair.models import Fair, Meeting
from alliage.members.models import Organisation


def _organisation(participant):
    return participant.organisation.display_name if participant.organisation_id else ""


SCHEDULE_COLUMNS = [
    Column(gettext_lazy("Time"), lambda row: row["starts"]),
    Column(gettext_lazy("Table"), lambda row: row["meeting"].table),
    Column(gettext_lazy("Requested by"),
           lambda row: row["meeting"].request.requester.contact.full_name),
    Column(gettext_lazy("Organisation of the requester"),
           lambda row: _organisation(row["meeting"].request.requester)),
    Column(gettext_lazy("With"), lambda row: row["meeting"].request.recipient.contact.full_name),
    Column(gettext_lazy("Organisation met"),
           lambda row: _organisation(row["meeting"].request.recipient)),
    Column(gettext_lazy("Reason"), lambda row: row["meeting"].request.reason),
    Column(gettext_lazy("No-show"), lambda row: row["meeting"].no_show),
]


@staff_required
def staff_list(request):
    fairs = Fair.objects.all()
    return render(request, "fair/staff_list.html", {"fairs": fairs})


@staff_required
def fair_edit(request, slug=None):
    fair = get_object_or_404(Fair, slug=slug) if slug else Fair()
    form = FairForm(posted(request), instance=fair)
    if request.method == "POST" and form.is_valid():
        try:
            fair = services.fair_save(fair=form.instance, pavilions=form.pavilion_names(),
                                      actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Fair saved."))
            return redirect("fair:staff_fair", fair.slug)
    return render(request, "fair/staff_edit.html", {"form": form, "fair": fair})


@staff_required
def staff_fair(request, slug):
    fair = get_object_or_404(Fair, slug=slug)
    meetings = (Meeting.objects.filter(fair=fair)
                .select_related("request__requester__contact", "request__recipient__contact",
                                "request__requester__organisation",
                                "request__recipient__organisation")
                .order_by("slot", "table"))
    slots = {i: (start, end) for i, start, end in fair.slots()}
    grid = [{"meeting": m, "starts": slots.get(m.slot, (None, None))[0]} for m in meetings]
    if fmt := request.GET.get("export"):
        return export_response(grid, SCHEDULE_COLUMNS, fmt, name=_("meetings"),
                               separator=csv_separator(request))
    return render(request, "fair/staff_fair.html", {
        "fair": fair, "figures": stats.for_fair(fair), "grid": grid,
        "runs": fair.schedule_runs.all()[:5],
        "booths": fair.booths.select_related("organisation", "pavilion", "invoice"),
        "pavilions": fair.pavilions.all(),
        "organisations": Organisation.objects.exclude(booths__fair=fair).order_by(
            "legal_name")[:500]})


@staff_required
@require_POST
def booth_create(request, slug):
    fair = get_object_or_404(Fair, slug=slug)
    organisation = Organisation.objects.filter(pk=int_param(request.POST, "organisation")) \
        .first()
    pav = fair.pavilions.filter(pk=int_param(request.POST, "pavilion")).first()
    if organisation is None or pav is None:
        messages.error(request, _("Choose a company and a pavilion."))
        return redirect("fair:staff_fair", fair.slug)
    try:
        services.booth_create(fair=fair, pavilion=pav, organisation=organisation,
                              actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Booth created: the company's administrators can now "
                                    "fill it in."))
    return redirect("fair:staff_fair", fair.slug)


@staff_required
@require_POST
def schedule(request, slug):
    fair = get_object_or_404(Fair, slug=slug)
    if asked := confirm.ask(request, _("Place the accepted meetings now? The current schedule "
                                       "is replaced."), danger=False):
        return asked
    try:
        scheduling.schedule_enqueue(fair=fair, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Scheduling started: the agenda is ready in a few "
                                    "seconds."))
    return redirect("fair:staff_fair", fair.slug)


@staff_required
@require_POST
def no_show(request, slug, pk):
    fair = get_object_or_404(Fair, slug=slug)
    meeting = get_object_or_404(Meeting, fair=fair, pk=pk)
    services.meeting_no_show(meeting=meeting, no_show=request.POST.get("no_show") == "1",
                             actor=request.user)
    messages.success(request, _("Meeting updated."))
    return redirect("fair:staff_fair", fair.slug)


@staff_required
@require_POST
def booth_bill(request, slug, pk):
    fair = get_object_or_404(Fair, slug=slug)
    booth = get_object_or_404(fair.booths.select_related("organisation"), pk=pk)
    try:
        price = parse_cents(request.POST.get("price", ""))
        if price is None or price <= 0:       # said before the confirmation, not after it
            raise ValueError
    except ValueError:
        messages.error(request, _("Give the rental price, e.g. 450,00."))
        return redirect("fair:staff_fair", fair.slug)
    if asked := confirm.ask(request, _("Bill the booth rental to %(company)s? The invoice is "
                                       "issued and cannot be changed.")
                            % {"company": booth.organisation.legal_name}):
        return asked
    try:
        services.booth_invoice(booth=booth, price_cents=price, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Invoice issued."))
    return redirect("fair:staff_fair", fair.slug)
