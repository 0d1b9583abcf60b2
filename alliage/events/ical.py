"""iCalendar (RFC 5545) feeds of events."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent


def calendar_for(events, name):
    cal = Calendar()
    cal.add("prodid", "-//Alliage//Events//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    host = settings.SITE_URL.split("//")[-1]
    for event in events:
        item = VEvent()
        item.add("uid", f"event-{event.pk}@{host}")
        item.add("dtstamp", timezone.now())
        item.add("dtstart", event.starts_at)
        item.add("dtend", event.ends_at)
        item.add("summary", event.title)
        if event.description:
            item.add("description", event.description)
        location = ", ".join(x for x in (event.venue_name, event.venue_address) if x)
        if location:
            item.add("location", location)
        item.add("url", settings.SITE_URL + event.get_absolute_url())
        if event.status == event.Status.CANCELLED:
            item.add("status", "CANCELLED")
        cal.add_component(item)
    return cal.to_ical()
