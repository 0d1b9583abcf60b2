"""Campaign sending in batches: one delivery row per recipient, committed one by one.

A worker killed mid-campaign leaves rows "pending" (never touched) or, for the message it
was sending, "sending"; `tick` resumes the campaign and sends every pending row exactly once.
"""

import time

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from alliage.mailing import consent
from alliage.mailing.models import Campaign, Delivery
from alliage.mailing.render import build


def _fast_commits():
    # Each delivery is committed on its own: on PostgreSQL do not wait for the disk flush
    # (a worker crash keeps what the server has; only a server crash could lose the last
    # few marks, and those messages would go again).
    if db.vendor == "postgresql":
        with db.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


@task(queue_name="mailing")
def send_batch(campaign_id: int) -> str:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None or campaign.status != Campaign.Status.SENDING:
        return "not sending"
    _fast_commits()
    size = min(settings.MAILING_BATCH, settings.MAILING_RATE_PER_MINUTE)
    started = time.monotonic()
    rows = list(campaign.deliveries.filter(status=Delivery.Status.PENDING)
                .select_related("subscriber").order_by("pk")[:size])
    if not rows:
        with transaction.atomic():
            if not campaign.deliveries.filter(status__in=[Delivery.Status.PENDING,
                                                          Delivery.Status.SENDING]).exists():
                Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
                    status=Campaign.Status.SENT, finished_at=timezone.now())
        return "done"
    allowed = consent.valid_addresses([d.subscriber.email for d in rows])
    smtp = get_connection()
    smtp.open()
    sent = 0
    try:
        for n, delivery in enumerate(rows):
            if n % 100 == 99 and Campaign.objects.filter(
                    pk=campaign.pk, status=Campaign.Status.SENDING).count() == 0:
                return "stopped"
            subscriber = delivery.subscriber
            if subscriber.suppressed or subscriber.email not in allowed:
                Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
                    status=Delivery.Status.SKIPPED,
                    error=subscriber.suppressed or "no valid consent")
                continue
            if not Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING
                                           ).update(status=Delivery.Status.SENDING):
                continue            # unsubscribed meanwhile, or taken by another worker
            message, message_id = build(campaign, subscriber, delivery.pk)
            try:
                smtp.send_messages([message])
            except Exception as exc:  # noqa: BLE001 - recorded on the row, never lost
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Delivery.Status.FAILED, error=str(exc)[:300])
                continue
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.SENT, message_id=message_id, sent_at=timezone.now())
            sent += 1
    finally:
        smtp.close()
    # The rate limit: the next batch waits for the rest of the minute.
    _schedule_next(campaign.pk, sent / settings.MAILING_RATE_PER_MINUTE * 60
                   - (time.monotonic() - started))
    return f"sent {sent}"


def _schedule_next(campaign_id, wait):
    if wait > 1 and send_batch.get_backend().supports_defer:
        send_batch.using(run_after=timezone.now() + timezone.timedelta(seconds=wait)).enqueue(
            campaign_id)
    else:
        send_batch.enqueue(campaign_id)


@task(queue_name="mailing")
def send_test(campaign_id: int, email: str, lang: str = "fr") -> str:
    """A test message to one address (not counted, no consent needed: staff asked)."""
    from alliage.mailing.models import Subscriber

    campaign = Campaign.objects.get(pk=campaign_id)
    subscriber = Subscriber.objects.filter(email=email.lower()).first() or Subscriber(
        pk=0, email=email, language=lang)
    message, _id = build(campaign, subscriber, 0, test=True)
    message.send()
    return "sent"
