"""Communications figures: subscriber growth per list, campaigns (yearly report)."""

from datetime import date

from django.db.models import Count

from alliage.core import charts


def growth(months=24, today=None):
    """Active subscribers per list at the end of each of the last `months` months."""
    from alliage.mailing.models import MailingList, Subscription

    today = today or date.today()
    ends = []
    y, m = today.year, today.month
    for _ in range(months):
        ends.append(date(y, m, 1))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    ends.reverse()
    out = {}
    for mailing_list in MailingList.objects.all():
        rows = list(Subscription.objects.filter(mailing_list=mailing_list,
                                                confirmed_at__isnull=False)
                    .values_list("confirmed_at", "ended_at"))
        series = []
        for end in ends:
            series.append(sum(1 for start, stop in rows
                              if start.date() < end and (stop is None or stop.date() >= end)))
        out[mailing_list.name] = list(zip(ends, series, strict=True))
    return out


def growth_svg():
    """The growth chart, drawn once per day and state of the subscriptions (matplotlib costs
    about a second on a cold process; the dashboard must not)."""
    from django.db.models import Max

    from alliage.mailing.models import MailingList, Subscription

    state = Subscription.objects.aggregate(n=Count("pk"), last=Max("pk"),
                                           ended=Max("ended_at"), confirmed=Max("confirmed_at"))
    fingerprint = "|".join(str(v) for v in (
        date.today(), *state.values(), *MailingList.objects.values_list("pk", "name_fr",
                                                                        "name_en")))
    return charts.cached_svg("mailing:growth-svg:", fingerprint, _draw_growth)


def _draw_growth():
    data = growth()
    fig, ax = charts.pyplot().subplots(figsize=(7, 3), dpi=100)
    for name, series in data.items():
        ax.plot([d for d, _n in series], [n for _d, n in series], label=name)
    if data:
        ax.legend(fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.autofmt_xdate()
    return charts.figure_svg(fig)


def campaigns(start, end):
    from alliage.mailing.models import Campaign, Delivery

    sent = Campaign.objects.filter(status=Campaign.Status.SENT,
                                   finished_at__date__range=(start, end))
    return {"campaigns": sent.count(),
            "messages": Delivery.objects.filter(campaign__in=sent,
                                                status=Delivery.Status.SENT).count(),
            "by_status": dict(Delivery.objects.filter(campaign__in=sent).values_list(
                "status").annotate(n=Count("id")).values_list("status", "n"))}


def subscribers_on(day):
    """People subscribed to at least one list at the end of ``day``."""
    from django.db.models import Q

    from alliage.mailing.models import Subscription

    return (Subscription.objects.filter(confirmed_at__date__lte=day)
            .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gt=day))
            .values("subscriber").distinct().count())


def for_period(start, end):
    """Newsletters sent between two dates, messages, bounce rate, subscriber growth, and the
    news and press releases published."""
    from datetime import timedelta

    from alliage.mailing.models import Campaign, Delivery, Post

    sent = list(Campaign.objects.filter(status=Campaign.Status.SENT,
                                        finished_at__date__range=(start, end))
                .order_by("finished_at").values_list("finished_at", "subject_fr"))
    deliveries = dict(Delivery.objects.filter(
        campaign__status=Campaign.Status.SENT, campaign__finished_at__date__range=(start, end))
        .values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    messages = deliveries.get(Delivery.Status.SENT, 0)
    bounced = deliveries.get("bounced", 0)
    posts = dict(Post.objects.filter(published_at__date__range=(start, end))
                 .values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    before, after = subscribers_on(start - timedelta(days=1)), subscribers_on(end)
    return {"campaigns": len(sent), "messages": messages,
            "bounce_rate": round(bounced / (messages + bounced), 3) if messages + bounced
            else None,
            "first_campaign": sent[0][0].date() if sent else None,
            "campaigns_by_month": _by_month(d for d, _s in sent),
            "subscribers_start": before, "subscribers_end": after,
            "subscriber_growth": after - before,
            "news": posts.get(Post.Kind.NEWS, 0), "press_releases": posts.get(Post.Kind.PRESS, 0)}


def _by_month(datetimes):
    months = {}
    for moment in datetimes:
        key = moment.date().replace(day=1).isoformat()
        months[key] = months.get(key, 0) + 1
    return sorted(months.items())
