"""The activity report's "industrial symbiosis" section (alliage.core.reporting)."""

from django.utils.translation import gettext_lazy as _

from alliage.core import reporting


def collect(start, end):
    from alliage.symbiosis import stats

    return stats.for_period(start, end)


reporting.register(reporting.Section(
    key="symbiosis", title=_("Industrial symbiosis"), order=40,
    template="symbiosis/report_section.html", collect=collect))
