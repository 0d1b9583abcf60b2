"""Blind matches: until both sides accept an introduction, a company sees its unnamed
counterpart's distance and coverage only roughly (the exact figures would locate it).

The engine explains a pair in words (``alliage.matching.engine.explain``, French or
English); this rewrites its distance and coverage reasons and leaves the others as they are,
and gives the score the way every page and the API show it (``score_percent``).
Its patterns follow the engine's wording and are pinned by
tests/symbiosis/test_blind_figures.py::test_the_engines_words_are_all_rounded."""

import re

from django.utils.translation import gettext as _

DISTANCE = re.compile(r"^(?P<km>\d+) km(?P<rest>(?: \((?:maximum|limit) \d+ km\))?)$")
COVERAGE = re.compile(r"^(?:couvre (?P<fr>\d+) % du besoin|covers (?P<en>\d+)% of the need)$")
BANDS = (25, 50, 100, 200)
# A blind score to the nearest ten: 0.30 of every score is the distance term
# (alliage.matching.scoring), and the other terms can be worked out from both listings,
# so a finer score gives the distance back (one point of score = 3.3 % of the limit).
BLIND_SCORE_STEP = 10


def score_percent(score, *, blind):
    """The score in percent as pages and API show it: to the nearest unit once the
    counterpart is named (and to staff), to the nearest ten while the match is blind."""
    step = BLIND_SCORE_STEP if blind else 1
    return int(score * 100 / step + 0.5) * step


def distance_band(km):
    """A distance as one of a few bands: "moins de 25 km", "entre 50 et 100 km"…"""
    if km < BANDS[0]:
        return _("less than %(km)s km") % {"km": BANDS[0]}
    for low, high in zip(BANDS, BANDS[1:], strict=False):
        if km < high:
            return _("between %(low)s and %(high)s km") % {"low": low, "high": high}
    return _("more than %(km)s km") % {"km": BANDS[-1]}


def coverage_words(percent):
    """A share of the need to the nearest ten: "couvre environ 60 % du besoin"."""
    tens = int(percent / 10 + 0.5) * 10
    if tens == 0:
        return _("covers less than %(percent)s%% of the need") % {"percent": 10}
    return _("covers about %(percent)s%% of the need") % {"percent": tens}


def blind_reasons(reasons):
    """The reasons with the distance in bands and the coverage to the nearest ten."""
    out = []
    for reason in reasons:
        if found := DISTANCE.match(reason):
            out.append(distance_band(int(found["km"])) + found["rest"])
        elif found := COVERAGE.match(reason):
            out.append(coverage_words(int(found["fr"] or found["en"])))
        else:
            out.append(reason)
    return out
