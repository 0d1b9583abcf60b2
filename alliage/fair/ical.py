"""A participant's agenda as iCalendar (RFC 5545), like the events' feeds (events.ical)."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent


def agenda_calendar(fair, rows, url):
    """``rows`` from ``selectors.agenda``: one VEVENT per meeting, stable UIDs."""
    cal = Calendar()
    cal.add("prodid", "-//Alliage//Fair//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", fair.title)
    host = settings.SITE_URL.split("//")[-1]
    for row in rows:
        other = row["other"]
        who = other.contact.full_name
        if other.organisation_id:
            who += f" — {other.organisation.display_name}"
        item = VEvent()
        item.add("uid", f"fair-meeting-request-{row['meeting'].request_id}@{host}")
        item.add("dtstamp", timezone.now())
        item.add("dtstart", row["starts"])
        item.add("dtend", row["ends"])
        item.add("summary", f"{fair.title} : {who}")
        item.add("location", f"Table {row['table']}")
        item.add("description", row["reason"])
        item.add("url", url)
        cal.add_component(item)
    return cal.to_ical()
