"""What advantages add to the CRM: timeline entries and an engagement part."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliage.core.money import format_money
from alliage.members import engagement, timeline


@timeline.register
def _advantages(org):
    from alliage.advantages.models import Booking, CollectionStop, Enrolment, Pledge

    for e in Enrolment.objects.filter(organisation=org).select_related("advantage")[:50]:
        yield timeline.TimelineEntry(e.created_at, "advantage", ngettext(
            "Enrolled in %(program)s for %(n)s employee (%(start)s → %(end)s)",
            "Enrolled in %(program)s for %(n)s employees (%(start)s → %(end)s)",
            e.employees) % {
            "program": e.advantage.name, "n": e.employees, "start": e.period_start,
            "end": e.period_end})
    for p in Pledge.objects.filter(organisation=org).select_related("purchase")[:50]:
        text = _("Pledged %(q)s %(unit)s to the group purchase %(title)s") % {
            "q": p.quantity, "unit": p.purchase.unit, "title": p.purchase.title}
        if p.unit_price_cents is not None:
            text += " — " + _("saving %(s)s") % {"s": format_money(p.saving_cents)}
        yield timeline.TimelineEntry(p.updated_at, "advantage", text)
    for b in Booking.objects.filter(organisation=org).select_related("resource")[:50]:
        yield timeline.TimelineEntry(b.created_at, "advantage", _(
            "Booked %(resource)s on %(date)s (%(status)s)") % {
            "resource": b.resource.name, "date": b.starts_at.date(),
            "status": b.get_status_display()})
    for s in (CollectionStop.objects.filter(organisation=org, weight_kg__isnull=False)
              .select_related("round")[:50]):
        yield timeline.TimelineEntry(s.weighed_at or s.round.created_at, "advantage", _(
            "Collection of %(material)s: %(kg)s kg") % {
            "material": s.round.get_material_display(), "kg": s.weight_kg})


TWO_YEARS = timedelta(days=730)


def _programs_used(org, today):
    """Distinct advantages (programs, purchases, bookings, collection) used in two years."""
    from alliage.advantages.models import Booking, CollectionStop, Enrolment, Pledge

    since = today - TWO_YEARS
    used = Enrolment.objects.filter(organisation=org, period_end__gte=since).values(
        "advantage").distinct().count()
    used += Pledge.objects.filter(organisation=org, quantity__gt=0,
                                  purchase__deadline__date__gte=since).count()
    used += int(Booking.objects.filter(organisation=org, status="approved",
                                       starts_at__date__gte=since).exists())
    used += int(CollectionStop.objects.filter(organisation=org,
                                              round__date__gte=since).exists())
    return used


@engagement.batch
def _count_for_many(organisations, today):
    """The advantages used by many organisations in four queries (the at-risk list)."""
    from django.db.models import Count

    from alliage.advantages.models import Booking, CollectionStop, Enrolment, Pledge

    ids = [o.pk for o in organisations]
    since = today - TWO_YEARS
    used = dict(Enrolment.objects.filter(organisation__in=ids, period_end__gte=since)
                .values_list("organisation").annotate(n=Count("advantage", distinct=True)))
    pledges = dict(Pledge.objects.filter(organisation__in=ids, quantity__gt=0,
                                         purchase__deadline__date__gte=since)
                   .values_list("organisation").annotate(n=Count("id")))
    booked = set(Booking.objects.filter(organisation__in=ids, status="approved",
                                        starts_at__date__gte=since)
                 .values_list("organisation", flat=True))
    collected = set(CollectionStop.objects.filter(organisation__in=ids, round__date__gte=since)
                    .values_list("organisation", flat=True))
    for org in organisations:
        org._engagement_counts["advantages"] = (
            used.get(org.pk, 0) + pledges.get(org.pk, 0) + int(org.pk in booked)
            + int(org.pk in collected))


@engagement.part
def _advantages_part(org, today):
    used = engagement.counted(org, "advantages", lambda: _programs_used(org, today))
    if not used:
        return None
    points = min(15, 5 * used)
    return engagement.Part("advantages", points, _(
        "Member advantages used in two years: %(n)s (+%(p)s)") % {"n": used, "p": points})
