"""A pooled resource's booking calendar: one week, a row per hour and a column per day.

Each cell says whether the hour is free, held by the viewer's company (with its status), or
held by another company (only "booked": who booked stays between the owner and the
company). A free hour to come links to the booking form with that hour filled in, so the
page works without JavaScript.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

# The hours shown when nothing is booked outside them; a booking earlier or later widens the
# grid so no held hour is hidden.
DAY_START, DAY_END = 7, 19
# How far the week links may go (a typed ?semaine= outside is brought back).
MAX_WEEKS_AWAY = 104


@dataclass
class Cell:
    start: datetime
    bookings: list = field(default_factory=list)
    past: bool = False

    @property
    def free(self):
        return not self.bookings


@dataclass
class Week:
    monday: date
    days: list
    rows: list  # [(hour, [Cell per day])]

    @property
    def previous(self):
        return self.monday - timedelta(days=7)

    @property
    def next(self):
        return self.monday + timedelta(days=7)


def week_start(value, *, today=None):
    """The Monday of the week holding ``value`` (an ISO date, as typed in ?semaine=); this
    week's Monday when it is missing, malformed or too far from today."""
    today = today or timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    try:
        day = date.fromisoformat(str(value)) if value else this_monday
    except ValueError:
        return this_monday
    monday = day - timedelta(days=day.weekday())
    if abs((monday - this_monday).days) > MAX_WEEKS_AWAY * 7:
        return this_monday
    return monday


def slot_start(value, *, now=None):
    """The hour a free cell's link asks for (``?debut=2026-12-01T09:00``), or None when it is
    malformed or already past."""
    try:
        start = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    if start < (now or timezone.now()):
        return None
    return start.replace(minute=0, second=0, microsecond=0)


def build(bookings, *, monday, now=None):
    """The week from ``monday`` with ``bookings`` (those holding a slot, any order) placed
    in every hour they overlap."""
    now = now or timezone.now()
    days = [monday + timedelta(days=i) for i in range(7)]
    start = timezone.make_aware(datetime.combine(monday, time()))
    end = timezone.make_aware(datetime.combine(monday + timedelta(days=7), time()))
    local = [(timezone.localtime(max(b.starts_at, start)),
              timezone.localtime(min(b.ends_at, end)), b) for b in bookings
             if b.starts_at < end and b.ends_at > start]
    hours = {DAY_START, DAY_END - 1}
    for begins, ends, _booking in local:
        step = begins.replace(minute=0, second=0, microsecond=0)
        while step < ends:  # a booking lasts two weeks at most: a few hundred steps
            hours.add(step.hour)
            step += timedelta(hours=1)
    first, last = min(hours), max(hours) + 1
    rows = []
    for hour in range(first, last):
        cells = []
        for day in days:
            cell_start = timezone.make_aware(datetime.combine(day, time(hour)))
            cell_end = cell_start + timedelta(hours=1)
            cells.append(Cell(start=cell_start, past=cell_end <= now,
                              bookings=[b for begins, ends, b in local
                                        if begins < cell_end and ends > cell_start]))
        rows.append((hour, cells))
    return Week(monday=monday, days=days, rows=rows)


def week_of(resource, *, monday, now=None):
    """The calendar of ``resource`` for the week from ``monday`` (one query)."""
    start = timezone.make_aware(datetime.combine(monday, time()))
    bookings = (resource.bookings.holding()
                .overlapping(start, start + timedelta(days=7))
                .select_related("organisation"))
    return build(list(bookings), monday=monday, now=now)
