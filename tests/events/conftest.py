from datetime import timedelta

import pytest
from django.utils import timezone

from alliage.events.models import Event, TicketType


def make_event(**changes):
    start = timezone.now() + timedelta(days=20)
    values = {"kind": "networking", "title_fr": "5@7 réseautage", "slug": "cinq-a-sept",
              "status": "published", "starts_at": start, "ends_at": start + timedelta(hours=2),
              "venue_name": "Hôtel Chicoutimi", "capacity": 3}
    values.update(changes)
    event = Event.objects.create(**values)
    TicketType.objects.create(event=event, name_fr="Entrée", member_price_cents=4000,
                              public_price_cents=6000)
    return event


@pytest.fixture
def event(cast):
    return make_event()
