"""Members' pages: the catalogue, programs (enrol, claim), group purchases (pledge, live
progress), pooled resources (book, decide), collection, and "Mes avantages"."""

import mimetypes
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.advantages import calendar, collection, pooling, purchasing, selectors, services
from alliage.advantages.forms import BookingForm, CollectionJoinForm, EnrolForm, PledgeForm
from alliage.advantages.models import (
    Advantage,
    Booking,
    CollectionSubscription,
    Enrolment,
    GroupPurchase,
    SharedResource,
)
from alliage.core import confirm
from alliage.core.http import int_param, posted
from alliage.core.roles import is_member, is_staff, member_admin_required, member_required
from alliage.members.models import Organisation


def _errors(exc):
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def _company(request):
    """The member company a member-company admin acts for (``organisation`` posted or in
    the query, among those they manage), or None."""
    managed = Organisation.objects.administered_by(request.user).members()
    chosen = int_param(request.POST or request.GET, "organisation")
    if chosen is not None:
        return managed.filter(pk=chosen).first()
    return selectors.acting_company(request.user)


def catalogue(request):
    member = is_member(request.user)
    return render(request, "advantages/catalogue.html", {
        "programs": Advantage.objects.active().filter(kind=Advantage.Kind.PROGRAM),
        "discounts": Advantage.objects.active().filter(kind=Advantage.Kind.DISCOUNT),
        "purchases": GroupPurchase.objects.visible().filter(
            status=GroupPurchase.Status.OPEN).order_by("deadline") if member else [],
        "resources": SharedResource.objects.filter(is_active=True).select_related("owner")
        if member else [],
        "visits": selectors.industrial_visits(request.user), "is_member": member,
        "company": selectors.acting_company(request.user)
        if request.user.is_authenticated else None})


def detail(request, slug):
    advantage = get_object_or_404(Advantage.objects.active(), slug=slug)
    company = selectors.acting_company(request.user) if request.user.is_authenticated \
        else None
    enrolment = None
    if company is not None:
        enrolment = Enrolment.objects.filter(
            advantage=advantage, organisation=company, status=Enrolment.Status.ACTIVE,
            period_end__gte=timezone.localdate()).first()
    claimed = None
    if advantage.kind == Advantage.Kind.DISCOUNT and request.user.is_authenticated:
        claimed = advantage.claims.filter(contact_id=request.user.contact_id).first() \
            if request.user.contact_id else None
    return render(request, "advantages/detail.html", {
        "advantage": advantage, "company": company, "enrolment": enrolment, "claimed": claimed,
        "form": EnrolForm(initial={"employees": company.employees if company else None}),
        "tiers": advantage.tiers.all(), "is_member": is_member(request.user)})


def document(request, slug):
    """An active advantage's document (PDF, Word or Excel, checked on upload): the media
    folder is not served for it, so the link works in every deployment."""
    advantage = get_object_or_404(Advantage.objects.active().exclude(document=""), slug=slug)
    name = advantage.document.name.rsplit("/", 1)[-1]
    try:
        handle = advantage.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=not name.lower().endswith(".pdf"), filename=name,
                        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")


@member_admin_required
@require_POST
def enrol(request, slug):
    advantage = get_object_or_404(Advantage.objects.active(), slug=slug,
                                  kind=Advantage.Kind.PROGRAM)
    company = _company(request)
    if company is None:
        raise Http404
    form = EnrolForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form.errors["employees"]))
        return redirect(advantage.get_absolute_url())
    try:
        enrolment = services.enrolment_create(advantage=advantage, organisation=company,
                                              employees=form.cleaned_data["employees"],
                                              actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
        return redirect(advantage.get_absolute_url())
    messages.success(request, _("Your company is enrolled; the invoice is in your company's "
                                "space.") if enrolment.invoice_id else _("Your company is "
                                                                          "enrolled."))
    return redirect("advantages:my_advantages", company.pk)


@member_required
@require_POST
def claim(request, slug):
    advantage = get_object_or_404(Advantage.objects.active(), slug=slug,
                                  kind=Advantage.Kind.DISCOUNT)
    company = selectors.member_company(request.user)
    if company is None:
        raise PermissionDenied(_("Only member companies in good standing may use it."))
    services.discount_claim(advantage=advantage, organisation=company,
                            contact=request.user.contact)
    messages.success(request, _("Here is your discount."))
    return redirect(advantage.get_absolute_url())


def _own_enrolment(request, pk):
    managed = Organisation.objects.all() if is_staff(request.user) else \
        Organisation.objects.administered_by(request.user)
    return get_object_or_404(Enrolment.objects.select_related("advantage", "organisation"),
                             pk=pk, organisation__in=managed)


@member_admin_required
@require_POST
def enrolment_renew(request, pk):
    enrolment = _own_enrolment(request, pk)
    try:
        services.enrolment_renew(enrolment=enrolment, actor=request.user,
                                 employees=int_param(request.POST, "employees", maximum=100_000))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Renewed for one more year; the invoice is in your "
                                    "company's space."))
    return redirect("advantages:my_advantages", enrolment.organisation_id)


@member_admin_required
@require_POST
def enrolment_cancel(request, pk):
    enrolment = _own_enrolment(request, pk)
    if answer := confirm.ask(request, _("Stop %(program)s at the end of the year paid? It "
                                        "will not be renewed.") % {
            "program": enrolment.advantage.name}):
        return answer
    services.enrolment_cancel(enrolment=enrolment, actor=request.user)
    messages.success(request, _("The enrolment will not be renewed."))
    return redirect("advantages:my_advantages", enrolment.organisation_id)


# --- Group purchases -----------------------------------------------------------------------

def _purchase_context(request, purchase, preview=None):
    company = _company(request) if request.user.is_authenticated else None
    pledge = purchase.pledges.filter(organisation=company).first() if company else None
    own = pledge.quantity if pledge else 0
    total = purchase.committed()
    ctx = {"purchase": purchase, "company": company, "pledge": pledge,
           "progress": purchasing.progress(purchase, own=own, total=total),
           "tiers": purchase.tiers.all(), "open": purchase.accepts_pledges(),
           "history": pledge.changes.select_related("changed_by")[:20] if pledge else []}
    if preview is not None and preview != own:
        ctx["preview"] = purchasing.progress(purchase, own=preview,
                                             total=total - own + preview)
        ctx["preview_quantity"] = preview
    return ctx


@member_required
def purchase(request, slug):
    item = get_object_or_404(GroupPurchase.objects.visible(), slug=slug)
    ctx = _purchase_context(request, item)
    ctx["form"] = PledgeForm(initial={"quantity": ctx["pledge"].quantity if ctx["pledge"]
                                      else None})
    return render(request, "advantages/purchase.html", ctx)


@member_required
def purchase_progress(request, slug):
    """The progress block alone (htmx, polled and on typing), with the typed quantity's
    preview; the same block the page shows."""
    item = get_object_or_404(GroupPurchase.objects.visible(), slug=slug)
    preview = int_param(request.GET, "quantity", minimum=0,
                        maximum=purchasing.MAX_QUANTITY)
    ctx = _purchase_context(request, item, preview=preview)
    if not request.htmx:
        return redirect(item.get_absolute_url())
    return render(request, "advantages/purchase.html#progress", ctx)


@member_admin_required
@require_POST
def pledge(request, slug):
    item = get_object_or_404(GroupPurchase.objects.visible(), slug=slug)
    company = _company(request)
    if company is None:
        raise Http404
    form = PledgeForm(request.POST)
    if form.is_valid():
        try:
            purchasing.pledge_set(purchase=item, organisation=company,
                                  quantity=form.cleaned_data["quantity"], actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Your pledge is recorded."))
            return redirect(item.get_absolute_url())
    ctx = _purchase_context(request, item)
    ctx["form"] = form
    return render(request, "advantages/purchase.html", ctx, status=400)


# --- Pooled resources ----------------------------------------------------------------------

@member_required
def resource(request, pk):
    """A resource's week calendar (?semaine=) and, for a member company's admin, the booking
    form (a free hour's link fills it in with ?debut=)."""
    item = get_object_or_404(SharedResource.objects.filter(is_active=True)
                             .select_related("owner"), pk=pk)
    company = _company(request)
    slot = calendar.slot_start(request.GET.get("debut")) if request.GET.get("debut") else None
    form = BookingForm(posted(request), initial={
        "starts_at": slot, "ends_at": slot + timedelta(hours=1)} if slot else None)
    if request.method == "POST":
        if company is None:
            raise PermissionDenied(_("This page is for the administrators of a member "
                                     "company."))
        if form.is_valid():
            try:
                pooling.booking_request(resource=item, organisation=company,
                                        starts_at=form.cleaned_data["starts_at"],
                                        ends_at=form.cleaned_data["ends_at"],
                                        note=form.cleaned_data["note"], actor=request.user)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("Booking requested: the owner will decide."))
                week = timezone.localtime(form.cleaned_data["starts_at"]).date()
                return redirect(f"{item.get_absolute_url()}?semaine={week.isoformat()}")
    asked = slot or (form.is_bound and getattr(form, "cleaned_data", {}).get("starts_at"))
    first = calendar.week_start(
        request.GET.get("semaine") or (asked and timezone.localtime(asked).date()))
    return render(request, "advantages/resource.html", {
        "resource": item, "form": form, "company": company,
        "may_decide": pooling.may_decide(request.user, item),
        "week": calendar.week_of(item, first=first), "today": timezone.localdate()},
        status=400 if request.method == "POST" else 200)


@login_required
def bookings_to_decide(request):
    resources = pooling.decidable_by(request.user)
    if not resources.exists():
        raise Http404
    return render(request, "advantages/bookings_to_decide.html", {
        "bookings": Booking.objects.filter(resource__in=resources,
                                           status=Booking.Status.PENDING)
        .select_related("resource", "organisation").order_by("starts_at")})


@login_required
@require_POST
def booking_decide(request, pk):
    booking = get_object_or_404(Booking.objects.filter(
        resource__in=pooling.decidable_by(request.user)).select_related(
        "resource", "organisation"), pk=pk)
    approve = request.POST.get("decision") == "approve"
    if not approve and (answer := confirm.ask(request, _(
            "Refuse the booking of %(company)s? The slot becomes free again.")
            % {"company": booking.organisation.display_name})):
        return answer
    try:
        pooling.booking_decide(booking=booking, actor=request.user, approve=approve)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("advantages:bookings_to_decide")


@member_admin_required
@require_POST
def booking_cancel(request, pk):
    managed = Organisation.objects.administered_by(request.user)
    booking = get_object_or_404(Booking.objects.select_related("resource"), pk=pk,
                                organisation__in=managed)
    if answer := confirm.ask(request, _("Cancel this booking of %(resource)s?")
                             % {"resource": booking.resource.name}):
        return answer
    try:
        pooling.booking_cancel(booking=booking, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Booking cancelled."))
    return redirect("advantages:my_advantages", booking.organisation_id)


# --- Collection ------------------------------------------------------------------------------

@member_admin_required
def collection_join(request):
    company = _company(request)
    if company is None:
        raise Http404
    form = CollectionJoinForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            collection.subscription_set(organisation=company,
                                        material=form.cleaned_data["material"],
                                        estimated_kg=form.cleaned_data["estimated_kg"],
                                        actor=request.user)
        except PermissionDenied as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Your collection is updated."))
            return redirect("advantages:collection")
    return render(request, "advantages/collection.html", {
        "form": form, "company": company,
        "subscriptions": CollectionSubscription.objects.filter(organisation=company,
                                                               is_active=True)})


# --- Mes avantages ---------------------------------------------------------------------------

@member_admin_required
def my_advantages(request, pk):
    managed = Organisation.objects.all() if is_staff(request.user) else \
        Organisation.objects.administered_by(request.user)
    org = get_object_or_404(managed, pk=pk)
    return render(request, "advantages/my_advantages.html", {
        "org": org, "tab": "advantages", **selectors.company_summary(org),
        "own": Organisation.objects.administered_by(request.user).members().filter(
            pk=org.pk).exists(),
        "catalogue_url": reverse("advantages:catalogue")})
