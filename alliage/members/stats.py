"""Figures of the members app for the home page, dashboards and the yearly report."""

from django.db.models import Count

from alliage.core.models import Municipality, Park
from alliage.members.models import Organisation


def public_figures():
    """Counts safe to show anyone: members, municipalities and parks covered."""
    members = Organisation.objects.members()
    return {
        "members": members.count(),
        "municipalities": Municipality.objects.filter(
            organisations__in=members).distinct().count(),
        "parks": Park.objects.count(),
    }


def members_by_sector():
    """Member counts per 2-digit SCIAN sector, largest first."""
    rows = (Organisation.objects.members().exclude(primary_sector=None)
            .values("primary_sector__code").annotate(n=Count("pk")))
    totals = {}
    for row in rows:
        top = row["primary_sector__code"][:2]
        totals[top] = totals.get(top, 0) + row["n"]
    return sorted(totals.items(), key=lambda kv: -kv[1])


def membership_year(start, end):
    """Members, newcomers, renewals and lapses for a fiscal period (yearly report)."""
    from alliage.members.models import Membership

    periods = Membership.objects.live().filter(period_start__range=(start, end))
    paid = periods.filter(invoice__status="paid")
    return {
        "members": paid.values("organisation").distinct().count(),
        "new": paid.filter(is_renewal=False).count(),
        "renewed": paid.filter(is_renewal=True).count(),
        "renewals_unpaid": periods.filter(is_renewal=True).exclude(
            invoice__status="paid").count(),
        "by_sector": members_by_sector(),
    }


def for_period(start, end):
    """Members of a period (a paid membership overlapping it), newcomers and renewals among
    the periods starting in it, lapses, and the members by sector and municipality."""
    from alliage.members.models import Membership

    live = Membership.objects.live()
    paid = live.filter(period_start__lte=end, period_end__gte=start, invoice__status="paid")
    starting = live.filter(period_start__range=(start, end))
    members = Organisation.objects.filter(pk__in=paid.values("organisation"))
    from alliage.members.scian_data import parent_code

    sectors = {}
    for code, n in (members.exclude(primary_sector=None).values_list("primary_sector__code")
                    .annotate(n=Count("pk")).order_by()):
        top = parent_code(code[:2] + "0")       # 48-49 and 44-45: one sector each
        sectors[top] = sectors.get(top, 0) + n
    towns = (members.exclude(municipality=None).values_list("municipality__name")
             .annotate(n=Count("pk")).order_by("-n", "municipality__name"))
    return {
        "members": members.count(),
        "new": starting.filter(is_renewal=False, invoice__status="paid").count(),
        "renewed": starting.filter(is_renewal=True, invoice__status="paid").count(),
        "renewals_unpaid": starting.filter(is_renewal=True).exclude(
            invoice__status="paid").count(),
        "lapsed": Membership.objects.filter(status=Membership.Status.LAPSED,
                                            period_end__range=(start, end)).count(),
        "by_sector": sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0])),
        "by_municipality": [list(row) for row in towns],
    }
