"""Survey figures for the yearly activity report (read by reports' yearly report)."""

from django.db.models import Count

from alliage.surveys.models import Response, Survey


def yearly(year):
    """Surveys opened in ``year`` (drafts aside), their responses, and the member companies
    that answered an identified one. Anonymous responses count, without anyone behind them."""
    surveys = Survey.objects.filter(opens_at__year=year).exclude(status=Survey.Status.DRAFT)
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
