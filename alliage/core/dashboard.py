"""The staff dashboard (issue #14, item 9): what waits for a decision today, and a few key
figures with their trend.

Core sits under every app, so the apps are imported inside the functions (at call time,
never at import time): no import cycle, and each rule reads the app's own querysets
(``Email.troubled``, ``Invoice.open``, ``Registration.holding_a_seat``...).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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


@dataclass
class Figure:
    """A key figure now and for the period it is compared with."""

    key: str
    label: str
    value: int
    previous: int
    compared_with: str
    money: bool = False

    @property
    def delta(self):
        return self.value - self.previous

    @property
    def trend(self):
        """'up', 'down' or 'flat' (the page says it in words, not only with an arrow)."""
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "flat"

    @property
    def percent(self):
        """The change in per cent of the previous figure; None when there was nothing."""
        return round(self.delta * 100 / self.previous) if self.previous else None


def _events_items(today):
    from alliage.events.models import Event, Order, Registration, WaitlistEntry

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


def to_decide(today=None):
    """Everything waiting for staff today, in the order the page shows it."""
    from alliage.billing.models import Invoice
    from alliage.core.models import Email
    from alliage.mailing.models import Campaign
    from alliage.members.models import ErasureRequest, Membership
    from alliage.symbiosis.selectors import to_facilitate

    today = today or timezone.localdate()
    items = [
        Decision("applications", _("Membership applications"),
                 Membership.objects.filter(status=Membership.Status.APPLIED).count(),
                 reverse("members:crm_applications"), _("Review the applications")),
        Decision("erasures", _("Erasure requests (Law 25)"),
                 ErasureRequest.objects.filter(status=ErasureRequest.Status.PENDING).count(),
                 reverse("members:erasure_requests"), _("Decide")),
        Decision("emails", _("Unsent email"), Email.objects.troubled().count(),
                 reverse("core:email_outbox"), _("Retry or correct the address")),
        Decision("overdue_invoices", _("Unpaid invoices past due"),
                 Invoice.objects.open().filter(due_on__lt=today).count(),
                 reverse("billing:invoice_list") + "?overdue=on", _("Follow up")),
        *_events_items(today),
        Decision("introductions", _("Symbiosis matches to facilitate"),
                 to_facilitate().count(),
                 reverse("symbiosis:dashboard"), _("Suggest introductions")),
        Decision("campaigns", _("Newsletters scheduled"),
                 Campaign.objects.filter(status=Campaign.Status.SCHEDULED).count(),
                 reverse("mailing:dashboard"), _("Check before they go")),
    ]
    return items


def _years_ago(day, years=1):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _fiscal_start(today):
    from alliage.billing.accounting import FISCAL_YEAR_START_MONTH

    start = date(today.year, FISCAL_YEAR_START_MONTH, 1)
    return start if start <= today else date(today.year - 1, FISCAL_YEAR_START_MONTH, 1)


def key_figures(today=None):
    """Members today against a year ago, dues collected since the start of the fiscal year
    against the same stretch of the previous one, registrations in the last 30 days against
    the 30 before. Like for like: a year-to-date figure is never compared with a whole year."""
    from alliage.billing.models import Payment
    from alliage.events.models import Registration
    from alliage.members.models import Membership

    today = today or timezone.localdate()
    year_ago = _years_ago(today)

    def members_on(day):
        return (Membership.objects.live().current(on=day).filter(invoice__status="paid")
                .values("organisation").distinct().count())

    fiscal = _fiscal_start(today)
    last_fiscal = _years_ago(fiscal)
    dues = Payment.objects.filter(invoice__source__startswith="membership").aggregate(
        now=Sum("amount_cents", filter=Q(received_on__range=(fiscal, today))),
        before=Sum("amount_cents", filter=Q(received_on__range=(last_fiscal, year_ago))))
    now = timezone.now()
    regs = Registration.objects.exclude(status=Registration.Status.REFUSED).aggregate(
        now=Count("pk", filter=Q(created_at__gt=now - timedelta(days=30))),
        before=Count("pk", filter=Q(created_at__gt=now - timedelta(days=60),
                                    created_at__lte=now - timedelta(days=30))))
    return [
        Figure("members", _("Member companies today"), members_on(today), members_on(year_ago),
               _("a year ago")),
        Figure("dues", _("Dues collected this fiscal year"), dues["now"] or 0,
               dues["before"] or 0, _("same date last fiscal year"), money=True),
        Figure("registrations", _("Event registrations, last 30 days"), regs["now"],
               regs["before"], _("the 30 days before")),
    ]


def summary(decisions):
    """The sentence above the list: how many things wait."""
    waiting = sum(d.count for d in decisions)
    if not waiting:
        return _("Nothing waits for a decision today.")
    return ngettext("%(n)s thing waits for a decision today.",
                    "%(n)s things wait for a decision today.", waiting) % {"n": waiting}
