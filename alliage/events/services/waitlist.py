"""The waitlist: joining and leaving it, seats offered in turn for a limited time, offers
expiring, an offer accepted (an order for one)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.core.mail import queue_email
from alliage.events.models import Event, Registration, WaitlistEntry
from alliage.events.services.capacity import _lock, seats_left


@transaction.atomic
def waitlist_join(*, event, ticket_type, contact):
    if Registration.objects.holding_a_seat().filter(event=event, contact=contact).exists():
        raise ValidationError(_("You are already registered."))
    entry, _created = WaitlistEntry.objects.get_or_create(
        event=event, contact=contact, status__in=["waiting", "offered"],
        defaults={"ticket_type": ticket_type, "status": WaitlistEntry.Status.WAITING})
    return entry


def waitlist_leave(*, entry):
    WaitlistEntry.objects.filter(pk=entry.pk, status__in=["waiting", "offered"]).update(
        status=WaitlistEntry.Status.LEFT)
    waitlist_offer_next(event=entry.event)


@transaction.atomic
def waitlist_offer_next(*, event, now=None):
    """Offer free seats to the next people in line, each for a limited time."""
    now = now or timezone.now()
    event = _lock(event)
    offered = []
    while True:
        left = seats_left(event, now)
        if left is not None and left <= 0:
            break
        entry = event.waitlist.filter(status=WaitlistEntry.Status.WAITING).order_by(
            "joined_at", "pk").select_for_update().first()
        if entry is None:
            break
        entry.status = WaitlistEntry.Status.OFFERED
        entry.offered_at = now
        entry.offer_expires_at = now + timedelta(hours=event.waitlist_offer_hours)
        entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
        if entry.contact.email:
            queue_email(key=f"waitlist-offer:{entry.pk}", to=entry.contact.email,
                        template="waitlist_offer", language=entry.contact.language,
                        context={"entry": entry, "event": event,
                                 "accept_path": reverse("events:waitlist_accept",
                                                        args=[entry.token])})
        offered.append(entry)
    return offered


def waitlist_expire(*, now=None):
    """The periodic job: end offers past their deadline and offer the seats again."""
    now = now or timezone.now()
    expired = WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED,
                                           offer_expires_at__lte=now)
    events = {e.event_id for e in expired}
    count = expired.update(status=WaitlistEntry.Status.EXPIRED)
    for event in Event.objects.filter(pk__in=events):
        waitlist_offer_next(event=event, now=now)
    return count


@transaction.atomic
def waitlist_accept(*, entry, actor=None, organisation=None):
    entry = WaitlistEntry.objects.select_for_update().select_related("event", "ticket_type",
                                                                     "contact").get(pk=entry.pk)
    if entry.status != WaitlistEntry.Status.OFFERED or entry.offer_expires_at <= timezone.now():
        raise ValidationError(_("This offer is no longer valid."))
    # Imported here: registrations imports this module (a cancelled seat is offered on).
    from alliage.events.services.registrations import order_create

    order = order_create(event=entry.event, ticket_type=entry.ticket_type, buyer=entry.contact,
                         attendees=[entry.contact], organisation=organisation, actor=actor,
                         exclude_offer=entry)
    entry.status = WaitlistEntry.Status.ACCEPTED
    entry.save(update_fields=["status"])
    return order
