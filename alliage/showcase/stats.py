"""Showcase figures for the staff page and the yearly activity report: products, points of
sale, requests for quotes (sent, answered, how fast, won locally), and the supplier
searches that found nobody (what the region lacks)."""

from datetime import date, datetime, time
from statistics import median

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from alliage.showcase.models import PointOfSale, Product, Quote, QuoteRequest, SupplierSearch


def _bounds(start, end):
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end, time.max), tz))


def requests(start, end):
    """Requests sent between ``start`` and ``end`` (dates, inclusive) and their quotes."""
    low, high = _bounds(start, end)
    sent = QuoteRequest.objects.sent().filter(sent_at__range=(low, high))
    quotes = Quote.objects.filter(request__in=sent)
    delays = [(a - s).total_seconds() / 3600 for a, s in quotes.filter(
        answered_at__isnull=False, status__in=[Quote.Status.ANSWERED, Quote.Status.WON,
                                               Quote.Status.LOST])
        .values_list("answered_at", "request__sent_at")]
    counts = quotes.aggregate(
        asked=Count("pk"),
        answered=Count("pk", filter=Q(price_cents__isnull=False)),
        declined=Count("pk", filter=Q(status=Quote.Status.DECLINED)),
        won=Count("pk", filter=Q(status=Quote.Status.WON)),
        won_cents=Sum("price_cents", filter=Q(status=Quote.Status.WON)))
    statuses = dict(sent.values_list("status").annotate(n=Count("pk")))
    return {
        "requests_sent": sum(statuses.values()),
        "requests_awarded": statuses.get(QuoteRequest.Status.AWARDED, 0),
        "requests_closed": statuses.get(QuoteRequest.Status.CLOSED, 0),
        "requests_open": statuses.get(QuoteRequest.Status.OPEN, 0),
        "suppliers_asked": counts["asked"],
        "quotes_answered": counts["answered"],
        "quotes_declined": counts["declined"],
        # Every supplier the finder offers is a member of the region: a win is local.
        "quotes_won_locally": counts["won"],
        "won_amount_cents": counts["won_cents"] or 0,        # before taxes
        "response_rate": round((counts["answered"] + counts["declined"]) / counts["asked"], 3)
        if counts["asked"] else None,
        "median_response_hours": round(median(delays), 1) if delays else None,
    }


def searches(start, end, *, top=10):
    """Finder searches, and the needs most often left without any supplier."""
    low, high = _bounds(start, end)
    rows = SupplierSearch.objects.filter(created_at__range=(low, high))
    # Grouped by the folded words; shown as one of the ways people typed them (accents kept).
    empty = (rows.filter(results=0).values("folded").annotate(n=Count("pk"), typed=Max("query"))
             .order_by("-n", "folded")[:top])
    return {"searches": rows.count(), "searches_without_results": rows.filter(results=0).count(),
            "unmet_needs": [{"need": r["typed"], "count": r["n"]} for r in empty]}


def catalogue(on=None):
    """What the public catalogue shows now (or created up to ``on``)."""
    products = Product.objects.public()
    if on is not None:
        products = products.filter(created_at__date__lte=on)
    return {"products": products.count(),
            "products_made_in_region": products.filter(made_in_region=True).count(),
            "suppliers_with_products": products.values("organisation").distinct().count(),
            "points_of_sale": PointOfSale.objects.public().count()}


def yearly(year):
    """The year's figures for the activity report (calendar year)."""
    return {"year": year, **for_period(date(year, 1, 1), date(year, 12, 31))}


def for_period(start, end):
    """Catalogue at ``end``, requests and searches between two dates (inclusive)."""
    return {**catalogue(on=end), **requests(start, end), **searches(start, end)}
