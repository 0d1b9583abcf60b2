"""Pages of a member-company administrator: their own organisation only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.billing.models import Invoice
from alliage.core import confirm, pdfwait, throttle
from alliage.core.http import posted, uploaded
from alliage.core.roles import member_admin_required
from alliage.members import services
from alliage.members.forms import ApplicationForm, OrganisationProfileForm
from alliage.members.models import Affiliation, Organisation
from alliage.members.selectors import managed_organisations


@member_admin_required
def my_organisations(request):
    orgs = list(Organisation.objects.administered_by(request.user))
    if len(orgs) == 1:
        return redirect("members:my_organisation", pk=orgs[0].pk)
    return render(request, "members/my_organisations.html", {"organisations": orgs})


@member_admin_required
def my_organisation(request, pk):
    org = get_object_or_404(
        managed_organisations(request.user).select_related("municipality", "park"), pk=pk)
    form = OrganisationProfileForm(posted(request), uploaded(request), instance=org)
    if request.method == "POST":
        if form.is_valid():
            services.organisation_save(form=form, actor=request.user, request=request)
            messages.success(request, _("The profile was saved."))
            return redirect("members:my_organisation", pk=org.pk)
        messages.error(request, _("Please correct the errors below."))
    return render(request, "members/my_organisation.html", {
        "org": org, "form": form, "tab": "profile"})


@member_admin_required
def my_colleagues(request, pk):
    org = get_object_or_404(managed_organisations(request.user), pk=pk)
    affiliations = org.affiliations.filter(ended_on__isnull=True).select_related("contact")
    return render(request, "members/my_colleagues.html", {
        "org": org, "affiliations": affiliations, "tab": "colleagues",
        "invitations": org.invitations.pending()})


@member_admin_required
@require_POST
def colleague_remove(request, pk, affiliation_id):
    org = get_object_or_404(managed_organisations(request.user), pk=pk)
    affiliation = get_object_or_404(Affiliation, pk=affiliation_id, organisation=org,
                                    ended_on__isnull=True)
    if asked := confirm.ask(request, _("Remove %(name)s from the company?")
                            % {"name": affiliation.contact}):
        return asked
    try:
        services.colleague_remove(affiliation=affiliation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s no longer belongs to the organisation.")
                         % {"name": affiliation.contact})
    return redirect("members:my_colleagues", pk=org.pk)


@member_admin_required
def my_sites(request, pk):
    """The company's plants and warehouses: where its residual materials are."""
    from alliage.members import services
    from alliage.members.forms import site_formset

    org = get_object_or_404(managed_organisations(request.user), pk=pk)
    formset = site_formset()(posted(request), instance=org, prefix="sites")
    if request.method == "POST":
        if formset.is_valid():
            services.sites_save(organisation=org, formset=formset, actor=request.user,
                                request=request)
            messages.success(request, _("The sites were saved."))
            return redirect("members:my_sites", pk=org.pk)
        messages.error(request, _("Please correct the errors below."))
    return render(request, "members/my_sites.html", {
        "org": org, "formset": formset, "tab": "sites"})


@member_admin_required
def my_billing(request, pk):
    org = get_object_or_404(managed_organisations(request.user), pk=pk)
    from alliage.billing.providers import get_provider

    return render(request, "members/my_billing.html", {
        "org": org, "tab": "billing", "can_renew": services.renewal_offer(org) is not None,
        "provider": get_provider(),
        "memberships": org.memberships.select_related("membership_type", "invoice"),
        "invoices": Invoice.objects.issued().filter(organisation=org).for_listing(),
    })


@login_required
def invoice_pdf(request, pk):
    """An issued invoice's PDF: its organisation's admins and staff only (404 otherwise)."""
    invoice = get_object_or_404(Invoice.objects.issued().filter(
        organisation__in=managed_organisations(request.user)), pk=pk)
    if not invoice.pdf:
        from alliage.billing.tasks import render_invoice_pdf

        return pdfwait.pending(request, title=invoice.number,
                               enqueue=lambda: render_invoice_pdf.enqueue(invoice.pk))
    if poll := pdfwait.ready(request):
        return poll
    try:
        handle = invoice.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, content_type="application/pdf",
                        filename=f"{invoice.number}.pdf")


def apply(request):
    form = ApplicationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        wait = throttle.attempt(request, "application", address=d["email"])
        if wait:
            throttle.refuse(form, wait)
            return throttle.mark(render(request, "members/apply.html", _apply_page(form)), wait)
        org_data = {k: d[k] for k in ("legal_name", "trade_name", "neq", "primary_sector",
                                      "employees", "street", "municipality", "park",
                                      "postal_code", "website")}
        contact_data = {"first_name": d["first_name"], "last_name": d["last_name"],
                        "email": d["email"], "phone": d["phone"],
                        "language": "en" if request.LANGUAGE_CODE.startswith("en") else "fr-ca"}
        try:
            services.membership_apply(organisation_data=org_data, contact_data=contact_data,
                                      membership_type=d["membership_type"],
                                      message=d["message"], title=d["title"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items() if hasattr(exc, "message_dict") \
                    else [(None, exc.messages)]:
                form.add_error(field if field in form.fields else None, errors)
        else:
            return render(request, "members/apply_done.html", {"email": d["email"]})
    return render(request, "members/apply.html", _apply_page(form))


def _apply_page(form):
    """The application page: the form, each membership type with its prices and what it
    includes, the fields grouped (issue #14, item 12)."""
    from alliage.members.offers import membership_offers

    return {"form": form, "offers": membership_offers(),
            "company_fields": ("legal_name", "trade_name", "neq", "primary_sector", "employees",
                               "website", "street", "municipality", "park", "postal_code"),
            "person_fields": ("first_name", "last_name", "title", "email", "phone")}


@member_admin_required
@require_POST
def my_renew(request, pk):
    org = get_object_or_404(managed_organisations(request.user), pk=pk)
    try:
        membership = services.membership_renew_now(organisation=org, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Renewal invoiced: %(number)s. The membership stays "
                                    "active once it is paid.")
                         % {"number": membership.invoice.number})
    return redirect("members:my_billing", pk=org.pk)
