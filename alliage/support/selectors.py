"""Who sees what in support services, and the lists staff work from."""

from django.db.models import Prefetch
from django.utils import timezone

from alliage.core.roles import is_staff
from alliage.members.models import Organisation
from alliage.support import eligibility
from alliage.support.models import (
    CaseDocument,
    CaseNote,
    FundingProgram,
    Indicator,
    Plan,
    Project,
    SupportCase,
)


def my_organisations(user):
    """Member companies ``user`` may act for here: the ones they administer (the "My
    company" pages, like profile and invoices); every company for staff."""
    if is_staff(user):
        return Organisation.objects.all()
    return Organisation.objects.administered_by(user).members()


def programs_for(project, *, today=None):
    today = today or timezone.localdate()
    programs = FundingProgram.objects.filter(is_active=True).prefetch_related("sectors",
                                                                                 "regions")
    org = (Organisation.objects.select_related("primary_sector", "municipality__region")
           .prefetch_related("secondary_sectors").get(pk=project.organisation_id))
    return eligibility.ranked(programs, project, org, today=today)


def company_support(org):
    return {
        "projects": Project.objects.filter(organisation=org),
        "cases": SupportCase.objects.filter(organisation=org).select_related("program"),
    }


def member_case(case):
    """What the member reads of a case: its notes marked for them."""
    return case.notes.filter(shared_with_member=True).select_related("author")


def member_documents(case):
    """The documents of a case its company sees: theirs and those staff shared."""
    return case.documents.filter(shared_with_member=True)


def staff_cases(*, mine_of=None, status="open", today=None):
    qs = SupportCase.objects.select_related("organisation", "owner", "program")
    if status == "open":
        qs = qs.open()
    elif status == "closed":
        qs = qs.filter(status="closed")
    if mine_of is not None:
        qs = qs.filter(owner=mine_of)
    return qs.overdue_first(today)


def staff_case(pk):
    return (SupportCase.objects.select_related("organisation", "owner", "program", "project",
                                               "requested_by")
            .prefetch_related(Prefetch("notes", CaseNote.objects.select_related("author")),
                              Prefetch("documents", CaseDocument.objects.select_related(
                                  "uploaded_by"))))


def current_plan():
    return (Plan.objects.prefetch_related(
        "axes__objectives__actions",
        Prefetch("axes__objectives__indicators",
                 Indicator.objects.prefetch_related("readings"))).first())
