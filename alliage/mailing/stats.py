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
