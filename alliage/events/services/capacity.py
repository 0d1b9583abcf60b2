"""Seats: how many are taken and left, and the checks that an order fits (capacity, ticket
quota, capped sessions). Counted under the event's row lock (``_lock``) where it decides.

Seats taken = registrations holding a seat (pending or confirmed) + waitlist offers not
yet expired."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.events.models import Event, Registration, WaitlistEntry


class EventFull(ValidationError):
    """Not enough seats left for the whole order."""


def _active_offers(event, now):
    return event.waitlist.filter(status=WaitlistEntry.Status.OFFERED, offer_expires_at__gt=now)


def seats_taken(event, now=None, ticket_type=None):
    now = now or timezone.now()
    regs = Registration.objects.holding_a_seat().filter(event=event)
    offers = _active_offers(event, now)
    if ticket_type is not None:
        regs, offers = regs.filter(ticket_type=ticket_type), offers.filter(ticket_type=ticket_type)
    return regs.count() + offers.count()


def seats_left(event, now=None):
    """Seats still free (None when the event has no limit)."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - seats_taken(event, now))


def _is_member_of(organisation):
    return organisation is not None and organisation.is_member


def _check_fits(event, ticket_type, count, figures, *, exclude_offer=None):
    """Raise EventFull unless ``count`` more seats fit (0: check what is already written)."""
    taken = figures["taken"] - (1 if exclude_offer else 0)
    if event.capacity is not None and taken + count > event.capacity:
        raise EventFull(_("Not enough seats: left %(left)s, asked %(asked)s.")
                        % {"left": max(0, event.capacity - taken), "asked": count})
    if ticket_type.quota is not None:
        used = figures["type_taken"] - (1 if exclude_offer else 0)
        if used + count > ticket_type.quota:
            raise EventFull(_("No more tickets of this type."))


def _check_sessions(event, chosen, adding, figures):
    """Raise EventFull when a chosen session (or every session, for "all") is full.

    A registration with no session chosen attends every session. Nothing to count when no
    session of the event has a capacity of its own."""
    from django.db.models import Q

    if not figures["capped_sessions"]:
        return
    targets = chosen or list(event.sessions.filter(capacity__isnull=False))
    for session in targets:
        if session.capacity is None:
            continue
        held = (Registration.objects.holding_a_seat().filter(event=event)
                .filter(Q(sessions=session) | Q(sessions__isnull=True)).distinct().count())
        if held + adding > session.capacity:
            raise EventFull(_("The session “%(title)s” is full.") % {"title": session.title})


def _lock(event):
    return Event.objects.select_for_update().get(pk=event.pk)
