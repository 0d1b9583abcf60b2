"""Event writes, one module per sub-domain: ``capacity`` (seats taken and left, the checks
that an order fits), ``registrations`` (orders, cancellations, staff decisions, unpaid
visitors' seats released), ``waitlist`` (join, leave, offers in turn, expiry, acceptance),
``staff`` (an event saved or cancelled whole) and ``daily`` (the periodic job). Registration
rules: seats are counted under a row lock, so capacity is never exceeded.

The door is in ``events.checkin``, attendance and certificates in ``events.certificates``;
their services are also reachable from here (``services.check_in``...), as callers have
always used them. Everything stays importable from here
(``from alliage.events.services import order_create``)."""

from alliage.events.certificates import (
    attendance_record,
    attended_hours,
    certificate_eligible,
    certificates_issue,
)
from alliage.events.checkin import check_in, desk_admit
from alliage.events.services.capacity import (
    EventFull,
    _active_offers,
    _check_fits,
    _check_sessions,
    _is_member_of,
    _lock,
    seats_left,
    seats_taken,
)
from alliage.events.services.daily import daily_run
from alliage.events.services.registrations import (
    cancellable,
    order_create,
    registration_cancel,
    registration_decide,
    release_unpaid_guest_seats,
)
from alliage.events.services.staff import _unique_slug, event_cancel, event_save
from alliage.events.services.waitlist import (
    waitlist_accept,
    waitlist_expire,
    waitlist_join,
    waitlist_leave,
    waitlist_offer_next,
)

__all__ = [
    "EventFull", "_active_offers", "_check_fits", "_check_sessions", "_is_member_of", "_lock",
    "_unique_slug", "attendance_record", "attended_hours", "cancellable", "certificate_eligible",
    "certificates_issue", "check_in", "daily_run", "desk_admit", "event_cancel", "event_save",
    "order_create", "registration_cancel", "registration_decide", "release_unpaid_guest_seats",
    "seats_left", "seats_taken", "waitlist_accept", "waitlist_expire", "waitlist_join",
    "waitlist_leave", "waitlist_offer_next",
]
