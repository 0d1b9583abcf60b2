"""Advantages' figures for the yearly activity report and dashboards (reports read
``yearly``)."""

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from alliage.advantages import selectors
from alliage.advantages.models import (
    Booking,
    CollectionStop,
    DiscountClaim,
    Enrolment,
    GroupPurchase,
    UsageReport,
)


def yearly(year):
    """Named figures of ``year`` (calendar): uptake, savings (cents), tonnes recovered."""
    return for_period(date(year, 1, 1), date(year, 12, 31))


def for_period(start, end):
    """The same figures between two dates, inclusive (activity report, dashboard)."""
    enrolments = Enrolment.objects.filter(period_start__range=(start, end))
    savings = selectors.savings_by_company(start, end)
    tonnes = selectors.tonnes_by_company(start, end)
    bookings = Booking.objects.filter(status=Booking.Status.APPROVED,
                                      starts_at__date__range=(start, end))
    users = (set(enrolments.values_list("organisation", flat=True)) | set(savings)
             | set(tonnes) | set(bookings.values_list("organisation", flat=True))
             | set(DiscountClaim.objects.filter(claimed_at__date__range=(start, end))
                   .values_list("organisation", flat=True)))
    from alliage.members.models import Organisation

    names = dict(Organisation.objects.filter(pk__in=set(savings) | set(tonnes))
                 .values_list("pk", "legal_name"))
    return {
        "companies_using_advantages": len(users),
        "enrolments": enrolments.count(),
        "employees_covered": enrolments.aggregate(n=Sum("employees"))["n"] or 0,
        "enrolment_revenue_cents": enrolments.aggregate(c=Sum("price_cents"))["c"] or 0,
        "plan_sessions": UsageReport.objects.filter(year__range=(start.year, end.year))
        .aggregate(s=Sum("sessions"))["s"] or 0,
        "discount_claims": DiscountClaim.objects.filter(claimed_at__date__range=(start, end))
        .count(),
        "group_purchases_closed": GroupPurchase.objects.filter(
            status=GroupPurchase.Status.CLOSED, closed_at__date__range=(start, end)).count(),
        "savings_cents": sum(savings.values()),
        "savings_by_member": sorted(({"organisation": names.get(k, ""), "cents": v}
                                     for k, v in savings.items()), key=lambda r: -r["cents"]),
        "bookings": bookings.count(),
        "hours_booked": round(sum(b.hours for b in bookings), 1),
        "collection_rounds": CollectionStop.objects.filter(round__date__range=(start, end))
        .values("round").distinct().count(),
        "tonnes_recovered": round(sum(tonnes.values()), 3),
        **{f"collection_{k}": v for k, v in collection_impacts(start, end).items()},
        "tonnes_by_member": sorted(({"organisation": names.get(k, ""), "tonnes": round(v, 3)}
                                    for k, v in tonnes.items()), key=lambda r: -r["tonnes"]),
    }


# The virgin material a collected one replaces (symbiosis' cited impact factors).
VIRGIN = {"cardboard": "virgin-cardboard", "metals": "virgin-steel", "wood": "virgin-wood",
          "pallets": "virgin-wood"}


def collection_impacts(start, end):
    """Tonnes collected per material and the CO2e avoided (t), with symbiosis' cited factors:
    landfill avoided plus the virgin material replaced (plastics: landfill only). The
    collector's truck is not deducted (rounds carry several materials' worth of stops)."""
    from alliage.symbiosis.services import factor

    kg = dict(CollectionStop.objects.filter(weight_kg__isnull=False,
                                            round__date__range=(start, end))
              .values_list("round__material").annotate(kg=Sum("weight_kg")))
    landfill = factor("landfill")
    out = {"tonnes_by_material": {}, "co2e_t": Decimal(0)}
    for material, weight in sorted(kg.items()):
        tonnes = weight / 1000
        out["tonnes_by_material"][material] = round(tonnes, 3)
        virgin = factor(VIRGIN[material]) if material in VIRGIN else Decimal(0)
        out["co2e_t"] += tonnes * (landfill + virgin) / 1000
    out["co2e_t"] = out["co2e_t"].quantize(Decimal("0.01"))
    return out


def by_program(on=None):
    """Uptake per program now (staff page and dashboards)."""
    rows, _discounts = selectors.uptake(on)
    return [{"program": r["advantage"].name, "companies": r["companies"],
             "employees": r["employees"], "hours_included": r["hours_included"],
             "sessions": r["sessions"]} for r in rows]

