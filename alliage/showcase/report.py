"""The activity report's "regional products" section (alliage.core.reporting)."""

from django.utils.translation import gettext_lazy as _

from alliage.core import reporting


def collect(start, end):
    from alliage.showcase import stats

    return stats.for_period(start, end)


reporting.register(reporting.Section(
    key="showcase", title=_("Regional products and buying local"), order=80,
    template="showcase/report_section.html", collect=collect,
    headline=("products", "suppliers_with_products", "requests_sent")))
