"""Support cases: a member asks, staff own and close with the outcome; overdue first; the
CRM timeline and engagement; the yearly figures (issue #19)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alliage.core.models import AuditLog, Email
from alliage.members import engagement, timeline
from alliage.support import selectors, services, stats
from alliage.support.models import CaseStatus, SupportCase
from tests.conftest import login

pytestmark = pytest.mark.django_db


def ask(cast, **extra):
    return services.case_request(organisation=cast.acme, actor=cast.alice, kind="export",
                                 subject="Exporter aux États-Unis", description="Tarifs ?",
                                 **extra)


def test_a_request_becomes_a_case_due_in_five_days_and_staff_are_told(cast,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = ask(cast)
    assert case.status == CaseStatus.OPEN
    assert case.due_on == timezone.localdate() + timedelta(days=5)
    assert case.requested_by == cast.alice.contact
    assert Email.objects.filter(template="support_case_opened", to=cast.sam.email).exists()
    assert AuditLog.objects.filter(action="support.case_opened").count() == 1


def test_close_needs_an_outcome_and_an_amount_for_financing(cast):
    case = ask(cast)
    with pytest.raises(ValidationError):
        services.case_close(case=case, actor=cast.sam, outcome="")
    with pytest.raises(ValidationError):
        services.case_close(case=case, actor=cast.sam, outcome="financing")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN                 # nothing changed
    services.case_close(case=case, actor=cast.sam, outcome="financing",
                        amount_cents=2_500_000)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_at
    with pytest.raises(ValidationError):
        services.case_close(case=case, actor=cast.sam, outcome="advice")
    with pytest.raises(ValidationError):
        services.case_update(case=case, actor=cast.sam, changes={"due_on": None})
    services.case_reopen(case=case, actor=cast.sam)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.closed_at is None
    assert case.outcome_amount_cents is None


def test_overdue_cases_come_first(cast):
    today = timezone.localdate()
    late = ask(cast)
    SupportCase.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=3))
    later = ask(cast)
    SupportCase.objects.filter(pk=later.pk).update(due_on=today + timedelta(days=10))
    none = ask(cast)
    SupportCase.objects.filter(pk=none.pk).update(due_on=None)
    order = [c.pk for c in selectors.staff_cases(today=today)]
    assert order[0] == late.pk and order[-1] == none.pk


def test_outcomes_feed_the_yearly_figures_timeline_and_engagement(cast):
    year = timezone.localdate().year
    a, b = ask(cast), ask(cast)
    services.case_close(case=a, actor=cast.sam, outcome="financing", amount_cents=1_000_000)
    services.case_close(case=b, actor=cast.sam, outcome="referral")
    figures = stats.yearly(year)
    assert figures["cases_opened"] == 2 and figures["cases_closed"] == 2
    assert figures["financing_obtained_cents"] == 1_000_000
    assert figures["companies_helped"] == 1
    assert figures["outcomes"] == {"financing": 1, "referral": 1}
    texts = [e.text for e in timeline.timeline_for(cast.acme)]
    assert any("Exporter aux États-Unis" in t for t in texts)
    counted = engagement.prefetch([cast.acme])[0]._engagement_counts["support_cases"]
    assert counted == 2
    _total, parts = engagement.score(cast.acme)
    assert "support" in {p.key for p in parts}


def test_the_member_sees_only_notes_shared_with_them(client, cast):
    case = ask(cast)
    services.case_add_note(case=case, actor=cast.sam, body="Interne : vérifier le NEQ")
    services.case_add_note(case=case, actor=cast.sam, body="Rendez-vous mardi",
                           shared_with_member=True)
    login(client, cast.alice)
    page = client.get(f"/mon-entreprise/{cast.acme.pk}/accompagnement/dossiers/{case.pk}/")
    assert page.status_code == 200
    assert "Rendez-vous mardi" in page.content.decode()
    assert "vérifier le NEQ" not in page.content.decode()


def test_staff_close_a_case_from_its_page_after_confirming(client, cast):
    case = ask(cast)
    login(client, cast.sam)
    url = f"/gestion/accompagnement/dossiers/{case.pk}/fermer/"
    data = {"outcome": "financing", "amount": "12500", "note": "PME en action"}
    first = client.post(url, data)
    assert first.status_code == 200 and b"confirmed" in first.content   # asks first
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    client.post(url, {**data, "confirmed": "1"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome_amount_cents == 1_250_000
    bad = client.post(f"/gestion/accompagnement/dossiers/{case.pk}/modifier/",
                      {"status": "in_progress", "due_on": "pas une date"}, follow=True)
    assert bad.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_review_reminders_once_a_week(cast, programs):
    from alliage.support.models import FundingProgram

    FundingProgram.objects.filter(name_fr="Virage numérique").update(
        reviewed_on=date(2020, 1, 1))
    assert services.send_review_reminders(today=date(2026, 11, 30)) >= 2   # closed + old
    services.send_review_reminders(today=date(2026, 12, 1))                 # same week
    staff = Email.objects.filter(template="support_programs_review")
    assert staff.count() == 1 and staff.get().to == cast.sam.email     # one a week, each
