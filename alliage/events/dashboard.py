"""Events' part of the dashboard (core.dashboard): registrations waiting for staff, and the
attendance and training hours of a period (``stats.for_period``; the rows behind them are
the same events, selected here)."""

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliage.core import dashboard
from alliage.core.dashboard import EVENT_ROWS, Decision, Link, Table, Value
from alliage.events import stats
from alliage.events.models import Event, Order, Registration, WaitlistEntry


def decisions(today):
    pending = list(Registration.objects.filter(status=Registration.Status.PENDING)
                   .values("event_id").annotate(n=Count("pk")).order_by())
    seat = [Registration.Status.PENDING, Registration.Status.CONFIRMED]
    # A visitor's order whose payer waits for staff; cancelling the seat leaves the flag set
    # but then there is nothing left to decide.
    review = list(Order.objects.filter(billing_review=True, registrations__status__in=seat)
                  .values("event_id").annotate(n=Count("pk", distinct=True)).order_by())
    offers = list(WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED)
                  .values("event_id").annotate(n=Count("pk")).order_by())
    ids = {r["event_id"] for group in (pending, review, offers) for r in group}
    events = Event.objects.in_bulk(ids) if ids else {}
    staff_list = reverse("events:staff_list")

    def item(key, title, action, rows):
        rows = sorted(rows, key=lambda r: (-r["n"], r["event_id"]))
        shown = [(events[r["event_id"]].title,
                  reverse("events:attendees", args=[events[r["event_id"]].slug]), r["n"])
                 for r in rows[:EVENT_ROWS]]
        url = shown[0][1] if len(shown) == 1 else staff_list
        return Decision(key=key, title=title, count=sum(r["n"] for r in rows), url=url,
                        action=action, rows=shown, more=max(len(rows) - EVENT_ROWS, 0))

    return [
        item("registrations", _("Registrations awaiting approval"), _("Approve or refuse"),
             pending),
        item("guest_billing", _("Visitors' registrations: who pays?"),
             _("Choose who is billed"), review),
        item("waitlist_offers", _("Waitlist seats offered, awaiting an answer"),
             _("Follow the waitlist"), offers),
    ]


def figures(start, end):
    found = stats.for_period(start, end)
    registered, present = found["registrations"], found["present"]
    return [
        Value("events_held", _("Events"), found["events"], drill=True,
              help=_("Events (not drafts) starting in the period.")),
        Value("registrations", _("Confirmed registrations"), registered, drill=True),
        Value("attendance", _("Attendance"), present, drill=True,
              help=_("People checked in at the events of the period.")),
        Value("attendance_rate", _("Attendance rate"),
              round(present * 100 / registered, 1) if registered else None, kind="percent",
              drill=True, help=_("Checked in, out of the confirmed registrations.")),
        Value("training_hours", _("Training hours"), found["training"]["training_hours"],
              kind="number", unit=_("h"), drill=True,
              help=_("Hours on the certificates of the training cohorts starting in the "
                     "period.")),
    ]


def _events(start, end):
    """The events ``stats.per_event`` counts, with their figures (one query)."""
    confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
    return (Event.objects.filter(starts_at__date__range=(start, end))
            .exclude(status=Event.Status.DRAFT)
            .annotate(registered=Count("registrations", filter=confirmed),
                      present=Count("registrations",
                                    filter=Q(registrations__checked_in_at__isnull=False)),
                      hours=Sum("registrations__certificate__hours"))
            .order_by("starts_at", "pk"))


def rows(key, start, end):
    if key not in ("events_held", "registrations", "attendance", "attendance_rate",
                   "training_hours"):
        return None
    found = _events(start, end)
    titles = {"events_held": _("Events"), "registrations": _("Confirmed registrations"),
              "attendance": _("Attendance"), "attendance_rate": _("Attendance rate"),
              "training_hours": _("Training hours")}
    headings = [_("Event"), _("Date"), _("Registered"), _("Checked in")]
    if key == "training_hours":
        found = found.filter(kind=Event.Kind.TRAINING)
        headings.append(_("Certificate hours"))
    return Table(titles[key], headings, [
        [Link(e.title, reverse("events:attendees", args=[e.slug])), e.starts_at.date(),
         e.registered, e.present] + ([e.hours or 0] if key == "training_hours" else [])
        for e in found])


def register():
    dashboard.register_decisions("events", decisions, order=50)
    dashboard.register_figures("events", _("Events and training"), figures, rows=rows,
                               order=30)
