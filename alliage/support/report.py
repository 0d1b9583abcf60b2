"""The activity report's "strategic plan" and "business support" sections
(alliage.core.reporting)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from alliage.core import reporting


def plan(start, end):
    """The strategic plan covering the period: its axes and how far their actions are."""
    from alliage.support.models import Action, Axis, Plan

    current = (Plan.objects.filter(starts_year__lte=end.year, ends_year__gte=start.year)
               .order_by("-starts_year", "-pk").first())
    if current is None:
        return {"plan": None, "axes": []}
    axes = (Axis.objects.filter(plan=current).order_by("position")
            .annotate(actions=Count("objectives__actions"),
                      done=Count("objectives__actions",
                                 filter=Q(objectives__actions__status=Action.Status.DONE)),
                      objectives_n=Count("objectives", distinct=True)))
    return {"plan": {"title": current.title, "starts_year": current.starts_year,
                     "ends_year": current.ends_year, "summary": current.summary},
            "axes": [{"title": a.title, "objectives": a.objectives_n, "actions": a.actions,
                      "done": a.done} for a in axes]}


def support(start, end):
    from alliage.support import stats

    figures = stats.for_period(start, end)
    figures["outcomes"] = sorted(figures["outcomes"].items())
    return figures


reporting.register(reporting.Section(
    key="plan", title=_("Strategic planning"), order=45,
    template="support/report_plan.html", collect=plan))
reporting.register(reporting.Section(
    key="support", title=_("Business support and financing"), order=46,
    template="support/report_support.html", collect=support))
