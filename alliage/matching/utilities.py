"""Utilities and energy flows: what decides whether one plant's steam, heat, water or gas
can serve another (the List of Waste does not describe them; see the R codes in low.txt).

A utility stream carries physical facts read from its code and its words:
- heat grade: steam (2) is more than hot water or waste heat (1); a need for steam is not
  met by hot water;
- temperature (°C) when the text gives one: an offer colder than the need (5 °C margin)
  does not meet it ("a need for 120 °C steam is not met by 40 °C water");
- water quality class: 3 potable or demineralised, 2 clean process or cooling water,
  1 treated effluent, 0 grey or raw; a need that names a class wants at least that class;
- reach: heat and water travel by pipe, a few km, not 100 (`REACH_KM`, a hard limit).
These constraints never decide alone: they scale the taxonomy's relation (`factor`)."""

import math
import re
from functools import lru_cache

from alliage.matching.text import fold

# Alliage's defaults for the pipe distance a flow is worth (hard limits, in km). Kalundborg's
# steam, heat and water pipes join plants a few km apart (Jacobsen 2006, J. Ind. Ecol. 10);
# district-heating transmission beyond ~10-20 km needs large flows. Staff may ask members to
# set a stream's own maximum distance instead.
REACH_KM = {"R10101": 15.0, "R10102": 5.0, "R10103": 5.0, "R10201": 25.0, "R20101": 10.0,
            "R20102": 25.0, "R30102": 1.0}
KINDS = {
    "R10101": "hot_water", "R10102": "steam", "R10103": "hot_gas", "R10201": "fuel_gas",
    "R10202": "electricity", "R20101": "cooling_water", "R20102": "treated_water",
    "R30101": "co2", "R30102": "compressed_air"}
CODES = {kind: code for code, kind in KINDS.items()}
GRADE = {"R10101": 1, "R10102": 2, "R10103": 2}
WATER_CLASS = {"R20101": 2, "R20102": 1}

_TEMP = re.compile(r"(-?\d{2,4})(?:[.,]\d+)?\s*(?:°|º|deg(?:re|ree)?s?\b|c\b)")
_STEAM = re.compile(r"\b(vapeur|steam)\b")
_WATER_WORDS = (
    (3, re.compile(r"\b(potable|drinking|demineralis|deminerali[sz]ed|ultra ?pure|osmos)")),
    (2, re.compile(r"\b(eau de procede|process water|alimentation (de )?chaudiere|"
                   r"boiler feed|eau propre|clean water)")),
)


def temperature(text):
    """The highest temperature (°C) a text states, or None."""
    found = [float(m.group(1)) for m in _TEMP.finditer(fold(text))]
    found = [t for t in found if -50 <= t <= 1500]
    return max(found) if found else None


@lru_cache(maxsize=100_000)
def facts(code, text):
    """(grade, temperature, water class offered, water class asked, kind) of a stream."""
    folded = fold(text)
    grade = GRADE.get(code or "", 0)
    if _STEAM.search(folded) and (grade or code is None or (code or "").startswith("R1")):
        grade = 2
    water = WATER_CLASS.get(code or "", -1)
    asked = -1
    for level, pattern in _WATER_WORDS:
        if pattern.search(folded):
            asked = max(asked, level)
    if water >= 0 and asked == 3:
        water = 3                     # an offer of demineralised or potable water
    kind = KINDS.get(code or "")
    return grade, temperature(text), water, asked, kind


def reach_km(code):
    return REACH_KM.get(code or "", math.inf)


GRADE_SHORT = 0.25
TEMPERATURE_SHORT = 0.25
WATER_SHORT = 0.4
MARGIN_C = 5.0


def factor(o, n):
    """The share of the taxonomy relation the physical facts leave (1.0: nothing against)."""
    f = 1.0
    if n.grade > o.grade > 0:
        f *= GRADE_SHORT
    if not math.isnan(n.temp) and not math.isnan(o.temp) and o.temp + MARGIN_C < n.temp:
        f *= TEMPERATURE_SHORT
    if n.wneed >= 0 and o.wclass >= 0 and o.wclass < n.wneed:
        f *= WATER_SHORT
    return f


def shortfalls(o, n, lang="fr"):
    """What the offer lacks for the need, in words."""
    fr = lang == "fr"
    out = []
    if n.grade > o.grade > 0:
        out.append("besoin de vapeur : l'offre est de l'eau chaude ou de la chaleur basse "
                   "température" if fr else "steam needed: the offer is hot water or "
                   "low-grade heat")
    if not math.isnan(n.temp) and not math.isnan(o.temp) and o.temp + MARGIN_C < n.temp:
        out.append(f"température insuffisante ({o.temp:.0f} °C offerts, {n.temp:.0f} °C "
                   f"demandés)" if fr else f"temperature too low ({o.temp:.0f} °C offered, "
                   f"{n.temp:.0f} °C needed)")
    if n.wneed >= 0 and o.wclass >= 0 and o.wclass < n.wneed:
        out.append("qualité d'eau insuffisante pour l'usage demandé" if fr else
                   "water quality below what the use needs")
    return out
