"""The dashboard (issues #14, #20, #21): what waits for a decision today (staff), and the key
figures of a period against the same period a year earlier, with drill-down to the rows
behind each figure (staff; the board reads the figures only).

Core knows no domain app: each app registers its part from ``alliage/<app>/dashboard.py``,
called in its ``AppConfig.ready()``::

    dashboard.register_decisions("billing", provider, order=40)
    dashboard.register_figures("billing", _("Revenue"), compute, rows=rows, order=20)
    dashboard.register_reader("governance", is_board_or_staff)   # who may read (read-only)

- ``provider(today)`` returns ``[Decision]``: things staff must handle, with where.
- ``compute(start, end)`` returns ``[Value]`` for the inclusive period; core calls it for the
  period and for the same period a year earlier and pairs the values by key. A value with
  ``drill=True`` has rows: ``rows(key, start, end)`` returns a ``Table`` of exactly the rows it
  counts (the drill-down page lists them), None for a key it does not know.
- Rows are for staff unless the section says otherwise (``rows_visible_to``); a link is shown
  only to a viewer who may follow it, and the rows page checks the same predicate.
Registering the same key again replaces the entry (``ready()`` may run more than once).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alliage.core.roles import _require, is_staff

# Shown per event under an events item; more events than this: "and n others" on the page.
EVENT_ROWS = 5


@dataclass
class Decision:
    """One kind of thing waiting for staff: how many, and where it is handled."""

    key: str
    title: str
    count: int
    url: str
    action: str
    # Per-event rows (title, url, count) for the events items: their pages are per event.
    rows: list = field(default_factory=list)
    more: int = 0


@dataclass(frozen=True)
class Value:
    """One figure of one period, as an app computes it. ``kind``: count, money (cents),
    percent (0-100, one decimal) or number (one decimal, with ``unit``)."""

    key: str
    label: str
    value: object
    kind: str = "count"
    unit: str = ""
    help: str = ""
    drill: bool = False
    # For figures where less is better (bounce rate, open follow-ups): the trend's words
    # stay "up"/"down", the class says whether it is good news.
    lower_is_better: bool = False


@dataclass(frozen=True)
class Table:
    """The rows behind a figure: its title, column headings and rows of cells; a cell is
    text, a number, a date, a ``Link`` or ``Money`` (to a page the same readers may follow)."""

    title: str
    columns: list
    rows: list


@dataclass(frozen=True)
class Link:
    """A cell linking to the row's own page."""

    text: str
    url: str


@dataclass(frozen=True)
class Money:
    """A cell holding an amount in cents."""

    cents: int


@dataclass
class Figure:
    """A figure now and in the period it is compared with, as the page shows it."""

    key: str
    label: str
    value: object
    previous: object
    compared_with: str = ""
    money: bool = False
    kind: str = "count"
    unit: str = ""
    help: str = ""
    url: str | None = None
    lower_is_better: bool = False

    @property
    def delta(self):
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def trend(self):
        """'up', 'down' or 'flat' (the page says it in words, not only with an arrow)."""
        delta = self.delta
        return "flat" if not delta else "up" if delta > 0 else "down"

    @property
    def good(self):
        """Whether the change is good news (for the colour only; words say the direction)."""
        if self.trend == "flat":
            return None
        return (self.trend == "down") == self.lower_is_better

    @property
    def percent(self):
        """The change in per cent of the previous figure; None when there was nothing (or
        for a figure that is itself a percentage: its change is in points)."""
        if self.kind == "percent" or not self.previous or self.delta is None:
            return None
        return round(self.delta * 100 / self.previous)


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    compute: object
    rows: object = None
    order: int = 50
    rows_visible_to: object = is_staff


_decisions = {}
_sections = {}
_readers = {}
_fiscal = {"month": 1}


def register_decisions(key, provider, *, order=50):
    """``provider(today)`` returns the app's [Decision] (see the module's docstring)."""
    _decisions[key] = (order, provider)


def register_figures(key, label, compute, *, rows=None, order=50, rows_visible_to=is_staff):
    """A group of key figures headed ``label`` (see the module's docstring)."""
    _sections[key] = Section(key, label, compute, rows, order, rows_visible_to)


def register_reader(key, predicate):
    """Besides staff, ``predicate(user)`` may read the figures (read-only: no decisions)."""
    _readers[key] = predicate


def set_fiscal_year_start(month):
    """The month the fiscal year starts (billing owns it); January until someone says."""
    _fiscal["month"] = month


def may_read(user):
    return is_staff(user) or any(predicate(user) for predicate in _readers.values())


reader_required = _require(may_read, _("This page is for the association's staff and board."))


def to_decide(today=None):
    """Everything waiting for staff today, in the order the page shows it."""
    today = today or timezone.localdate()
    items = []
    for _order, provider in sorted(_decisions.values(), key=lambda p: p[0]):
        items.extend(provider(today))
    return items


def summary(decisions):
    """The sentence above the list: how many things wait."""
    waiting = sum(d.count for d in decisions)
    if not waiting:
        return _("Nothing waits for a decision today.")
    return ngettext("%(n)s thing waits for a decision today.",
                    "%(n)s things wait for a decision today.", waiting) % {"n": waiting}


# --- The period ---------------------------------------------------------------------------

def years_ago(day, years=1):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def fiscal_start(today):
    start = date(today.year, _fiscal["month"], 1)
    return start if start <= today else date(today.year - 1, _fiscal["month"], 1)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    choice: str = "fiscal"

    @property
    def previous(self):
        """The same dates a year earlier: like for like (a year-to-date figure is never
        compared with a whole year)."""
        return Period(years_ago(self.start), years_ago(self.end), self.choice)

    def query(self):
        """The query string that selects this period again (drill-down links)."""
        from urllib.parse import urlencode

        params = {"period": self.choice}
        if self.choice == "custom":
            params |= {"start": self.start.isoformat(), "end": self.end.isoformat()}
        return urlencode(params)


# A custom period spans at most this many days (figures are read per period, not per decade).
MAX_DAYS = 3 * 366
EARLIEST = date(2000, 1, 1)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), required=False, choices=[
        ("fiscal", _("This fiscal year")), ("12m", _("Last 12 months")),
        ("custom", _("Custom"))])
    start = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("period") != "custom" and (data.get("start") or data.get("end")):
            data["period"] = "custom"     # dates typed: that is the period asked for
        if data.get("period") != "custom":
            return data
        start, end = data.get("start"), data.get("end")
        if not start or not end:
            if "start" not in self.errors and "end" not in self.errors:
                raise forms.ValidationError(_("A custom period needs a start and an end."))
            return data
        if end < start:
            self.add_error("end", _("The end comes before the start."))
        elif end > self.today:
            self.add_error("end", _("The end is in the future."))
        elif start < EARLIEST:
            self.add_error("start", _("The start is before 2000."))
        elif (end - start).days >= MAX_DAYS:
            self.add_error("end", _("A period spans at most three years."))
        return data

    def chosen(self):
        """The period chosen, or this fiscal year when the form is empty or wrong."""
        today = self.today
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        choice = data.get("period") or "fiscal"
        if choice == "custom":
            return Period(data["start"], data["end"], "custom")
        if choice == "12m":
            return Period(years_ago(today) + timedelta(days=1), today, "12m")
        return Period(fiscal_start(today), today, "fiscal")


# --- The figures --------------------------------------------------------------------------

def _drill_url(value, period):
    from django.urls import reverse

    return f"{reverse('core:dashboard_rows', args=[value.key])}?{period.query()}"


def sections(period, user):
    """[(label, [Figure])] for ``period`` against the same period a year earlier, in order.
    A figure links to its rows only for a viewer who may see them."""
    out = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        now = section.compute(period.start, period.end)
        before = {v.key: v.value for v in section.compute(period.previous.start,
                                                          period.previous.end)}
        rows_ok = section.rows is not None and section.rows_visible_to(user)
        figures = [Figure(v.key, v.label, v.value, before.get(v.key), _("same period last year"),
                          money=v.kind == "money", kind=v.kind, unit=v.unit, help=v.help,
                          url=_drill_url(v, period) if v.drill and rows_ok else None,
                          lower_is_better=v.lower_is_better)
                   for v in now]
        out.append((section.label, figures))
    return out


def rows_for(key, period, user):
    """The Table behind figure ``key`` for ``period``; None when no section the viewer may
    see knows the key: False when some section is hidden from the viewer (the page answers
    403, so a hidden figure's name is not told apart from an unknown one), else None (404).
    Rows of sections hidden from the viewer are never computed."""
    hidden = False
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        if section.rows is None:
            continue
        if not section.rows_visible_to(user):
            hidden = True
            continue
        table = section.rows(key, period.start, period.end)
        if table is not None:
            return table
    return False if hidden else None


def _emails(today):
    from django.urls import reverse

    from alliage.core.models import Email

    return [Decision("emails", _("Unsent email"), Email.objects.troubled().count(),
                     reverse("core:email_outbox"), _("Retry or correct the address"))]


def register():
    """Core's own item: transactional mail that failed."""
    register_decisions("core", _emails, order=30)


def cells(table):
    """The table's rows as cells the template shows: {text, url, num}."""
    from django.utils.formats import localize

    from alliage.core.money import format_money

    def cell(value):
        if isinstance(value, Link):
            return {"text": value.text, "url": value.url, "num": False}
        if isinstance(value, Money):
            return {"text": format_money(value.cents), "url": "", "num": True}
        number = isinstance(value, int | float) or type(value).__name__ == "Decimal"
        return {"text": localize(value) if not isinstance(value, str) else value, "url": "",
                "num": number}

    return [[cell(v) for v in row] for row in table.rows]
