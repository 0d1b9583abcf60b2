"""The activity report's "member surveys" section (alliage.core.reporting)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from alliage.core import reporting


def collect(start, end):
    from alliage.surveys import stats
    from alliage.surveys.models import Survey

    surveys = (Survey.objects.filter(opens_at__date__range=(start, end))
               .exclude(status=Survey.Status.DRAFT).annotate(n=Count("responses"))
               .order_by("opens_at"))
    rows = [{"title_fr": s.title_fr, "title_en": s.title_en, "date": s.opens_at.date(),
             "respondents": s.n, "anonymous": s.anonymous} for s in surveys]
    return {**stats.for_period(start, end), "survey_list": rows}


reporting.register(reporting.Section(
    key="surveys", title=_("Member surveys"), order=50, template="surveys/report_section.html",
    collect=collect))
