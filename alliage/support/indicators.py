"""Figures the platform already holds, that a strategic plan's indicator may read.

Each source is a key, a label, a unit and ``fn(year) -> number`` over the calendar year
(``start``..``end``), read from the apps' ``stats.py``. An indicator with a source shows
these figures year by year; one without is typed by staff (``Reading``) with its source.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    unit: str
    fn: object


def _bounds(year):
    return date(year, 1, 1), date(year, 12, 31)


def _members(year):
    from alliage.members.stats import membership_year

    return membership_year(*_bounds(year))["members"]


def _renewal_rate(year):
    from alliage.members.stats import membership_year

    figures = membership_year(*_bounds(year))
    due = figures["renewed"] + figures["renewals_unpaid"]
    return round(Decimal(100 * figures["renewed"]) / due, 1) if due else Decimal(0)


def _participants(year):
    from alliage.events.stats import totals

    return totals(*_bounds(year))["present"]


def _subscribers(year):
    from django.db.models import Q

    from alliage.mailing.models import Subscription

    end = date(year, 12, 31)
    return (Subscription.objects.filter(confirmed_at__date__lte=end)
            .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gt=end))
            .values("subscriber").distinct().count())


def _synergies(year):
    from alliage.symbiosis.stats import impact_totals

    return impact_totals(*_bounds(year))["synergies"]


def _tonnes(year):
    from alliage.symbiosis.stats import impact_totals

    return round(impact_totals(*_bounds(year))["tonnes"], 1)


def _financing(year):
    from alliage.support.stats import yearly

    return Decimal(yearly(year)["financing_obtained_cents"]) / 100


def _cases_closed(year):
    from alliage.support.stats import yearly

    return yearly(year)["cases_closed"]


SOURCES = {s.key: s for s in [
    Source("members", _("Member companies (paid)"), _("companies"), _members),
    Source("renewal_rate", _("Renewal rate"), "%", _renewal_rate),
    Source("participants", _("Event participants (present)"), _("people"), _participants),
    Source("subscribers", _("Newsletter subscribers (end of year)"), _("people"), _subscribers),
    Source("synergies", _("Symbiosis synergies under way"), _("synergies"), _synergies),
    Source("tonnes", _("Tonnes diverted by synergies"), "t", _tonnes),
    Source("financing", _("Financing obtained with the association's help"), "$", _financing),
    Source("cases_closed", _("Support cases closed"), _("cases"), _cases_closed),
]}


def source_choices():
    return [("", _("Typed by staff"))] + [(s.key, s.label) for s in SOURCES.values()]


def series(indicator, *, this_year):
    """[(year, value)] from the baseline year to this year (or the target year if earlier)."""
    last = min(this_year, max(indicator.target_year, indicator.baseline_year))
    if indicator.source in SOURCES:
        fn = SOURCES[indicator.source].fn
        return [(y, Decimal(str(fn(y)))) for y in range(indicator.baseline_year, last + 1)]
    return [(r.year, r.value) for r in indicator.readings.all() if r.year <= last]


def progress(indicator, values):
    """Share of the way from baseline to target reached by the latest value (0–100+), or None."""
    if not values:
        return None
    latest = values[-1][1]
    span = indicator.target - indicator.baseline
    if span == 0:
        return 100 if latest == indicator.target else 0
    return int(round(100 * (latest - indicator.baseline) / span))
