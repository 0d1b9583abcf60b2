"""The activity report's "regional products" section (alliage.core.reporting)."""

from django.utils.translation import gettext_lazy as _

from alliage.core import reporting


def collect(start, end):
    from alliage.showcase import stats
    from alliage.showcase.models import PointOfSale

    # The association's own counters and shops by name (e.g. the rest-stop counter where
    # members' regional products are sold), beside the counts.
    outlets = (PointOfSale.objects.public().filter(organisation=None)
               .select_related("municipality").order_by("name"))
    return {**stats.for_period(start, end),
            "association_outlets": [{"name": o.name, "place": str(o.municipality or "")}
                                    for o in outlets]}


reporting.register(reporting.Section(
    key="showcase", title=_("Regional products and buying local"), order=80,
    template="showcase/report_section.html", collect=collect))
