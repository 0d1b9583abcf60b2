"""Symbiosis' part of the dashboard (core.dashboard): matches to facilitate; the pipeline of
a period (introductions made, synergies started) and its impact (synergies running, tonnes a
year diverted from landfill).

``stats.pipeline`` counts today's pipeline, so the period's pipeline is counted here in a
fixed number of queries, on the same definitions (a synergy runs in a period when it started
by its end and did not end before its start); the CO2e avoided comes from
``stats.impact_totals`` (two queries whatever the number of synergies)."""

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliage.core import dashboard
from alliage.core.dashboard import Decision, Link, Table, Value
from alliage.symbiosis.models import Introduction, Synergy
from alliage.symbiosis.selectors import to_facilitate
from alliage.symbiosis.services import all_factors, impacts
from alliage.symbiosis.stats import impact_totals


def decisions(today):
    return [Decision("introductions", _("Symbiosis matches to facilitate"),
                     to_facilitate().count(), reverse("symbiosis:dashboard"),
                     _("Suggest introductions"))]


def _introductions(start, end):
    return Introduction.objects.filter(created_at__date__range=(start, end))


def _running(start, end):
    return Synergy.objects.filter(started_on__lte=end).exclude(ended_on__lt=start)


def figures(start, end):
    made = _introductions(start, end).aggregate(
        n=Count("pk"), synergy=Count("pk", filter=Q(status=Introduction.Status.SYNERGY)))
    running = _running(start, end).aggregate(
        n=Count("pk"), started=Count("pk", filter=Q(started_on__gte=start)),
        tonnes=Sum("tonnes_per_year", filter=Q(landfill_avoided=True)))
    return [
        Value("introductions_made", _("Introductions made"), made["n"], drill=True),
        Value("synergies_started", _("Synergies started"), running["started"], drill=True),
        Value("synergies_running", _("Synergies running"), running["n"], drill=True),
        Value("tonnes_diverted", _("Tonnes a year diverted from landfill"),
              round(running["tonnes"] or 0, 1), kind="number", unit=_("t"), drill=True,
              help=_("Declared yearly tonnage of the synergies running in the period.")),
        Value("co2e_avoided", _("Tonnes of CO2e avoided a year"),
              round(impact_totals(start, end)["co2e_t"], 1), kind="number", unit=_("t"),
              drill=True, help=_("Landfill and virgin material avoided, minus transport, with "
                                 "the cited impact factors.")),
    ]


def rows(key, start, end):
    if key == "introductions_made":
        found = _introductions(start, end).select_related(
            "match__offer__organisation", "match__need__organisation").order_by("created_at")
        return Table(_("Introductions made"), [_("Offer"), _("Need"), _("Date"), _("Status")],
                     [[f"{i.match.offer.title} ({i.match.offer.organisation})",
                       f"{i.match.need.title} ({i.match.need.organisation})",
                       i.created_at.date(), i.get_status_display()] for i in found])
    if key == "co2e_avoided":
        factors = all_factors()
        found = _running(start, end).select_related("supplier", "receiver").order_by(
            "started_on", "pk")
        return Table(_("Tonnes of CO2e avoided a year"),
                     [_("Supplier"), _("Receiver"), _("Material"), _("Start"), _("t CO2e")],
                     [[Link(s.supplier.legal_name,
                            reverse("members:crm_detail", args=[s.supplier_id])),
                       Link(s.receiver.legal_name,
                            reverse("members:crm_detail", args=[s.receiver_id])),
                       s.material, s.started_on, impacts(s, factors)["co2e_t"]] for s in found])
    if key in ("synergies_started", "synergies_running", "tonnes_diverted"):
        found = _running(start, end)
        if key == "synergies_started":
            found = found.filter(started_on__gte=start)
        if key == "tonnes_diverted":
            found = found.filter(landfill_avoided=True)
        titles = {"synergies_started": _("Synergies started"),
                  "synergies_running": _("Synergies running"),
                  "tonnes_diverted": _("Tonnes a year diverted from landfill")}
        found = found.select_related("supplier", "receiver").order_by("started_on", "pk")
        return Table(titles[key], [_("Supplier"), _("Receiver"), _("Material"), _("Start"),
                                   _("Tonnes a year")],
                     [[Link(s.supplier.legal_name,
                            reverse("members:crm_detail", args=[s.supplier_id])),
                       Link(s.receiver.legal_name,
                            reverse("members:crm_detail", args=[s.receiver_id])),
                       s.material, s.started_on, s.tonnes_per_year] for s in found])
    return None


def register():
    dashboard.register_decisions("symbiosis", decisions, order=60)
    dashboard.register_figures("symbiosis", _("Industrial symbiosis"), figures, rows=rows,
                               order=50)
