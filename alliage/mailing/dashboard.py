"""Mailing's part of the dashboard (core.dashboard): newsletters scheduled, to check before
they go; subscriber growth and the bounce rate of a period (``stats.for_period``; the rows
behind them are selected here with the same definitions)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliage.core import dashboard
from alliage.core.dashboard import Decision, Link, Table, Value
from alliage.mailing import stats
from alliage.mailing.models import Campaign, Delivery, Subscription


def decisions(today):
    return [Decision("campaigns", _("Newsletters scheduled"),
                     Campaign.objects.filter(status=Campaign.Status.SCHEDULED).count(),
                     reverse("mailing:dashboard"), _("Check before they go"))]


def figures(start, end):
    found = stats.for_period(start, end)
    rate = found["bounce_rate"]
    return [
        Value("subscribers", _("Newsletter subscribers"), found["subscribers_end"],
              help=_("People subscribed to at least one list on the last day.")),
        Value("subscriber_growth", _("Subscriber growth"), found["subscriber_growth"],
              drill=True, help=_("Subscribers on the last day minus those the day before "
                                 "the period.")),
        Value("campaigns_sent", _("Newsletters sent"), found["campaigns"], drill=True),
        Value("bounce_rate", _("Bounce rate"), round(rate * 100, 1) if rate is not None
              else None, kind="percent", drill=True, lower_is_better=True,
              help=_("Bounced messages, out of those sent and bounced.")),
    ]


def _subscribed_on(day):
    return set(Subscription.objects.filter(confirmed_at__date__lte=day)
               .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gt=day))
               .values_list("subscriber__email", flat=True))


def rows(key, start, end):
    if key == "subscriber_growth":
        before, after = _subscribed_on(start - timedelta(days=1)), _subscribed_on(end)
        joined, left = sorted(after - before), sorted(before - after)
        return Table(_("Subscriber growth"), [_("Email"), _("Joined or left")],
                     [[email, "+1"] for email in joined] + [[email, "−1"] for email in left])
    if key in ("campaigns_sent", "bounce_rate"):
        sent = (Campaign.objects.filter(status=Campaign.Status.SENT,
                                        finished_at__date__range=(start, end))
                .annotate(sent=Count("deliveries", filter=Q(
                    deliveries__status=Delivery.Status.SENT)),
                    bounced=Count("deliveries", filter=Q(
                        deliveries__status=Delivery.Status.BOUNCED)))
                .order_by("finished_at", "pk"))
        title = _("Newsletters sent") if key == "campaigns_sent" else _("Bounce rate")
        return Table(title, [_("Newsletter"), _("Sent on"), _("Messages"), _("Bounced")],
                     [[Link(c.title, reverse("mailing:campaign", args=[c.pk])),
                       c.finished_at.date(), c.sent, c.bounced] for c in sent])
    return None


def register():
    dashboard.register_decisions("mailing", decisions, order=70)
    dashboard.register_figures("mailing", _("Newsletter"), figures, rows=rows, order=40)
