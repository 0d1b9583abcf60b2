"""The activity report's "communications" section (alliage.core.reporting)."""

from django.utils.translation import gettext_lazy as _

from alliage.core import reporting


def collect(start, end):
    from alliage.mailing import stats

    return stats.for_period(start, end)


def charts(figures):
    from django.utils.formats import date_format

    rows = []
    for month, n in figures["campaigns_by_month"]:
        rows.append((date_format(_iso(month), "YEAR_MONTH_FORMAT"), n))
    return [reporting.bar_chart(_("Newsletters sent per month"), rows, horizontal=False)]


def _iso(text):
    from datetime import date

    return date.fromisoformat(text[:10])


reporting.register(reporting.Section(
    key="communications", title=_("Communications"), order=60,
    template="mailing/report_section.html", collect=collect, charts=charts))
