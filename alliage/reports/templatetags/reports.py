from datetime import date

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def isodate(value):
    """An ISO date text of frozen figures as a date (for ``|date``); other values as they are."""
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value


@register.filter
def percent(ratio):
    """0.873 -> "87 %" (None: "—")."""
    from django.utils.translation import get_language

    if ratio is None or ratio == "":
        return "—"
    value = number_format(round(float(ratio) * 100), 0)
    return f"{value}%" if (get_language() or "fr").startswith("en") else f"{value} %"


@register.filter
def num(value, digits=0):
    """A figure with the locale's grouping (1 234,5), None as "—"."""
    if value is None or value == "":
        return "—"
    return number_format(round(float(value), int(digits)), int(digits), force_grouping=True)


@register.filter
def dollars(cents):
    """Cents as whole dollars with grouping: 1 234 $."""
    from django.utils.translation import get_language

    if cents in (None, ""):
        return "—"
    amount = number_format(round(int(cents) / 100), 0, force_grouping=True)
    return f"${amount}" if (get_language() or "fr").startswith("en") else f"{amount} $"


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def tr(row, stem):
    """``row[stem + "_en"]`` in English when there is one, else ``row[stem + "_fr"]``."""
    from django.utils.translation import get_language

    row = row or {}
    if (get_language() or "fr").startswith("en") and row.get(f"{stem}_en"):
        return row[f"{stem}_en"]
    return row.get(f"{stem}_fr") or row.get(stem, "")
