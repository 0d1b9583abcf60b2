"""Hand-typed ids posted to event forms are ignored, never a 500 (issue #11, item 8)."""

import pytest

from alliage.events import services
from alliage.events.models import Attendance, Session, WaitlistEntry
from tests.conftest import login

BAD_IDS = ["abc", "²", "1.5", "-3", "99999999999999999999", " "]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_waitlist_join_with_a_bad_ticket_type(client, cast, event, bad):
    event.capacity = 0
    event.save()
    login(client, cast.bob)
    response = client.post(f"/activites/{event.slug}/attente/", {"ticket_type": bad})
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get(contact=cast.bob.contact)
    assert entry.ticket_type == event.ticket_types.get()  # the event's default ticket


@pytest.mark.parametrize("bad", BAD_IDS)
def test_attendance_with_bad_registration_ids(client, cast, event, bad):
    registration = services.order_create(
        event=event, buyer=cast.bob.contact, attendees=[cast.bob.contact],
        ticket_type=event.ticket_types.get(), actor=cast.bob).registrations.get()
    session = Session.objects.create(event=event, title="Jour 1", starts_at=event.starts_at,
                                     ends_at=event.ends_at)
    login(client, cast.sam)
    response = client.post(
        f"/gestion/activites/{event.slug}/seances/{session.pk}/presences/",
        {"present": [bad, str(registration.pk)]})
    assert response.status_code == 302
    assert Attendance.objects.get(registration=registration, session=session).present
