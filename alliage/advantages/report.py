"""The activity report's "member advantages" section (alliage.core.reporting)."""

from django.utils.translation import gettext_lazy as _

from alliage.core import reporting


def collect(start, end):
    from django.db.models import Count, Sum

    from alliage.advantages import stats
    from alliage.advantages.models import Enrolment

    figures = stats.for_period(start, end)
    # Companies enrolled per program during the period (the PAE first among them).
    figures["programs"] = [
        {"name_fr": row["advantage__name_fr"], "name_en": row["advantage__name_en"],
         "companies": row["companies"], "employees": row["employees"] or 0}
        for row in Enrolment.objects.filter(period_start__lte=end, period_end__gte=start)
        .exclude(status=Enrolment.Status.CANCELLED)
        .values("advantage__name_fr", "advantage__name_en")
        .annotate(companies=Count("organisation", distinct=True), employees=Sum("employees"))
        .order_by("-companies", "advantage__name_fr")]
    figures["savings_by_member"] = figures["savings_by_member"][:10]
    figures["tonnes_by_member"] = figures["tonnes_by_member"][:10]
    return figures


reporting.register(reporting.Section(
    key="advantages", title=_("Member advantages"), order=70,
    template="advantages/report_section.html", collect=collect))
