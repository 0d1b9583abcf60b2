"""Survey figures for the yearly activity report (read by reports' yearly report)."""

from datetime import date

from django.db.models import Count

from alliage.surveys.models import Response, Survey


def yearly(year):
    """Surveys opened in ``year`` (drafts aside), their responses, and the member companies
    that answered an identified one. Anonymous responses count, without anyone behind them."""
    return for_period(date(year, 1, 1), date(year, 12, 31))


def for_period(start, end):
    """Surveys opened between two dates (inclusive), drafts aside, and their responses."""
    surveys = (Survey.objects.filter(opens_at__date__range=(start, end))
               .exclude(status=Survey.Status.DRAFT))
    responses = Response.objects.filter(survey__in=surveys)
    per_survey = surveys.annotate(n=Count("responses")).values_list("n", flat=True)
    return {
        "surveys": surveys.count(),
        "responses": responses.count(),
        "anonymous_responses": responses.filter(survey__anonymous=True).count(),
        "responding_organisations": responses.exclude(organisation=None)
        .values("organisation").distinct().count(),
        "most_responses": max(per_survey, default=0),
    }
