"""Support services' pages: the funding catalogue (public), a company's projects and cases
(its people), the staff's cases, programs and strategic plan (board reads the plan)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.core import confirm
from alliage.core.http import int_param
from alliage.core.roles import Role, is_staff, roles_of, staff_required
from alliage.support import charts, documents, indicators, selectors, services
from alliage.support.forms import (
    CaseCloseForm,
    CaseDocumentForm,
    CaseNoteForm,
    CaseRequestForm,
    CaseUpdateForm,
    IndicatorForm,
    ProgramForm,
    ProjectForm,
    ReadingForm,
)
from alliage.support.models import (
    CaseDocument,
    FundingLevel,
    FundingProgram,
    Indicator,
    Objective,
    Project,
    SupportCase,
    Theme,
)

# --- Public catalogue -------------------------------------------------------------------

def catalogue(request):
    theme = request.GET.get("theme", "")
    level = request.GET.get("level", "")
    programs = FundingProgram.objects.offered().prefetch_related("regions")
    if theme in Theme.values:
        programs = [p for p in programs if theme in p.themes]
    else:
        theme = ""
    if level in FundingLevel.values:
        programs = [p for p in programs if p.level == level]
    else:
        level = ""
    return render(request, "support/catalogue.html", {
        "programs": programs, "themes": Theme.choices, "levels": FundingLevel.choices,
        "theme": theme, "level": level,
        "my_orgs": list(selectors.my_organisations(request.user)[:5])
        if request.user.is_authenticated and not is_staff(request.user) else []})


def program_detail(request, pk):
    program = get_object_or_404(FundingProgram.objects.prefetch_related("sectors", "regions"),
                                pk=pk)
    if not program.is_active and not is_staff(request.user):
        raise Http404
    return render(request, "support/program.html", {"program": program})


# --- A company's projects and cases ------------------------------------------------------

def _company(request, pk):
    return get_object_or_404(selectors.my_organisations(request.user), pk=pk)


@login_required
def my_support(request, pk):
    org = _company(request, pk)
    return render(request, "support/my_support.html", {
        "org": org, "tab": "support", **selectors.company_support(org)})


@login_required
def project_create(request, pk):
    org = _company(request, pk)
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = services.project_create(organisation=org, actor=request.user,
                                          request=request, **form.cleaned_for_service())
        return redirect("support:project", pk=org.pk, project=project.pk)
    return render(request, "support/project_form.html", {"org": org, "form": form,
                                                          "tab": "support"})


@login_required
def project_detail(request, pk, project):
    org = _company(request, pk)
    project = get_object_or_404(Project, pk=project, organisation=org)
    assessments = selectors.programs_for(project)
    return render(request, "support/project.html", {
        "org": org, "project": project, "tab": "support",
        "eligible": [a for a in assessments if a.eligible],
        "others": [a for a in assessments if not a.eligible],
        "asked": set(project.cases.values_list("program_id", flat=True))})


@login_required
@require_POST
def project_ask_help(request, pk, project):
    org = _company(request, pk)
    project = get_object_or_404(Project, pk=project, organisation=org)
    program_id = int_param(request.POST, "program")
    program = get_object_or_404(FundingProgram, pk=program_id or 0, is_active=True)
    case, created = services.ask_help_with_program(project=project, program=program,
                                                   actor=request.user, request=request)
    if created:
        messages.success(request, _("Your request is sent: the association will contact you "
                                    "within five working days."))
    else:
        messages.info(request, _("You already asked for help with this program."))
    return redirect("support:my_case", pk=org.pk, case=case.pk)


@login_required
def case_request(request, pk):
    org = _company(request, pk)
    form = CaseRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = services.case_request(organisation=org, actor=request.user, request=request,
                                     **form.cleaned_data)
        messages.success(request, _("Your request is sent: the association will contact you "
                                    "within five working days."))
        return redirect("support:my_case", pk=org.pk, case=case.pk)
    return render(request, "support/case_request.html", {"org": org, "form": form,
                                                          "tab": "support"})


@login_required
def my_case(request, pk, case):
    org = _company(request, pk)
    case = get_object_or_404(SupportCase.objects.select_related("program", "project"),
                             pk=case, organisation=org)
    return render(request, "support/my_case.html", {
        "org": org, "case": case, "notes": selectors.member_case(case), "tab": "support",
        "documents": selectors.member_documents(case), "document_form": CaseDocumentForm()})


def _member_case(request, pk, case):
    org = _company(request, pk)
    return org, get_object_or_404(SupportCase, pk=case, organisation=org)


def _attach(request, case, *, from_member, form):
    """Shared by the member's and staff's upload: the form, then the service's checks."""
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return
    try:
        documents.case_document_add(
            case=case, actor=request.user, upload=form.cleaned_data["file"],
            from_member=from_member,
            shared_with_member=form.cleaned_data.get("shared_with_member", True),
            request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return
    messages.success(request, _("Document added."))


@login_required
@require_POST
def my_case_document_add(request, pk, case):
    org, case = _member_case(request, pk, case)
    _attach(request, case, from_member=True,
            form=CaseDocumentForm(request.POST, request.FILES))
    return redirect("support:my_case", pk=org.pk, case=case.pk)


@login_required
def my_case_document(request, pk, case, doc):
    _org, case = _member_case(request, pk, case)
    document = get_object_or_404(selectors.member_documents(case), pk=doc)
    return documents.document_response(document)


# --- Staff: cases ----------------------------------------------------------------------

@staff_required
def staff_cases(request):
    status = request.GET.get("status", "open")
    if status not in ("open", "closed", "all"):
        status = "open"
    mine = request.GET.get("mine") == "1"
    today = timezone.localdate()
    cases = selectors.staff_cases(mine_of=request.user if mine else None, status=status,
                                  today=today)
    return render(request, "support/staff_cases.html", {
        "cases": cases, "status": status, "mine": mine, "today": today})


@staff_required
def staff_case(request, pk):
    case = get_object_or_404(selectors.staff_case(pk), pk=pk)
    update = CaseUpdateForm(initial={"owner": case.owner_id, "status": case.status,
                                     "due_on": case.due_on})
    return render(request, "support/staff_case.html", {
        "case": case, "update_form": update, "note_form": CaseNoteForm(),
        "document_form": CaseDocumentForm(staff=True),
        "close_form": CaseCloseForm(), "today": timezone.localdate()})


def _case_post(request, pk, handler):
    case = get_object_or_404(SupportCase, pk=pk)
    try:
        result = handler(case)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("support:staff_case", pk=case.pk)
    return result or redirect("support:staff_case", pk=case.pk)


@staff_required
@require_POST
def staff_case_update(request, pk):
    def handler(case):
        form = CaseUpdateForm(request.POST)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.case_update(case=case, actor=request.user, changes=form.cleaned_data,
                             request=request)
        messages.success(request, _("Case updated."))
    return _case_post(request, pk, handler)


@staff_required
@require_POST
def staff_case_note(request, pk):
    def handler(case):
        form = CaseNoteForm(request.POST)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.case_add_note(case=case, actor=request.user, request=request,
                               **form.cleaned_data)
        messages.success(request, _("Note added."))
    return _case_post(request, pk, handler)


@staff_required
@require_POST
def staff_case_close(request, pk):
    def handler(case):
        form = CaseCloseForm(request.POST)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        asked = confirm.ask(request, _("Close this case with its outcome? The figures of the "
                                       "yearly report count it."), danger=False)
        if asked:
            return asked
        services.case_close(case=case, actor=request.user, outcome=form.cleaned_data["outcome"],
                            amount_cents=form.cleaned_data["amount"] or None,
                            note=form.cleaned_data["note"], request=request)
        messages.success(request, _("Case closed."))
    return _case_post(request, pk, handler)


@staff_required
@require_POST
def staff_case_reopen(request, pk):
    def handler(case):
        services.case_reopen(case=case, actor=request.user, request=request)
        messages.success(request, _("Case reopened."))
    return _case_post(request, pk, handler)


@staff_required
@require_POST
def staff_case_document_add(request, pk):
    case = get_object_or_404(SupportCase, pk=pk)
    _attach(request, case, from_member=False,
            form=CaseDocumentForm(request.POST, request.FILES, staff=True))
    return redirect("support:staff_case", pk=case.pk)


@staff_required
def staff_case_document(request, pk, doc):
    document = get_object_or_404(CaseDocument, pk=doc, case_id=pk)
    return documents.document_response(document)


@staff_required
@require_POST
def staff_case_document_remove(request, pk, doc):
    document = get_object_or_404(CaseDocument, pk=doc, case_id=pk)
    asked = confirm.ask(request, _("Remove this document? The file is deleted."))
    if asked:
        return asked
    documents.case_document_remove(document=document, actor=request.user, request=request)
    messages.success(request, _("Document removed."))
    return redirect("support:staff_case", pk=pk)


# --- Staff: funding programs --------------------------------------------------------------

@staff_required
def staff_programs(request):
    return render(request, "support/staff_programs.html", {
        "programs": FundingProgram.objects.order_by("-is_active", "closes_on", "name_fr"),
        "to_review": services.programs_needing_review()})


@staff_required
def staff_program_edit(request, pk=None):
    program = get_object_or_404(FundingProgram, pk=pk) if pk else FundingProgram()
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        services.program_save(form=form, actor=request.user, request=request)
        messages.success(request, _("Program saved."))
        return redirect("support:staff_programs")
    return render(request, "support/staff_program_form.html", {"form": form,
                                                                "program": program})


# --- Strategic plan (staff edit, board reads) -------------------------------------------

def _plan_reader(user):
    return bool(roles_of(user) & {Role.STAFF, Role.BOARD})


@login_required
def plan(request):
    if not _plan_reader(request.user):
        raise PermissionDenied(_("The strategic plan's follow-up is for staff and the board."))
    current = selectors.current_plan()
    this_year = timezone.localdate().year
    if current:
        for axis in current.axes.all():
            for objective in axis.objectives.all():
                for ind in objective.indicators.all():
                    values = indicators.series(ind, this_year=this_year)
                    ind.row = {"values": values,
                                    "progress": indicators.progress(ind, values),
                                    "chart": charts.indicator_svg(ind, values),
                                    "source": indicators.SOURCES.get(ind.source)}
    return render(request, "support/plan.html", {
        "plan": current, "can_edit": is_staff(request.user),
        "indicator_form": IndicatorForm(), "reading_form": ReadingForm()})


@staff_required
@require_POST
def indicator_add(request, objective):
    objective = get_object_or_404(Objective, pk=objective)
    form = IndicatorForm(request.POST)
    if form.is_valid():
        services.indicator_create(form=form, objective=objective, actor=request.user,
                                  request=request)
        messages.success(request, _("Indicator added."))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("support:plan")


@staff_required
@require_POST
def reading_add(request, indicator):
    indicator = get_object_or_404(Indicator, pk=indicator)
    form = ReadingForm(request.POST)
    if form.is_valid():
        try:
            services.reading_save(indicator=indicator, actor=request.user, request=request,
                                  **form.cleaned_data)
            messages.success(request, _("Value saved."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("support:plan")
