"""The daily run: listings expire unless confirmed; owners are reminded first (idempotent).
An expired listing's matches are marked stale, never deleted (see ``refresh``)."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliage.core.mail import queue_email
from alliage.symbiosis.models import Stream
from alliage.symbiosis.refresh import match_stream_now

REMIND_DAYS = 30


def daily_run(now=None):
    from django.conf import settings

    from alliage.symbiosis.selectors import admin_contacts

    now = now or timezone.now()
    expired = 0
    for stream in Stream.objects.published().filter(expires_at__lte=now):
        with transaction.atomic():
            Stream.objects.filter(pk=stream.pk).update(status=Stream.Status.EXPIRED)
            match_stream_now(stream.pk)     # its matches turn stale, introductions stay
        expired += 1
    reminded = 0
    due = Stream.objects.published().filter(
        expires_at__lte=now + timedelta(days=REMIND_DAYS), reminded_at__isnull=True)
    for stream in due.select_related("organisation"):
        admins = admin_contacts(stream.organisation)
        for contact in admins:
            queue_email(key=f"stream-expiry:{stream.pk}:{stream.expires_at:%Y%m%d}:"
                            f"{contact.pk}",
                        to=contact.email, template="stream_expiry", language=contact.language,
                        organisation=stream.organisation,
                        context={"stream": stream, "url": settings.SITE_URL
                                 + reverse("symbiosis:stream", args=[stream.pk])})
        Stream.objects.filter(pk=stream.pk).update(reminded_at=now)
        reminded += 1
    return {"expired": expired, "reminded": reminded}
