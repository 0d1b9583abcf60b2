"""The activity report's "members" section (alliage.core.reporting)."""

from django.utils.translation import gettext_lazy as _

from alliage.core import reporting


def collect(start, end):
    from alliage.members import stats
    from alliage.members.models import Sector

    figures = stats.for_period(start, end)
    names = {code: (fr, en) for code, fr, en in Sector.objects.filter(
        code__in=[c for c, _n in figures["by_sector"]]).values_list("code", "name_fr",
                                                                    "name_en")}
    figures["by_sector"] = [{"code": c, "name_fr": names.get(c, (c, c))[0],
                             "name_en": names.get(c, (c, c))[1] or c, "members": n}
                            for c, n in figures["by_sector"]]
    return figures


def charts(figures):
    from django.utils.translation import get_language

    english = (get_language() or "fr").startswith("en")
    return [
        reporting.bar_chart(_("Members by sector"),
                            [((s["name_en"] if english else s["name_fr"]), s["members"])
                             for s in figures["by_sector"][:12]]),
        reporting.bar_chart(_("Members by municipality"),
                            [(town, n) for town, n in figures["by_municipality"][:12]]),
    ]


reporting.register(reporting.Section(
    key="members", title=_("Members"), order=90, template="members/report_section.html",
    collect=collect, charts=charts))
