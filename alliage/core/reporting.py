"""The activity report's sections: one registry, filled by the apps (issue #20).

Each app that has something to report keeps a ``report.py`` module that calls
:func:`register` with one or more :class:`Section`: a key, a title, an order in the report,
a template, and ``collect(start, end)`` reading the app's own ``stats.py``. The reports app
imports every ``report`` module at start-up (``autodiscover_modules``) and knows no app by
name, so a new app adds its section without touching the others.

``collect`` returns plain figures (numbers, text, ISO dates, lists and dicts of them): they
are frozen as JSON when a report is published, and the section's template and charts read
the same shape whether the figures are live or frozen.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

_SECTIONS = {}


@dataclass(frozen=True)
class Chart:
    """A chart of a section: its SVG (matplotlib), a title, and the figures it draws as a
    list of (label, value) rows, shown as a table beside it (the chart's accessible text)."""

    title: str
    svg: str
    rows: list
    unit: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: object                  # lazy translated text
    order: int
    template: str
    collect: object                # fn(start, end) -> dict of plain figures
    charts: object = None          # fn(figures) -> list[Chart]


def register(section):
    """Add or replace (same key) a section; called from an app's ``report.py``."""
    _SECTIONS[section.key] = section


def sections():
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def get(key):
    return _SECTIONS.get(key)


def plain(value):
    """Figures as JSON keeps them: Decimal to float, dates to ISO text, tuples to lists."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def bar_chart(title, rows, *, unit="", horizontal=True):
    """A simple bar chart of (label, value) rows as a :class:`Chart` (empty rows: None)."""
    from alliage.core import charts

    rows = [(str(label), value) for label, value in rows if value]
    if not rows:
        return None
    plt = charts.pyplot()
    height = max(2.2, 0.32 * len(rows) + 0.8) if horizontal else 3
    fig, ax = plt.subplots(figsize=(7, height), dpi=100)
    labels = [label if len(label) <= 42 else label[:40] + "…" for label, _v in rows]
    values = [v for _label, v in rows]
    if horizontal:
        ax.barh(labels[::-1], values[::-1], color="#1f4e79")
    else:
        ax.bar(labels, values, color="#1f4e79")
        fig.autofmt_xdate()
    ax.spines[["top", "right"]].set_visible(False)
    return Chart(title=str(title), svg=charts.figure_svg(fig), rows=rows, unit=unit)
