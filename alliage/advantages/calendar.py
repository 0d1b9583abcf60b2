"""A pooled resource's booking calendar: seven days from today (or from the day asked with
?semaine=), a row per hour and a column per day.

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
    first: date
    days: list
    rows: list  # [(hour, [Cell per day])]

    @property
    def previous(self):
        return self.first - timedelta(days=7)

    @property
    def next(self):
        return self.first + timedelta(days=7)

    @property
    def last(self):
        return self.days[-1]


def week_start(value, *, today=None):
    """The first day shown: ``value`` (an ISO date, as typed in ?semaine=), or today when it
    is missing, malformed or too far from today. Seven days from today, not the calendar
    week, so that a Friday visitor sees the next days rather than a week mostly past."""
    today = today or timezone.localdate()
    try:
        day = date.fromisoformat(str(value)) if value else today
    except ValueError:
        return today
    if abs((day - today).days) > MAX_WEEKS_AWAY * 7:
        return today
    return day


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


def build(bookings, *, first, now=None):
    """The seven days from ``first`` with ``bookings`` (those holding a slot, any order) placed
    in every hour they overlap."""
    now = now or timezone.now()
    days = [first + timedelta(days=i) for i in range(7)]
    start = timezone.make_aware(datetime.combine(first, time()))
    end = timezone.make_aware(datetime.combine(first + timedelta(days=7), time()))
    local = [(timezone.localtime(max(b.starts_at, start)),
              timezone.localtime(min(b.ends_at, end)), b) for b in bookings
             if b.starts_at < end and b.ends_at > start]
    hours = {DAY_START, DAY_END - 1}
    for begins, ends, _booking in local:
        step = begins.replace(minute=0, second=0, microsecond=0)
        while step < ends:  # a booking lasts two weeks at most: a few hundred steps
            hours.add(step.hour)
            step += timedelta(hours=1)
    earliest, latest = min(hours), max(hours) + 1
    rows = []
    for hour in range(earliest, latest):
        cells = []
        for day in days:
            cell_start = timezone.make_aware(datetime.combine(day, time(hour)))
            cell_end = cell_start + timedelta(hours=1)
            cells.append(Cell(start=cell_start, past=cell_end <= now,
                              bookings=[b for begins, ends, b in local
                                        if begins < cell_end and ends > cell_start]))
        rows.append((hour, cells))
    return Week(first=first, days=days, rows=rows)


def week_of(resource, *, first, now=None):
    """The calendar of ``resource`` for the seven days from ``first`` (one query)."""
    start = timezone.make_aware(datetime.combine(first, time()))
    bookings = (resource.bookings.holding()
                .overlapping(start, start + timedelta(days=7))
                .select_related("organisation"))
    return build(list(bookings), first=first, now=now)
