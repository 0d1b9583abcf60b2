"""The day before the meetings, each participant gets their agenda by email (once per
version of their agenda: a schedule placed again after the mail sends the new one)."""

import hashlib
from datetime import timedelta

from django.utils import timezone

from alliage.core.mail import queue_email
from alliage.core.models import Email
from alliage.fair import selectors
from alliage.fair.models import Fair, Participant


def agenda_reminders(now=None):
    """Queue the agenda mail of every participant with meetings in the next 24 hours;
    return how many were queued (an agenda already sent is not sent again)."""
    now = now or timezone.now()
    fairs = Fair.objects.published().filter(meetings_start__gt=now,
                                            meetings_start__lte=now + timedelta(hours=24))
    queued = 0
    for fair in fairs:
        people = (Participant.objects.filter(fair=fair, seats__isnull=False).distinct()
                  .select_related("contact", "fair"))
        for participant in people:
            rows = selectors.agenda(participant)
            contact = participant.contact
            if not rows or not contact.email:
                continue
            version = hashlib.sha256(repr([(r["meeting"].pk, r["slot"], r["table"])
                                           for r in rows]).encode()).hexdigest()[:12]
            key = f"fair-agenda:{participant.pk}:{version}"
            if Email.objects.filter(key=key).exists():
                continue
            queue_email(
                key=key, to=contact.email,
                template="fair_agenda", language=contact.language,
                context={"fair": fair, "rows": rows, "contact": contact,
                         "agenda_path": f"/salon/{fair.slug}/agenda/"})
            queued += 1
    return queued
