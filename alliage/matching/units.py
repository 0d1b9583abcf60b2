"""Quantities per period: "t/an", "m³/mois", "MWh/yr", "kg/semaine" → (dimension, per year)."""

import re
from functools import lru_cache

from alliage.matching.text import fold

BASE = {
    "t": ("mass", 1.0), "tonne": ("mass", 1.0), "tonnes": ("mass", 1.0), "tm": ("mass", 1.0),
    "mt": ("mass", 1.0), "ton": ("mass", 1.0), "tons": ("mass", 1.0), "kg": ("mass", 0.001),
    "lb": ("mass", 0.000453592), "g": ("mass", 1e-6),
    "m3": ("volume", 1.0), "l": ("volume", 0.001), "litre": ("volume", 0.001),
    "litres": ("volume", 0.001), "liter": ("volume", 0.001), "liters": ("volume", 0.001),
    "kl": ("volume", 1.0), "gal": ("volume", 0.00378541),
    "mwh": ("energy", 1.0), "kwh": ("energy", 0.001), "gwh": ("energy", 1000.0),
    "gj": ("energy", 0.277778), "mj": ("energy", 0.000277778),
    "u": ("count", 1.0), "unit": ("count", 1.0), "units": ("count", 1.0),
    "unite": ("count", 1.0), "unites": ("count", 1.0), "pc": ("count", 1.0),
    "palette": ("count", 1.0), "palettes": ("count", 1.0), "pallet": ("count", 1.0),
    "pallets": ("count", 1.0),
    "m2": ("area", 1.0), "pi2": ("area", 0.092903), "sqft": ("area", 0.092903),
    "h": ("time", 1.0), "heure": ("time", 1.0), "heures": ("time", 1.0), "hour": ("time", 1.0),
    "hours": ("time", 1.0),
}
PERIOD = {
    "": 1.0, "an": 1.0, "annee": 1.0, "yr": 1.0, "y": 1.0, "year": 1.0, "a": 1.0,
    "mois": 12.0, "month": 12.0, "mo": 12.0, "sem": 52.0, "semaine": 52.0, "week": 52.0,
    "wk": 52.0, "j": 365.0, "jour": 365.0, "day": 365.0, "d": 365.0,
}
# Power is a rate: MW of heat available all year long.
RATE = {"kw": ("energy", 8.76), "mw": ("energy", 8760.0)}


class UnknownUnit(ValueError):
    pass


@lru_cache(maxsize=4096)
def parse(unit):
    """(dimension, factor to the dimension's unit per year), or raise UnknownUnit."""
    text = fold(unit).replace("³", "3").replace("²", "2").replace(" ", "")
    text = text.replace("par", "/").replace("per", "/")
    base, _, period = text.partition("/")
    if base in RATE and not period:
        return RATE[base]
    if base not in BASE or period.rstrip(".") not in PERIOD:
        raise UnknownUnit(unit)
    dimension, factor = BASE[base]
    return dimension, factor * PERIOD[period.rstrip(".")]


def per_year(quantity, unit):
    """(dimension, quantity per year) — (None, None) when either is missing."""
    if quantity is None or not unit:
        return None, None
    dimension, factor = parse(unit)
    return dimension, float(quantity) * factor


def is_known(unit):
    try:
        parse(unit)
    except UnknownUnit:
        return False
    return bool(re.sub(r"\s", "", unit or ""))
