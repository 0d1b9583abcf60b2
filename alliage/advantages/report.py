"""The activity report's "member advantages" section (alliage.core.reporting)."""

from django.utils.translation import gettext_lazy as _

from alliage.core import reporting


def collect(start, end):
    from alliage.advantages import stats

    figures = stats.for_period(start, end)
    figures["savings_by_member"] = figures["savings_by_member"][:10]
    figures["tonnes_by_member"] = figures["tonnes_by_member"][:10]
    return figures


reporting.register(reporting.Section(
    key="advantages", title=_("Member advantages"), order=70,
    template="advantages/report_section.html", collect=collect,
    headline=("companies_using_advantages", "employees_covered", "savings_cents")))
