"""Support services' rules: projects, support cases, funding programs and the plan's figures.

Each write is atomic and leaves its audit entry. Member-side functions take the organisation
the caller may act for (views resolve it with ``selectors.my_organisations``).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.core import audit
from alliage.core.mail import queue_email
from alliage.support.models import (
    CaseKind,
    CaseNote,
    CaseStatus,
    FundingProgram,
    Outcome,
    Project,
    Reading,
    SupportCase,
)

FIRST_ANSWER_DAYS = 5      # a new case is due this many days after it is opened


@transaction.atomic
def project_create(*, organisation, actor, title, theme, description, budget_cents, starts_on,
                   request=None):
    project = Project.objects.create(organisation=organisation, title=title, theme=theme,
                                     description=description, budget_cents=budget_cents,
                                     starts_on=starts_on, created_by=actor)
    audit.record(actor=actor, action="support.project_created", obj=project, request=request)
    return project


def _staff_to_notify():
    return list(get_user_model().objects.filter(is_staff=True, is_active=True)
                .exclude(email="").values_list("email", flat=True))


@transaction.atomic
def case_request(*, organisation, actor, kind, subject, description, project=None,
                 program=None, request=None):
    """A member asks the association for help: a new case, due in a few days, staff told."""
    if project is not None and project.organisation_id != organisation.pk:
        raise ValidationError(_("This project belongs to another company."))
    contact = getattr(actor, "contact", None) if getattr(actor, "contact_id", None) else None
    case = SupportCase.objects.create(
        organisation=organisation, requested_by=contact, kind=kind, subject=subject,
        description=description, project=project, program=program,
        due_on=timezone.localdate() + timedelta(days=FIRST_ANSWER_DAYS))
    audit.record(actor=actor, action="support.case_opened", obj=case, request=request)
    context = {"case": case, "organisation": organisation.legal_name,
               "kind": case.get_kind_display()}

    def tell_staff():
        for address in _staff_to_notify():
            queue_email(key=f"support-case-{case.pk}-opened-{address}", to=address,
                        template="support_case_opened", context=context,
                        organisation=organisation)

    transaction.on_commit(tell_staff)
    return case


def ask_help_with_program(*, project, program, actor, request=None):
    """One click from a project's eligible program: a financing case naming both (once)."""
    existing = SupportCase.objects.open().filter(project=project, program=program).first()
    if existing:
        return existing, False
    case = case_request(
        organisation=project.organisation, actor=actor, kind=CaseKind.FINANCING,
        subject=_("Financing for “%(project)s” with %(program)s") % {
            "project": project.title, "program": program.name},
        description=project.description or project.title, project=project, program=program,
        request=request)
    return case, True


CASE_FIELDS = ["owner", "status", "due_on", "kind", "subject"]


@transaction.atomic
def case_update(*, case, actor, changes, request=None):
    """Staff change owner, status, due date... (closing goes through ``case_close``)."""
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case is closed; reopen it first."))
    if changes.get("status") == CaseStatus.CLOSED:
        raise ValidationError(_("Close a case with its outcome."))
    before = audit.snapshot(case, CASE_FIELDS)
    for name, value in changes.items():
        if name in CASE_FIELDS:
            setattr(case, name, value)
    case.save()
    diff = audit.diff(before, audit.snapshot(case, CASE_FIELDS))
    if diff:
        audit.record(actor=actor, action="support.case_updated", obj=case, changes=diff,
                     request=request)
    return case


@transaction.atomic
def case_add_note(*, case, actor, body, shared_with_member=False, request=None):
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write the note first."))
    note = CaseNote.objects.create(case=case, author=actor, body=body,
                                   shared_with_member=shared_with_member)
    audit.record(actor=actor, action="support.case_note", obj=case, request=request)
    return note


@transaction.atomic
def case_close(*, case, actor, outcome, amount_cents=None, note="", request=None):
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case is already closed."))
    if outcome not in Outcome.values or outcome == Outcome.NONE:
        raise ValidationError(_("Choose the outcome of the case."))
    if outcome == Outcome.FINANCING and not amount_cents:
        raise ValidationError(_("Give the amount of financing obtained."))
    if outcome != Outcome.FINANCING:
        amount_cents = None
    case.status, case.outcome = CaseStatus.CLOSED, outcome
    case.outcome_amount_cents, case.outcome_note = amount_cents, note
    case.closed_at = timezone.now()
    case.save()
    audit.record(actor=actor, action="support.case_closed", obj=case,
                 changes={"outcome": [None, outcome], "amount_cents": [None, amount_cents]},
                 request=request)
    return case


@transaction.atomic
def case_reopen(*, case, actor, request=None):
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.CLOSED:
        return case
    case.status, case.closed_at, case.outcome = CaseStatus.IN_PROGRESS, None, Outcome.NONE
    case.outcome_amount_cents = None
    case.save()
    audit.record(actor=actor, action="support.case_reopened", obj=case, request=request)
    return case


@transaction.atomic
def program_save(*, form, actor, request=None):
    """Create or edit a funding program from its form; the check date becomes today."""
    creating = form.instance.pk is None
    before = {} if creating else audit.snapshot(FundingProgram.objects.get(pk=form.instance.pk))
    program = form.save(commit=False)
    program.reviewed_on = timezone.localdate()
    program.save()
    form.save_m2m()
    audit.record(actor=actor, action="support.program_created" if creating
                 else "support.program_updated", obj=program,
                 changes=audit.diff(before, audit.snapshot(program)) if not creating else None,
                 request=request)
    return program


REVIEW_AFTER_DAYS = 180
DEADLINE_WARNING_DAYS = 14


def programs_needing_review(today=None):
    """Active programs whose deadline is near or passed, or not checked for six months."""
    today = today or timezone.localdate()
    out = []
    for p in FundingProgram.objects.filter(is_active=True):
        reasons = []
        if p.closes_on and p.closes_on < today:
            reasons.append(_("deadline passed"))
        elif p.closes_on and p.closes_on <= today + timedelta(days=DEADLINE_WARNING_DAYS):
            reasons.append(_("deadline in less than two weeks"))
        if p.reviewed_on <= today - timedelta(days=REVIEW_AFTER_DAYS):
            reasons.append(_("not checked for six months"))
        if reasons:
            out.append((p, reasons))
    return out


def send_review_reminders(today=None):
    """One reminder a week to staff listing the programs to check (idempotent per week)."""
    today = today or timezone.localdate()
    due = programs_needing_review(today)
    recipients = _staff_to_notify()
    if not due or not recipients:
        return 0
    year, week, _day = today.isocalendar()
    context = {"programs": [(p.name, ", ".join(str(r) for r in reasons)) for p, reasons in due]}
    for address in recipients:
        queue_email(key=f"support-programs-review-{year}-{week}-{address}", to=address,
                    template="support_programs_review", context=context)
    return len(due)


@transaction.atomic
def reading_save(*, indicator, year, value, source_note, actor, request=None):
    if indicator.source:
        raise ValidationError(_("This indicator reads its figure from the platform."))
    reading, _created = Reading.objects.update_or_create(
        indicator=indicator, year=year, defaults={"value": value, "source_note": source_note})
    audit.record(actor=actor, action="support.reading_saved", obj=indicator,
                 changes={str(year): [None, str(value)]}, request=request)
    return reading


@transaction.atomic
def indicator_create(*, form, objective, actor, request=None):
    indicator = form.save(commit=False)
    indicator.objective = objective
    indicator.save()
    audit.record(actor=actor, action="support.indicator_created", obj=indicator,
                 request=request)
    return indicator
