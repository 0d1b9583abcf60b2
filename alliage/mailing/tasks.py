"""Campaign sending in batches: one delivery row per recipient, committed one by one.

A worker killed mid-campaign leaves rows "pending" (never touched) or, for the message it
was sending, "sending"; `tick` resumes the campaign and sends every pending row exactly once.
"""

import re
import time

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db
from django.db import transaction
from django.db.models.functions import Mod
from django.utils import timezone
from django_tasks import task

from alliage.mailing import consent
from alliage.mailing.models import Campaign, Delivery
from alliage.mailing.render import Prebuilt, build

CLAIM = 50


def _fast_commits():
    # Each delivery is committed on its own: on PostgreSQL do not wait for the disk flush
    # (a worker crash keeps what the server has; only a server crash could lose the last
    # few marks, and those messages would go again).
    if db.vendor == "postgresql":
        with db.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


def _no_delay(smtp):
    """The final "." must leave at once (Nagle would hold it behind the message)."""
    import socket

    sock = getattr(smtp, "sock", None)
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class Refused(Exception):
    pass


def _send_then_mark(smtp, from_email, to, data, delivery_id, message_id):
    """SMTP with the mark around the final dot, so that a killed worker neither loses nor
    repeats a message:

    1. the whole message is transmitted, without the final ".";
    2. in one transaction: the row is updated to "sent", the "." is written to the socket,
       and the COMMIT is written right behind it (no reply awaited in between);
    3. only then the server's reply to the "." is read.

    Killed before step 2's "." → the server holds an unfinished message (discarded), the
    row rolls back to "sending" and goes again on resume. Killed after the COMMIT left →
    both the "." and the COMMIT are in the kernel's buffers, which deliver them after the
    process is gone (nothing is left unread on either socket, so the close is a clean FIN):
    sent once, marked once. The only gap is the few microseconds between two socket writes.
    """
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(from_email)
    if code != 250:
        smtp.rset()
        raise Refused(f"MAIL FROM {code} {reply!r}")
    code, reply = smtp.rcpt(to)
    if code not in (250, 251):
        smtp.rset()
        raise Refused(f"RCPT TO {code} {reply!r}")
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        raise Refused(f"DATA {code} {reply!r}")
    body = re.sub(rb"(?m)^\.", b"..", data)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body)
    _mark_around_dot(smtp, delivery_id, message_id)
    code, reply = smtp.getreply()
    if code != 250:
        Delivery.objects.filter(pk=delivery_id).update(
            status=Delivery.Status.FAILED, error=f"{code} {reply!r}"[:300])
        raise Refused(f"end of data {code} {reply!r}")


def _mark_around_dot(smtp, delivery_id, message_id):
    """Update the row to "sent" in a transaction, write the final "." to the SMTP socket,
    then write the COMMIT. On PostgreSQL outside any atomic block (the worker), in two round
    trips of plain SQL ("BEGIN; UPDATE …" then "COMMIT"); elsewhere through the ORM."""
    if db.vendor == "postgresql" and db.get_autocommit() and not db.in_atomic_block:
        from psycopg import sql

        db.ensure_connection()
        statement = sql.SQL(
            "BEGIN; UPDATE {} SET status = {}, message_id = {}, sent_at = now() WHERE id = {}"
        ).format(sql.Identifier(Delivery._meta.db_table), sql.Literal(Delivery.Status.SENT),
                 sql.Literal(message_id), sql.Literal(int(delivery_id)))
        with db.cursor() as cursor:
            cursor.execute(statement.as_string(db.connection))
            try:
                smtp.sock.sendall(b".\r\n")
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")
        return
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery_id).update(
            status=Delivery.Status.SENT, message_id=message_id, sent_at=timezone.now())
        smtp.sock.sendall(b".\r\n")


def enqueue_all(campaign_id):
    """One chain of batches per worker, each on its share of the rows."""
    parts = settings.MAILING_WORKERS
    for part in range(parts):
        send_batch.enqueue(campaign_id, part, parts)


@task(queue_name="mailing")
def send_batch(campaign_id: int, part: int = 0, parts: int = 1) -> str:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None or campaign.status != Campaign.Status.SENDING:
        return "not sending"
    _fast_commits()
    size = min(settings.MAILING_BATCH, settings.MAILING_RATE_PER_MINUTE)
    started = time.monotonic()
    pending = campaign.deliveries.filter(status=Delivery.Status.PENDING)
    if parts > 1:
        pending = pending.annotate(share=Mod("pk", parts)).filter(share=part)
    rows = list(pending.select_related("subscriber").order_by("pk")[:size])
    if not rows:
        with transaction.atomic():
            if not campaign.deliveries.filter(status__in=[Delivery.Status.PENDING,
                                                          Delivery.Status.SENDING]).exists():
                Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
                    status=Campaign.Status.SENT, finished_at=timezone.now())
        return "done"
    allowed = consent.valid_addresses([d.subscriber.email for d in rows])
    refused = [d.pk for d in rows if d.subscriber.suppressed
               or d.subscriber.email not in allowed]
    if refused:
        Delivery.objects.filter(pk__in=refused, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED, error="no valid consent or suppressed")
    rows = [d for d in rows if d.pk not in set(refused)]
    smtp = get_connection()
    smtp.open()
    raw = getattr(smtp, "connection", None)            # Django's SMTP backend: send bytes
    _no_delay(raw)
    prebuilt = {}
    sent = 0
    try:
        for begin in range(0, len(rows), CLAIM):
            if Campaign.objects.filter(pk=campaign.pk,
                                       status=Campaign.Status.SENDING).count() == 0:
                return "stopped"
            group = rows[begin:begin + CLAIM]
            # Claimed a few at a time: a withdrawal reaches rows not yet claimed at once.
            claimed = set(Delivery.objects.filter(
                pk__in=[d.pk for d in group], status=Delivery.Status.PENDING).values_list(
                "pk", flat=True))
            Delivery.objects.filter(pk__in=claimed).update(status=Delivery.Status.SENDING)
            for delivery in group:
                if delivery.pk not in claimed:
                    continue            # unsubscribed meanwhile, or taken by another worker
                subscriber = delivery.subscriber
                try:
                    lang = subscriber.language if subscriber.language in ("fr", "en") else "fr"
                    if lang not in prebuilt:
                        prebuilt[lang] = Prebuilt(campaign, lang)
                    if raw is not None and prebuilt[lang].usable:
                        data, message_id = prebuilt[lang].render(subscriber, delivery.pk)
                        _send_then_mark(raw, prebuilt[lang].from_email, subscriber.email,
                                        data, delivery.pk, message_id)
                        sent += 1
                        continue
                    message, message_id = build(campaign, subscriber, delivery.pk)
                    smtp.send_messages([message])
                except Exception as exc:  # noqa: BLE001 - recorded on the row, never lost
                    Delivery.objects.filter(pk=delivery.pk).update(
                        status=Delivery.Status.FAILED, error=str(exc)[:300])
                    if raw is not None:
                        smtp.close()
                        smtp.open()
                        raw = getattr(smtp, "connection", None)
                        _no_delay(raw)
                    continue
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Delivery.Status.SENT, message_id=message_id,
                    sent_at=timezone.now())
                sent += 1
    finally:
        smtp.close()
    # The rate limit: the next batch waits for the rest of the minute.
    _schedule_next(campaign.pk, sent * parts / settings.MAILING_RATE_PER_MINUTE * 60
                   - (time.monotonic() - started), part, parts)
    return f"sent {sent}"


def _schedule_next(campaign_id, wait, part=0, parts=1):
    if wait > 1 and send_batch.get_backend().supports_defer:
        send_batch.using(run_after=timezone.now() + timezone.timedelta(seconds=wait)).enqueue(
            campaign_id, part, parts)
    else:
        send_batch.enqueue(campaign_id, part, parts)


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
