"""Staff pages: programs and their uptake, the provider's figures, group purchases and
their consolidated order, pooled resources and monthly invoices, collection rounds."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from alliage.advantages import collection, pooling, purchasing, selectors, services
from alliage.advantages.forms import (
    AdvantageForm,
    GroupPurchaseForm,
    ResourceForm,
    RoundPlanForm,
    UsageReportForm,
    price_tier_formset,
    volume_tier_formset,
)
from alliage.advantages.models import (
    Advantage,
    CollectionRound,
    CollectionSubscription,
    GroupPurchase,
    Material,
    PledgeChange,
    SharedResource,
)
from alliage.core import confirm, exports
from alliage.core.http import int_param, posted, uploaded
from alliage.core.money import parse_cents
from alliage.core.roles import staff_required


def _errors(exc):
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


@staff_required
def programs(request):
    rows, discounts = selectors.uptake()
    return render(request, "advantages/staff_programs.html", {"rows": rows,
                                                              "discounts": discounts})


@staff_required
def program_edit(request, slug=None):
    advantage = get_object_or_404(Advantage, slug=slug) if slug else None
    form = AdvantageForm(posted(request), uploaded(request), instance=advantage)
    tiers = price_tier_formset()(posted(request), instance=advantage or Advantage(),
                                 prefix="tiers")
    usage = UsageReportForm(initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid() and tiers.is_valid():
        saved = services.advantage_save(form=form, tiers=tiers, actor=request.user)
        messages.success(request, _("Advantage saved."))
        return redirect("advantages:staff_program", saved.slug)
    return render(request, "advantages/staff_program.html", {
        "advantage": advantage, "form": form, "tiers": tiers, "usage": usage,
        "reports": advantage.usage_reports.all() if advantage else [],
        "enrolments": advantage.enrolments.select_related("organisation", "invoice")
        .order_by("-period_start")[:200] if advantage else []},
        status=400 if request.method == "POST" else 200)


@staff_required
@require_POST
def usage_report(request, slug):
    advantage = get_object_or_404(Advantage, slug=slug)
    form = UsageReportForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        services.usage_report_save(advantage=advantage, year=d["year"], quarter=d["quarter"],
                                   sessions=d["sessions"], hours=d["hours"] or 0,
                                   actor=request.user)
        messages.success(request, _("The provider's figures are saved."))
    else:
        messages.error(request, _("Check the figures: %(errors)s") % {
            "errors": " ".join(str(e) for errs in form.errors.values() for e in errs)})
    return redirect("advantages:staff_program", advantage.slug)


# --- Group purchases -----------------------------------------------------------------------

@staff_required
def purchases(request):
    items = GroupPurchase.objects.all().prefetch_related("pledges")
    return render(request, "advantages/staff_purchases.html", {"purchases": items})


@staff_required
def purchase_edit(request, slug=None):
    item = get_object_or_404(GroupPurchase, slug=slug) if slug else None
    form = GroupPurchaseForm(posted(request), instance=item)
    tiers = volume_tier_formset()(posted(request), instance=item or GroupPurchase(),
                                  prefix="tiers")
    if request.method == "POST" and form.is_valid() and tiers.is_valid():
        saved = services.purchase_save(form=form, tiers=tiers, actor=request.user)
        messages.success(request, _("Group purchase saved."))
        return redirect("advantages:staff_purchase", saved.slug)
    ctx = {"purchase": item, "form": form, "tiers": tiers}
    if item is not None:
        ctx.update(rows=purchasing.order_rows(item), progress=purchasing.progress(item),
                   history=PledgeChange.objects.filter(pledge__purchase=item)
                   .select_related("pledge__organisation", "changed_by")[:100])
    return render(request, "advantages/staff_purchase.html", ctx,
                  status=400 if request.method == "POST" else 200)


def _order_columns(purchase):
    price = purchase.final_unit_price_cents or purchasing.progress(purchase)["unit_price_cents"]
    return [
        exports.Column(gettext_lazy("Company"), lambda p: p.organisation.legal_name),
        exports.Column(gettext_lazy("Address"), lambda p: p.organisation.street),
        exports.Column(gettext_lazy("Municipality"), lambda p: p.organisation.municipality.name
                       if p.organisation.municipality_id else ""),
        exports.Column(gettext_lazy("Postal code"), lambda p: p.organisation.postal_code),
        exports.Column(gettext_lazy("Quantity"), lambda p: p.quantity),
        exports.Column(gettext_lazy("Unit"), lambda p: purchase.unit),
        exports.Column(gettext_lazy("Unit price"), lambda p: (p.unit_price_cents or price) / 100,
                       money=True),
        exports.Column(gettext_lazy("Amount"),
                       lambda p: (p.unit_price_cents or price) * p.quantity / 100, money=True),
    ]


@staff_required
def purchase_export(request, slug, fmt):
    item = get_object_or_404(GroupPurchase, slug=slug)
    return exports.export_response(purchasing.order_rows(item), _order_columns(item), fmt,
                                   name=_("order %(supplier)s") % {"supplier": item.supplier},
                                   sheet=_("Order"), separator=exports.csv_separator(request))


# --- Pooled resources ----------------------------------------------------------------------

@staff_required
def resources(request):
    form = ResourceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        item = services.resource_save(form=form, actor=request.user)
        messages.success(request, _("Resource saved."))
        return redirect("advantages:staff_resource", item.pk)
    return render(request, "advantages/staff_resources.html", {
        "resources": SharedResource.objects.select_related("owner"), "form": form},
        status=400 if request.method == "POST" else 200)


@staff_required
def resource_edit(request, pk):
    item = get_object_or_404(SharedResource, pk=pk)
    form = ResourceForm(posted(request), instance=item)
    if request.method == "POST" and form.is_valid():
        services.resource_save(form=form, actor=request.user)
        messages.success(request, _("Resource saved."))
        return redirect("advantages:staff_resource", item.pk)
    today = timezone.localdate()
    year = int_param(request.GET, "year", default=today.year, minimum=2000, maximum=2100)
    month = int_param(request.GET, "month", default=today.month, minimum=1, maximum=12)
    from alliage.members.models import Organisation

    split = pooling.month_split(item, year, month)
    names = dict(Organisation.objects.filter(pk__in=split).values_list("pk", "legal_name"))
    return render(request, "advantages/staff_resource.html", {
        "resource": item, "form": form, "year": year, "month": month,
        "split": [{"organisation": names[k], "hours": round(h, 1), "cents": c}
                  for k, (h, c) in sorted(split.items(), key=lambda kv: names[kv[0]])],
        "bookings": item.bookings.select_related("organisation").order_by("-starts_at")[:100]},
        status=400 if request.method == "POST" else 200)


@staff_required
@require_POST
def resource_bill(request, pk):
    item = get_object_or_404(SharedResource, pk=pk)
    year = int_param(request.POST, "year", minimum=2000, maximum=2100)
    month = int_param(request.POST, "month", minimum=1, maximum=12)
    if year is None or month is None:
        messages.error(request, _("Choose a month."))
        return redirect("advantages:staff_resource", item.pk)
    if answer := confirm.ask(request, _("Issue the invoices of %(resource)s for "
                                        "%(year)s-%(month)02d?") % {
            "resource": item.name, "year": year, "month": month}):
        return answer
    try:
        made = pooling.bill_month(resource=item, year=year, month=month, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, ngettext("%(n)s invoice issued.", "%(n)s invoices issued.",
                                           len(made)) % {"n": len(made)} if made
                         else _("Nothing to invoice (or already invoiced)."))
    return redirect(f"{reverse('advantages:staff_resource', args=[item.pk])}?year={year}"
                    f"&month={month}")


# --- Collection ------------------------------------------------------------------------------

@staff_required
def collection_overview(request):
    material = request.GET.get("material") or request.POST.get("material") or \
        Material.CARDBOARD
    if material not in Material.values:
        material = Material.CARDBOARD
    form = RoundPlanForm(posted(request), material=material)
    if request.method == "POST" and form.is_valid():
        # The entry order: the order the companies joined the collection.
        subs = sorted(form.cleaned_data["subscriptions"], key=lambda s: (s.joined_at, s.pk))
        try:
            rnd = collection.round_plan(date=form.cleaned_data["date"], material=material,
                                        subscriptions=subs, actor=request.user,
                                        collector=form.cleaned_data["collector"])
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Round planned."))
            return redirect("advantages:staff_round", rnd.pk)
    tonnes = selectors.tonnes_by_company()
    subs = (CollectionSubscription.objects.filter(is_active=True)
            .select_related("organisation").order_by("organisation__legal_name", "material"))
    return render(request, "advantages/staff_collection.html", {
        "material": material, "materials": Material.choices, "form": form,
        "subscriptions": [(s, tonnes.get(s.organisation_id, 0)) for s in subs],
        "rounds": CollectionRound.objects.all()[:50]},
        status=400 if request.method == "POST" else 200)


@staff_required
def round_detail(request, pk):
    rnd = get_object_or_404(CollectionRound, pk=pk)
    stops = list(rnd.stops.select_related("organisation__municipality").order_by("position"))
    if request.method == "POST":
        weights, bad = {}, []
        for stop in stops:
            raw = (request.POST.get(f"kg-{stop.pk}") or "").strip()
            if not raw:
                weights[stop.pk] = None
                continue
            try:
                weights[stop.pk] = Decimal(parse_cents(raw)) / 100
            except ValueError:
                bad.append(stop.organisation.display_name)
        if bad:
            messages.error(request, _("Type a weight in kilograms (e.g. 125,5) for: %(names)s.")
                           % {"names": ", ".join(bad)})
        else:
            try:
                collection.weights_record(round=rnd, weights=weights, actor=request.user)
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("Weights recorded."))
                return redirect("advantages:staff_round", rnd.pk)
    return render(request, "advantages/staff_round.html", {"round": rnd, "stops": stops})
