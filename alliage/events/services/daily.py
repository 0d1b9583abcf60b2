"""The periodic job (``manage.py events_daily``)."""

from datetime import timedelta

from django.utils import timezone

from alliage.events.models import Event, Registration
from alliage.events.notify import notify_once
from alliage.events.services.registrations import release_unpaid_guest_seats
from alliage.events.services.waitlist import waitlist_expire


def daily_run(*, now=None):
    """The periodic job: expire waitlist offers, send reminders and follow-ups (once each)."""
    now = now or timezone.now()
    summary = {"offers_expired": waitlist_expire(now=now), "reminders": 0, "follow_ups": 0,
               "unpaid_released": release_unpaid_guest_seats(now=now)}
    soon = Registration.objects.filter(
        status=Registration.Status.CONFIRMED, event__status=Event.Status.PUBLISHED,
        event__starts_at__gt=now, event__starts_at__lte=now + timedelta(days=2)
    ).select_related("event", "contact", "order")
    for registration in soon:
        summary["reminders"] += notify_once(registration, "registration_reminder")
    done = Registration.objects.filter(
        status=Registration.Status.CONFIRMED, checked_in_at__isnull=False,
        event__ends_at__lt=now, event__ends_at__gte=now - timedelta(days=3)
    ).select_related("event", "contact", "order")
    for registration in done:
        summary["follow_ups"] += notify_once(registration, "event_follow_up")
    return summary
