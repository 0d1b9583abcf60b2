"""Support services' personal data in the Law 25 registry: the cases a person asked for
(what they wrote, the notes about it) and the projects they described for their company."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliage.core import privacy
from alliage.support.models import (
    Action,
    Axis,
    CaseDocument,
    CaseNote,
    FundingProgram,
    Indicator,
    Objective,
    Plan,
    Project,
    Reading,
    SupportCase,
)

iso = privacy.iso


def _cases_of(subject):
    return SupportCase.objects.filter(requested_by_id=subject.person_id)


def _export_cases(subject):
    return [{"organisation": c.organisation.legal_name, "kind": c.kind, "subject": c.subject,
             "description": c.description, "status": c.status, "outcome": c.outcome,
             "opened_at": iso(c.opened_at), "closed_at": iso(c.closed_at),
             "notes_shared_with_you": [n.body for n in c.notes.all() if n.shared_with_member]}
            for c in _cases_of(subject).select_related("organisation").prefetch_related("notes")
            ] + [{"document": d.filename, "case": d.case.subject, "uploaded_at": iso(d.uploaded_at)}
                 for d in CaseDocument.objects.filter(uploaded_by_id__in=list(subject.user_ids))
                 .select_related("case")]


def _anonymise_cases(subject, actor):
    # The case stays with its company (outcome, financing obtained: the yearly figures);
    # the person is unlinked and their words that name them are scrubbed.
    for case in _cases_of(subject):
        case.description = privacy.scrub(case.description, subject)
        case.requested_by = None
        case.save(update_fields=["description", "requested_by"])
    # Documents stay with the case (the company's file); they no longer say who uploaded them.
    CaseDocument.objects.filter(uploaded_by_id__in=list(subject.user_ids)).update(
        uploaded_by=None)
    for note in CaseNote.objects.filter(Q(case__organisation__affiliations__contact_id=
                                          subject.person_id)).distinct():
        scrubbed = privacy.scrub(note.body, subject)
        if scrubbed != note.body:
            note.body = scrubbed
            note.save(update_fields=["body"])


def _projects_of(subject):
    return Project.objects.filter(created_by_id__in=list(subject.user_ids))


def _export_projects(subject):
    return [{"organisation": p.organisation.legal_name, "title": p.title, "theme": p.theme,
             "description": p.description, "budget_cents": p.budget_cents,
             "created_at": iso(p.created_at)}
            for p in _projects_of(subject).select_related("organisation")]


def _anonymise_projects(subject, actor):
    _projects_of(subject).update(created_by=None)


def register():
    privacy.register(
        "support_cases", title=_("Support requests"), models=[SupportCase, CaseNote, CaseDocument],
        export=_export_cases, anonymise=_anonymise_cases,
        rule=_("A support case stays with your company (its outcome counts in the "
               "association's figures); when you are anonymised it no longer names you."))
    privacy.register(
        "support_projects", title=_("Projects described for financing"), models=[Project],
        export=_export_projects, anonymise=_anonymise_projects,
        rule=_("A project stays with your company; when you are anonymised it no longer says "
               "who described it."))
    privacy.exempt(FundingProgram, "public funding programs")
    for model in (Plan, Axis, Objective, Action, Indicator, Reading):
        privacy.exempt(model, "the association's strategic plan")
