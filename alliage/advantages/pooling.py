"""Pooled resources: bookings without double booking, the owner's approval, the month's
cost split by usage and invoiced when the association owns the resource.

No double booking on either database: a booking is checked against the slots held
(waiting or approved) under the resource's row lock, so two requests for the same slot are
written one after the other and the second is refused.
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.advantages import pricing
from alliage.advantages.models import Booking, SharedResource
from alliage.billing import services as billing
from alliage.core import audit
from alliage.core.mail import queue_email
from alliage.core.roles import is_staff

MAX_HOURS = 24 * 14
MAX_DAYS_AHEAD = 366  # a slot is asked for at most a year ahead (a typed year 2062 is a typo)


class SlotTaken(ValidationError):
    """Another booking holds part of the slot."""


def may_decide(user, resource):
    """The owner decides: its company's admins, or staff for the association's resources
    (staff may always decide)."""
    if is_staff(user):
        return True
    if resource.owner_id is None:
        return False
    from alliage.members.models import Organisation

    return Organisation.objects.administered_by(user).filter(pk=resource.owner_id).exists()


def decidable_by(user):
    """The resources whose bookings ``user`` approves."""
    if is_staff(user):
        return SharedResource.objects.all()
    from alliage.members.models import Organisation

    return SharedResource.objects.filter(owner__in=Organisation.objects.administered_by(user))


def _tell(booking, template, organisation, suffix):
    """Mail ``organisation``'s admins (or, for none, the association's address)."""
    from alliage.advantages.services import admin_contacts
    from alliage.core.models import Association

    if organisation is None:
        address = Association.current().email
        people = [(address, "fr-ca", "office")] if address else []
    else:
        people = [(c.email, c.language, c.pk) for c in admin_contacts(organisation)]
    for address, language, who in people:
        queue_email(key=f"booking-{booking.pk}-{suffix}-{who}", to=address, template=template,
                    language=language, organisation=organisation, context={"booking": booking})


@transaction.atomic
def booking_request(*, resource, organisation, starts_at, ends_at, actor, note="", now=None):
    """Ask for a slot; it waits for the owner (approved at once when the owner books)."""
    now = now or timezone.now()
    resource = SharedResource.objects.select_for_update().get(pk=resource.pk)
    if not resource.is_active:
        raise ValidationError(_("This resource is not offered now."))
    if not organisation.is_member and organisation.pk != resource.owner_id:
        raise PermissionDenied(_("Only member companies in good standing may book."))
    if ends_at <= starts_at:
        raise ValidationError(_("The end must come after the start."))
    if starts_at < now:
        raise ValidationError(_("A booking cannot start in the past."))
    if starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(_("A booking is asked for at most a year ahead."))
    if (ends_at - starts_at).total_seconds() > MAX_HOURS * 3600:
        raise ValidationError(_("A booking lasts at most two weeks."))
    if resource.bookings.holding().overlapping(starts_at, ends_at).exists():
        raise SlotTaken(_("This slot is already booked: choose another time."))
    own = organisation.pk == resource.owner_id
    booking = Booking.objects.create(
        resource=resource, organisation=organisation, starts_at=starts_at, ends_at=ends_at,
        note=note, booked_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=Booking.Status.APPROVED if own else Booking.Status.PENDING)
    audit.record(actor=actor, action="booking.request", obj=booking,
                 changes={"resource": resource.pk, "from": starts_at.isoformat(),
                          "to": ends_at.isoformat()})
    if booking.status == Booking.Status.PENDING:
        _tell(booking, "advantages_booking_requested", resource.owner, "requested")
    return booking


@transaction.atomic
def booking_decide(*, booking, actor, approve):
    booking = Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)
    if not may_decide(actor, booking.resource):
        raise PermissionDenied
    if booking.status != Booking.Status.PENDING:
        raise ValidationError(_("This booking was already decided."))
    booking.status = Booking.Status.APPROVED if approve else Booking.Status.REFUSED
    booking.decided_by = actor
    booking.save(update_fields=["status", "decided_by"])
    audit.record(actor=actor, action="booking.approve" if approve else "booking.refuse",
                 obj=booking)
    _tell(booking, "advantages_booking_decided", booking.organisation, booking.status)
    return booking


@transaction.atomic
def booking_cancel(*, booking, actor, now=None):
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in (Booking.Status.PENDING, Booking.Status.APPROVED):
        raise ValidationError(_("This booking is no longer held."))
    if booking.invoice_id:
        raise ValidationError(_("This booking is already invoiced."))
    if booking.starts_at <= (now or timezone.now()):
        raise ValidationError(_("A booking that started cannot be cancelled."))
    booking.status = Booking.Status.CANCELLED
    booking.save(update_fields=["status"])
    audit.record(actor=actor, action="booking.cancel", obj=booking)
    return booking


def month_bounds(year, month):
    start = timezone.make_aware(datetime.combine(date(year, month, 1), time()))
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return start, timezone.make_aware(datetime.combine(nxt, time()))


def month_split(resource, year, month):
    """{organisation id: (hours, cents)} for the month's approved bookings: the monthly
    cost split in proportion to hours booked, or hours × the price per hour."""
    start, end = month_bounds(year, month)
    hours = {}
    for b in resource.bookings.filter(status=Booking.Status.APPROVED, starts_at__gte=start,
                                      starts_at__lt=end):
        hours[b.organisation_id] = hours.get(b.organisation_id, 0) + b.hours
    if resource.monthly_cost_cents:
        cents = pricing.split_by_usage(resource.monthly_cost_cents,
                                       {k: round(v * 60) for k, v in hours.items()})
    else:
        cents = {k: round(v * resource.hourly_rate_cents) for k, v in hours.items()}
    return {k: (hours[k], cents[k]) for k in hours}


@transaction.atomic
def bill_month(*, resource, year, month, actor):
    """Invoice each company its share of an association-owned resource for one month;
    bookings already invoiced are skipped (idempotent). Returns the invoices made."""
    resource = SharedResource.objects.select_for_update().get(pk=resource.pk)
    if resource.owner_id is not None:
        raise ValidationError(_("The association invoices only its own resources; a "
                                "member owner bills its users itself."))
    start, end = month_bounds(year, month)
    bookings = resource.bookings.filter(status=Booking.Status.APPROVED, starts_at__gte=start,
                                        starts_at__lt=end)
    if bookings.filter(invoice__isnull=False).exists():
        return []
    from alliage.members.models import Organisation

    invoices = []
    for org_id, (hours, cents) in sorted(month_split(resource, year, month).items()):
        if cents <= 0:
            continue
        invoice = billing.invoice_create(
            organisation=Organisation.objects.get(pk=org_id), actor=actor,
            source=f"booking:{resource.pk}:{year}-{month:02d}",
            lines=[billing.Line(_("%(resource)s — %(month)s — %(hours)s h") % {
                "resource": resource.name_fr, "month": f"{year}-{month:02d}",
                "hours": f"{hours:.1f}".replace(".", ",")}, cents)])
        bookings.filter(Q(organisation_id=org_id)).update(invoice=invoice)
        invoices.append(invoice)
    audit.record(actor=actor, action="booking.bill", obj=resource,
                 changes={"month": f"{year}-{month:02d}", "invoices": len(invoices)})
    return invoices
