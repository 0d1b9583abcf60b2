"""Support services' figures for the yearly report and the strategic plan."""

from datetime import date

from django.db.models import Count, Q, Sum


def yearly(year):
    return for_period(date(year, 1, 1), date(year, 12, 31))


def for_period(start, end):
    """Support cases opened and closed between two dates (inclusive), financing obtained."""
    from alliage.support.models import FundingProgram, Project, SupportCase

    opened = SupportCase.objects.filter(opened_at__date__range=(start, end))
    closed = SupportCase.objects.filter(closed_at__date__range=(start, end))
    by_outcome = dict(closed.values_list("outcome").annotate(n=Count("pk")))
    return {
        "cases_opened": opened.count(),
        "cases_closed": closed.count(),
        "companies_helped": opened.values("organisation").distinct().count(),
        "financing_obtained_cents": closed.filter(outcome="financing").aggregate(
            s=Sum("outcome_amount_cents"))["s"] or 0,
        "outcomes": by_outcome,
        "projects_described": Project.objects.filter(created_at__date__range=(start, end))
        .count(),
        "programs_in_catalogue": FundingProgram.objects.filter(
            Q(is_active=True) | Q(updated_at__date__gte=start)).count(),
    }
