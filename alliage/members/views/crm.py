"""Staff CRM: organisation list, segments, organisation page with its timeline."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.billing import services as billing
from alliage.billing.models import Invoice
from alliage.billing.providers import ProviderError, get_provider
from alliage.core import confirm
from alliage.core.exports import csv_separator
from alliage.core.http import int_param, posted, uploaded
from alliage.core.roles import staff_required
from alliage.core.tables import configure
from alliage.members import engagement, services
from alliage.members.exports import at_risk_response, organisations_response
from alliage.members.forms import (
    CrmFilterForm,
    DecisionForm,
    NoteForm,
    OverrideForm,
    PaymentForm,
    StaffOrganisationForm,
)
from alliage.members.models import Affiliation, Membership, MemberStatus, Organisation, Segment
from alliage.members.selectors import crm_queryset
from alliage.members.tables import OrganisationTable, with_sort_names
from alliage.members.timeline import timeline_for


@staff_required
def crm_list(request):
    params = request.GET.copy()
    segment = None
    if params.get("segment", "").strip():
        seg_id = int_param(params, "segment")
        segment = Segment.objects.filter(pk=seg_id).first() if seg_id else None
        if segment:
            params = segment.query | {k: v for k, v in params.items() if k not in
                                      ("segment", "page")}
        else:
            # A hand-typed or stale id: say so and list without it.
            params.pop("segment")
            messages.error(request, _("This segment does not exist."))
    qs, form = crm_queryset(params)
    if fmt := request.GET.get("export"):
        return organisations_response(qs, fmt, name=segment.name if segment else "organisations",
                                      separator=csv_separator(request))
    table = configure(request, OrganisationTable(with_sort_names(qs)))
    clean = request.GET.copy()
    for key in ("page", "sort"):
        clean.pop(key, None)
    return render(request, "members/crm_list.html", {
        "form": form, "table": table, "segments": Segment.objects.all(), "segment": segment,
        "querystring": clean.urlencode(), "total": table.paginator.count,
        "pending": Membership.objects.filter(status=Membership.Status.APPLIED).count(),
    })


@staff_required
@require_POST
def segment_save(request):
    name = request.POST.get("name", "").strip()
    if not name:
        messages.error(request, _("Give the segment a name."))
        return redirect("members:crm_list")
    query = {k: v for k, v in request.POST.items()
             if k in CrmFilterForm.base_fields and v}
    segment = Segment.objects.create(name=name[:120], query=query, created_by=request.user)
    messages.success(request, _("Segment “%(name)s” saved.") % {"name": segment.name})
    return redirect(f"{reverse('members:crm_list')}?segment={segment.pk}")


@staff_required
def crm_applications(request):
    to_review = Affiliation.objects.filter(organisation=OuterRef("organisation"),
                                           ended_on__isnull=True,
                                           contact__possible_duplicate_of__isnull=False)
    pending = Membership.objects.filter(status=Membership.Status.APPLIED).select_related(
        "organisation", "membership_type").annotate(to_review=Exists(to_review))
    return render(request, "members/crm_applications.html", {"pending": pending})


@staff_required
def crm_detail(request, pk):
    org = get_object_or_404(Organisation.objects.select_related(
        "municipality", "park", "primary_sector"), pk=pk)
    memberships = org.memberships.select_related("membership_type", "invoice")
    # Approved but not paid yet: say so, not "Applied" (issue #14, item 4).
    badge = org.get_member_status_display()
    if org.member_status == MemberStatus.APPLIED and memberships.filter(
            status__in=[Membership.Status.APPROVED, Membership.Status.INVOICED]).exists():
        badge = _("Approved, awaiting payment")
    return render(request, "members/crm_detail.html", {
        "org": org, "memberships": memberships, "badge": badge,
        "affiliations": org.affiliations.select_related(
            "contact__possible_duplicate_of").order_by("ended_on", "contact__last_name"),
        "invoices": org.invoices.issued().annotate(n_payments=Count("payments")).for_listing(),
        "timeline": timeline_for(org), "note_form": NoteForm(),
        "engagement": engagement.score(org), "risk": engagement.renewal_risk(org),
        "decision_form": DecisionForm(), "override_form": OverrideForm(),
        "payment_form": PaymentForm(), "online_payments": get_provider().online,
        "followups": org.notes.filter(due_on__isnull=False, done_at__isnull=True),
    })


@staff_required
def crm_edit(request, pk=None):
    org = get_object_or_404(Organisation, pk=pk) if pk else Organisation()
    form = StaffOrganisationForm(posted(request), uploaded(request), instance=org)
    if request.method == "POST" and form.is_valid():
        org = services.organisation_save(form=form, actor=request.user, request=request)
        messages.success(request, _("The organisation was saved."))
        return redirect("members:crm_detail", pk=org.pk)
    return render(request, "members/crm_edit.html", {"org": org, "form": form})


@staff_required
@require_POST
def note_add(request, pk):
    org = get_object_or_404(Organisation, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_add(organisation=org, author=request.user, assigned_to=request.user,
                          **form.cleaned_data)
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("The note could not be added: %(errors)s")
                       % {"errors": " ".join(e for errs in form.errors.values() for e in errs)})
    return redirect("members:crm_detail", pk=org.pk)


@staff_required
@require_POST
def note_done(request, pk, note_id):
    org = get_object_or_404(Organisation, pk=pk)
    from django.utils import timezone

    org.notes.filter(pk=note_id, done_at__isnull=True).update(done_at=timezone.now())
    return redirect("members:crm_detail", pk=org.pk)


@staff_required
@require_POST
def applicant_resolve(request, pk, contact_id):
    """Staff decide whether an applicant using a known email is that known person."""
    org = get_object_or_404(Organisation, pk=pk)
    contact = get_object_or_404(services.applicants_to_review(org), pk=contact_id)
    decision = request.POST.get("decision")
    if decision not in ("attach", "keep"):
        messages.error(request, _("Choose: the same person, or a new person."))
        return redirect("members:crm_detail", pk=org.pk)
    try:
        services.applicant_resolve(contact=contact, attach=decision == "attach",
                                   actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("members:crm_detail", pk=org.pk)


def _membership(pk, membership_id):
    return get_object_or_404(Membership.objects.select_related("organisation"),
                             pk=membership_id, organisation_id=pk)


@staff_required
@require_POST
def membership_decide(request, pk, membership_id):
    membership = _membership(pk, membership_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or refuse."))
        return redirect("members:crm_detail", pk=pk)
    if form.cleaned_data["decision"] != "approve" and (asked := confirm.ask(
            request, _("Refuse the application of %(name)s? The applicant will be told.")
            % {"name": membership.organisation})):
        return asked
    try:
        if form.cleaned_data["decision"] == "approve":
            services.membership_approve(membership=membership, actor=request.user,
                                        message=form.cleaned_data["message"])
            messages.success(request, _("Application approved; the invoice was sent."))
        else:
            services.membership_refuse(membership=membership, actor=request.user,
                                       message=form.cleaned_data["message"])
            messages.success(request, _("Application refused; the applicant was told."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("members:crm_detail", pk=pk)


@staff_required
@require_POST
def membership_override(request, pk, membership_id):
    membership = _membership(pk, membership_id)
    form = OverrideForm(request.POST)
    if form.is_valid():
        services.membership_override(membership=membership, actor=request.user,
                                     **form.cleaned_data)
        messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("A manual status needs a reason."))
    return redirect("members:crm_detail", pk=pk)


@staff_required
@require_POST
def payment_add(request, pk, invoice_id):
    invoice = get_object_or_404(Invoice, pk=invoice_id, organisation_id=pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            billing.payment_record(invoice=invoice, amount_cents=d["amount"], method=d["method"],
                                   received_on=d["received_on"], reference=d["reference"],
                                   actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Payment recorded."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("members:crm_detail", pk=pk)


@staff_required
@require_POST
def credit_note_add(request, pk, invoice_id):
    invoice = get_object_or_404(Invoice, pk=invoice_id, organisation_id=pk)
    if asked := confirm.ask(request, _("Issue this credit note? It cannot be undone.")):
        return asked
    try:
        billing.credit_note_create(invoice=invoice, reason=request.POST.get("reason", ""),
                                   actor=request.user, refund=request.POST.get("refund") == "on")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except ProviderError:
        messages.error(request, _("The payment provider refused the refund; nothing was "
                                  "credited. Try again later or credit without refund."))
    else:
        messages.success(request, _("Credit note issued."))
    return redirect("members:crm_detail", pk=pk)


@staff_required
def at_risk(request):
    """Members at risk of not renewing, with the reasons and their engagement score."""
    rows = engagement.at_risk()
    if fmt := request.GET.get("export"):
        return at_risk_response(rows, fmt, separator=csv_separator(request))
    return render(request, "members/at_risk.html", {"rows": rows})
