"""Symbiosis figures: the project's pipeline and its impacts (yearly report, dashboard)."""

from decimal import Decimal

from django.db.models import Count


def pipeline():
    from alliage.symbiosis.models import Characterisation, Introduction, Match, Stream, Synergy

    published = Stream.objects.published()
    return {
        "characterised": Characterisation.objects.values("organisation").distinct().count(),
        "companies": published.values("organisation").distinct().count(),
        "offers": published.filter(kind=Stream.Kind.OFFER).count(),
        "needs": published.filter(kind=Stream.Kind.NEED).count(),
        "matches": Match.objects.current().count(),
        "introductions": Introduction.objects.count(),
        "in_discussion": Introduction.objects.filter(
            status=Introduction.Status.DISCUSSION).count(),
        "synergies": Synergy.objects.count(),
        "by_status": dict(Introduction.objects.values_list("status").annotate(
            n=Count("id")).values_list("status", "n")),
    }


def impact_totals(start=None, end=None):
    from alliage.symbiosis.models import Synergy
    from alliage.symbiosis.services import all_factors, impacts

    synergies = Synergy.objects.all()
    if start and end:
        synergies = synergies.filter(started_on__lte=end).exclude(ended_on__lt=start)
    totals = {"synergies": 0, "tonnes": Decimal(0), "energy_mwh": Decimal(0),
              "energy_gj": Decimal(0), "water_m3": Decimal(0), "co2e_t": Decimal(0),
              "dollars": Decimal(0)}
    factors = all_factors()         # one query, whatever the number of synergies
    for s in synergies:
        figures = impacts(s, factors)
        totals["synergies"] += 1
        for key in ("tonnes", "energy_mwh", "energy_gj", "water_m3", "co2e_t", "dollars"):
            totals[key] += figures[key]
    return totals


def for_period(start, end):
    """The pipeline now, the impacts of the synergies running during the period, and the
    other recovered flows (selective collection)."""
    from django.utils import timezone

    impact = impact_totals(start, end)
    return {**pipeline(), "pipeline_on": timezone.localdate(),
            **{f"impact_{k}": v for k, v in impact.items()},
            "other_recovery": other_recovery(start, end)}


# Other recovered flows that count in the symbiosis impact figures beside the synergies (the
# shared selective collection of member advantages, issue #15): registered by the higher app
# that owns them, {key: (label, fn(start, end) -> {"tonnes", "co2e_t"})}.
_recovery_sources = {}


def register_recovery_source(key, label, fn):
    _recovery_sources[key] = (label, fn)


def other_recovery(start=None, end=None):
    """[{key, label, tonnes, co2e_t}] of the registered sources for the period (all time when
    no dates are given)."""
    from datetime import date

    from django.utils import translation

    start, end = start or date(1900, 1, 1), end or date(2999, 12, 31)
    rows = []
    for key, (label, fn) in sorted(_recovery_sources.items()):
        figures = fn(start, end)
        with translation.override("fr"):
            label_fr = str(label)
        with translation.override("en"):
            label_en = str(label)
        rows.append({"key": key, "label": str(label), "label_fr": label_fr,
                     "label_en": label_en, "tonnes": figures["tonnes"],
                     "co2e_t": figures["co2e_t"]})
    return rows
