"""The activity report's "virtual fair" section (alliage.core.reporting)."""

from django.utils.translation import gettext_lazy as _

from alliage.core import reporting


def collect(start, end):
    from alliage.fair import stats
    from alliage.fair.models import Fair

    fairs = (Fair.objects.filter(starts_at__date__range=(start, end))
             .exclude(status=Fair.Status.DRAFT).order_by("starts_at")
             .prefetch_related("pavilions"))
    rows = [{"title_fr": f.title_fr, "title_en": f.title_en, "date": f.starts_at.date(),
             "pavilions": [{"name_fr": p.name_fr, "name_en": p.name_en}
                           for p in f.pavilions.all()]} for f in fairs]
    return {**stats.for_period(start, end), "fair_list": rows,
            "pavilions": sum(len(r["pavilions"]) for r in rows)}


reporting.register(reporting.Section(
    key="fair", title=_("Virtual industrial fair"), order=75,
    template="fair/report_section.html", collect=collect))
