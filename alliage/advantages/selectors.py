"""Reads shared by the advantages pages, the API, stats and hooks."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from alliage.advantages.models import (
    Advantage,
    Booking,
    CollectionStop,
    CollectionSubscription,
    DiscountClaim,
    Enrolment,
    GroupPurchase,
    Pledge,
)

# A company may renew ahead (and change its employee count) in the last 60 days.
RENEWABLE_DAYS = 60


def acting_company(user):
    """The member company a member-company admin acts for (the first they manage that is
    a member), or None."""
    from alliage.members.models import Organisation

    return (Organisation.objects.administered_by(user).members().order_by("legal_name", "pk")
            .first())


def member_company(user):
    """The member company of any of its people (for discounts), or None."""
    from alliage.members.models import Organisation

    return Organisation.objects.of_user(user).members().order_by("legal_name", "pk").first()


def industrial_visits(user, limit=6):
    """Coming industrial visits the viewer may see (events of the visit kind)."""
    from alliage.events.models import Event

    return list(Event.objects.visible_to(user).upcoming().filter(kind=Event.Kind.VISIT)
                .select_related("municipality")[:limit])


def uptake(on=None):
    """Per program: companies enrolled now, employees covered, hours included (employees
    and spouses), the provider's sessions reported in total."""
    on = on or timezone.localdate()
    current = Q(enrolments__status=Enrolment.Status.ACTIVE,
                enrolments__period_start__lte=on, enrolments__period_end__gte=on)
    programs = (Advantage.objects.filter(kind=Advantage.Kind.PROGRAM)
                .annotate(companies=Count("enrolments__organisation", filter=current,
                                          distinct=True),
                          employees=Sum("enrolments__employees", filter=current))
                .order_by("name_fr"))
    sessions = dict(Advantage.objects.values_list("pk").annotate(s=Sum("usage_reports__sessions")))
    claims = dict(Advantage.objects.values_list("pk").annotate(c=Count("claims")))
    rows = []
    for a in programs:
        employees = a.employees or 0
        rows.append({"advantage": a, "companies": a.companies, "employees": employees,
                     "hours_included": employees * (a.hours_employee + a.hours_spouse),
                     "sessions": sessions.get(a.pk) or 0})
    discounts = [{"advantage": a, "claims": claims.get(a.pk) or 0}
                 for a in Advantage.objects.filter(kind=Advantage.Kind.DISCOUNT)]
    return rows, discounts


def tonnes_by_company(start=None, end=None):
    """{organisation id: tonnes} collected (rounds dated within [start, end])."""
    stops = CollectionStop.objects.filter(weight_kg__isnull=False)
    if start:
        stops = stops.filter(round__date__gte=start)
    if end:
        stops = stops.filter(round__date__lte=end)
    return {k: (v or Decimal(0)) / 1000 for k, v in
            stops.values_list("organisation").annotate(kg=Sum("weight_kg"))}


def company_summary(org):
    """What ``org`` uses and saves ("Mes avantages")."""
    today = timezone.localdate()
    pledges = list(Pledge.objects.filter(organisation=org, quantity__gt=0)
                   .select_related("purchase").order_by("-purchase__deadline"))
    saving = sum(p.saving_cents for p in pledges)
    kg = (CollectionStop.objects.filter(organisation=org, weight_kg__isnull=False)
          .aggregate(kg=Sum("weight_kg"))["kg"] or Decimal(0))
    renewable = set(Enrolment.objects.filter(
        organisation=org, status=Enrolment.Status.ACTIVE, renewal__isnull=True,
        period_end__gte=today, period_end__lte=today + timedelta(days=RENEWABLE_DAYS))
        .values_list("pk", flat=True))
    renewed = set(Enrolment.objects.filter(organisation=org, renewal__isnull=False,
                                            period_end__gte=today).values_list("pk", flat=True))
    return {
        "renewable": renewable, "renewed": renewed,
        "enrolments": Enrolment.objects.filter(organisation=org, period_end__gte=today)
        .select_related("advantage", "invoice").order_by("advantage__name_fr", "period_start"),
        "pledges": pledges, "saving_cents": saving,
        "bookings": Booking.objects.filter(organisation=org).select_related("resource")
        .order_by("-starts_at")[:20],
        "subscriptions": CollectionSubscription.objects.filter(organisation=org, is_active=True),
        "tonnes": kg / 1000,
        "claims": DiscountClaim.objects.filter(organisation=org).select_related("advantage")
        .order_by("-claimed_at")[:20],
    }


def savings_by_company(start=None, end=None):
    """{organisation id: cents saved} on group purchases closed within [start, end]."""
    closed = Pledge.objects.filter(purchase__status=GroupPurchase.Status.CLOSED, quantity__gt=0)
    if start:
        closed = closed.filter(purchase__closed_at__date__gte=start)
    if end:
        closed = closed.filter(purchase__closed_at__date__lte=end)
    out = defaultdict(int)
    for org_id, saving in closed.values_list("organisation").annotate(
            s=Sum((F("purchase__list_price_cents") - F("unit_price_cents")) * F("quantity"))):
        out[org_id] += saving or 0
    return dict(out)
