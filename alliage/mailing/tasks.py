"""Campaign sending: chains of batches, claims with leases, the mark around the final dot.

A sending campaign has one chain of batches per worker slot (`MAILING_WORKERS`, rows of
`SendingChain`); each batch enqueues the next one after the rate limit's wait. A batch claims
rows a few at a time (`Delivery.objects.claim`: one statement, only one worker can win a row)
under its own name, with a lease it renews while it works, and marks each row "sent" around
the final SMTP "." while the claim is still its own.

A worker killed mid-batch leaves its claimed rows "sending"; once their lease has expired,
`services.tick` takes them back (`pending`, same Message-ID) and starts a new chain on any slot
whose chain is no longer alive (its lease expired and no batch of it waits in the task queue).
A chain waiting on the rate limit or on busy workers is alive: it is never doubled.
"""

import contextlib
import os
import re
import socket
import time
import uuid
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from alliage.mailing import consent
from alliage.mailing.models import Campaign, Delivery, SendingChain
from alliage.mailing.render import Prebuilt, build

CLAIM = 50


def lease():
    """How long a claim (of rows or of a chain) holds without being renewed."""
    return timedelta(seconds=settings.MAILING_STALL_SECONDS)


def _owner():
    """This batch's name on the rows it claims: host, process and a part of its own."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:16]}"


def _fast_commits():
    # Each delivery is committed on its own: on PostgreSQL do not wait for the disk flush
    # (a worker crash keeps what the server has; only a server crash could lose the last
    # few marks, and those messages would go again).
    if db.vendor == "postgresql":
        with db.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


def _no_delay(smtp):
    """The final "." must leave at once (Nagle would hold it behind the message)."""
    sock = getattr(smtp, "sock", None)
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class Refused(Exception):
    pass


class LostClaim(Exception):
    """The row is no longer this worker's: its lease expired and it was taken back."""


def _send_then_mark(smtp, from_email, to, data, delivery_id, message_id, owner):
    """SMTP with the mark around the final dot, so that a killed worker neither loses nor
    repeats a message:

    1. the whole message is transmitted, without the final ".";
    2. in one transaction: the row is updated to "sent" (only if this worker's claim on it
       still holds), the "." is written to the socket, and the COMMIT is written right
       behind it (no reply awaited in between);
    3. only then the server's reply to the "." is read.

    Killed before step 2's "." → the server holds an unfinished message (discarded), the
    row rolls back to "sending" and goes again once its lease expired. Killed after the
    COMMIT left → both the "." and the COMMIT are in the kernel's buffers, which deliver them
    after the process is gone (nothing is left unread on either socket, so the close is a
    clean FIN): sent once, marked once. The only gap is the few microseconds between two
    socket writes. A claim that was taken back (`LostClaim`) gets no ".": the caller drops
    the connection and the server discards the message; the row's new owner sends it.
    """
    mark = _Mark(delivery_id, message_id, owner)
    try:
        smtp.ehlo_or_helo_if_needed()
        smtp.putcmd("mail", _mail_from(from_email))      # smtp.mail(), its address parsed once
        code, reply = smtp.getreply()
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
        mark.around_dot(smtp)
    except BaseException:
        mark.abort()
        raise
    mark.committed()
    code, reply = smtp.getreply()
    if code != 250:
        Delivery.objects.filter(pk=delivery_id, claimed_by=owner).update(
            status=Delivery.Status.FAILED, error=f"{code} {reply!r}"[:300])
        raise Refused(f"end of data {code} {reply!r}")


@lru_cache(maxsize=8)
def _mail_from(from_email):
    import smtplib

    return "FROM:" + smtplib.quoteaddr(from_email)


@lru_cache(maxsize=16)
def _mark_statement(connection, owner):
    """The mark's SQL for one owner, composed once per batch (not once per message), with
    slots for the message id and the row id (see `_Mark`)."""
    from psycopg import sql

    return sql.SQL(
        "BEGIN; UPDATE {} SET status = {}, message_id = {}, sent_at = now() "
        "WHERE id = ZZDELIVERYIDZZ AND status = {} AND claimed_by = {}"
    ).format(sql.Identifier(Delivery._meta.db_table), sql.Literal(Delivery.Status.SENT),
             sql.Literal("ZZMESSAGEIDZZ"), sql.Literal(Delivery.Status.SENDING),
             sql.Literal(owner)).as_bytes(connection)


def _literal(text):
    """`text` as an SQL string literal: quoted as it is when plain ASCII without quote or
    backslash (our Message-IDs), else by psycopg."""
    if text.isascii() and "'" not in text and "\\" not in text:
        return b"'" + text.encode() + b"'"
    from psycopg import sql

    return sql.Literal(text).as_bytes(db.connection)


class _Mark:
    """The transaction around the final dot for one delivery: the row is updated to "sent"
    only if `owner` still holds its claim (else `LostClaim`, and no "." is written), the "."
    is written, then the COMMIT.

    On PostgreSQL outside any atomic block (the worker), plain SQL on the connection itself:
    "BEGIN; UPDATE …" is sent before MAIL FROM and its answer read once the body is sent, so
    that its round trip overlaps the SMTP exchange; the COMMIT, written right behind the ".",
    is awaited while the mail server answers the ".". Elsewhere (SQLite, tests inside a
    transaction) the ORM, in one atomic block around the ".".

    A tick taking the row back meanwhile cannot slip in between: on PostgreSQL its UPDATE
    waits for this row lock and then finds the row "sent"; SQLite has one writer at a time."""

    def __init__(self, delivery_id, message_id, owner):
        self.delivery_id, self.message_id, self.owner = delivery_id, message_id, owner
        self.pg, self.open = None, False
        if db.vendor == "postgresql" and db.get_autocommit() and not db.in_atomic_block:
            db.ensure_connection()
            self.pg = db.connection.pgconn
            statement = _mark_statement(db.connection, owner).replace(
                b"'ZZMESSAGEIDZZ'", _literal(message_id)).replace(
                b"ZZDELIVERYIDZZ", b"%d" % int(delivery_id))
            self.pg.send_query(statement)
            self.open = True            # a transaction is open; answers are on their way

    def _answers(self):
        """The answers to what was sent; the last one's row count."""
        from psycopg import pq

        count, error = None, None
        while (result := self.pg.get_result()) is not None:
            if result.status == pq.ExecStatus.FATAL_ERROR:
                error = (result.error_message or b"").decode(errors="replace")
            count = result.command_tuples
        if error:
            raise RuntimeError(f"database: {error}")
        return count

    def around_dot(self, smtp):
        if self.pg is None:
            with transaction.atomic():
                if not Delivery.objects.held_by(self.owner).filter(
                        pk=self.delivery_id).update(status=Delivery.Status.SENT,
                                                    message_id=self.message_id,
                                                    sent_at=timezone.now()):
                    raise LostClaim(self.delivery_id)
                smtp.sock.sendall(b".\r\n")
            return
        if self._answers() != 1:                 # raises (→ abort) on a database error
            raise LostClaim(self.delivery_id)
        smtp.sock.sendall(b".\r\n")
        self.pg.send_query(b"COMMIT")
        self.open = False

    def committed(self):
        """Wait for the COMMIT's answer (sent with the "."; it comes while the mail server
        answers)."""
        if self.pg is not None:
            self._answers()

    def abort(self):
        """Before the ".": roll back whatever is open (the connection stays usable)."""
        from psycopg import pq

        if self.pg is None:
            return
        with contextlib.suppress(Exception):       # an error aborted it: rolled back below
            self._answers()
        if self.open or self.pg.transaction_status != pq.TransactionStatus.IDLE:
            self.pg.send_query(b"ROLLBACK")
            self.open = False
            self._answers()


# --- Chains ----------------------------------------------------------------------------------

def _waiting(task_id):
    """Whether a chain's next batch is still in the task queue, not yet taken by a worker
    (workers busy, or the rate limit's wait not over): the chain is alive, only waiting."""
    if not task_id or not send_batch.get_backend().supports_get_result:
        return False
    try:
        return send_batch.get_result(task_id).status == TaskResultStatus.READY
    except Exception:  # noqa: BLE001 - pruned or unknown result: nothing waits
        return False


def chain_alive(chain, now):
    if chain.lease_until is None:
        return False
    return chain.lease_until >= now or _waiting(chain.task_id)


def start_chains(campaign, now=None):
    """A new chain on every slot of a sending campaign whose chain is not alive; the caller
    holds the campaign's row lock and enqueues the returned (slot, generation) pairs with
    `enqueue` once its transaction commits. A slot never gets a second live chain."""
    now = now or timezone.now()
    chains = list(SendingChain.objects.select_for_update().filter(campaign=campaign))
    if not chains:
        SendingChain.objects.bulk_create(
            [SendingChain(campaign=campaign, slot=slot)
             for slot in range(settings.MAILING_WORKERS)], ignore_conflicts=True)
        chains = list(SendingChain.objects.select_for_update().filter(campaign=campaign))
    started = []
    for chain in chains:
        if chain_alive(chain, now):
            continue
        chain.generation += 1
        chain.lease_until = now + lease()
        chain.task_id = ""
        chain.save(update_fields=["generation", "lease_until", "task_id"])
        started.append((chain.slot, chain.generation))
    return started


def enqueue(campaign_id, started):
    for slot, generation in started:
        _enqueue(campaign_id, slot, generation)


def _enqueue(campaign_id, slot, generation, run_after=None):
    task_ = send_batch if run_after is None else send_batch.using(run_after=run_after)
    result = task_.enqueue(campaign_id, slot, generation)
    if send_batch.get_backend().supports_get_result:       # the queued batch keeps it alive
        SendingChain.objects.filter(campaign_id=campaign_id, slot=slot,
                                    generation=generation).update(task_id=result.id)


def _take_over(campaign_id, slot):
    """A batch run by hand (no generation): it becomes the slot's chain."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None or campaign.status != Campaign.Status.SENDING:
            return None
        chain, _created = SendingChain.objects.select_for_update().get_or_create(
            campaign=campaign, slot=slot)
        chain.generation += 1
        chain.lease_until = timezone.now() + lease()
        chain.task_id = ""
        chain.save(update_fields=["generation", "lease_until", "task_id"])
        return chain.generation


def _go_on(campaign_id, slot, generation):
    """True while this batch's chain is its slot's current one and the campaign is sending
    (the chain's lease is renewed); else why it stops. A paused or cancelled campaign stops
    its chain (a resume starts a new one), under the campaign's lock so that a resume in
    between is never missed."""
    until = timezone.now() + lease()
    if SendingChain.objects.filter(campaign_id=campaign_id, slot=slot, generation=generation,
                                   campaign__status=Campaign.Status.SENDING).update(
            lease_until=until):
        return True
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        chain = SendingChain.objects.select_for_update().filter(
            campaign_id=campaign_id, slot=slot).first()
        if chain is None or chain.generation != generation:
            return "superseded"
        if campaign is None or campaign.status != Campaign.Status.SENDING:
            chain.lease_until, chain.task_id = None, ""
            chain.save(update_fields=["lease_until", "task_id"])
            return "not sending"
        chain.lease_until = until
        chain.save(update_fields=["lease_until"])
        return True


def _finish(campaign_id, slot, generation):
    """Nothing left to claim: the campaign is sent when no row is pending or being sent. The
    chain stops, unless rows became pending again (taken back from a dead worker)."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        left = set(Delivery.objects.filter(campaign_id=campaign_id, status__in=[
            Delivery.Status.PENDING, Delivery.Status.SENDING]).values_list(
            "status", flat=True).distinct())
        sending = campaign is not None and campaign.status == Campaign.Status.SENDING
        if sending and not left:
            Campaign.objects.filter(pk=campaign_id).update(status=Campaign.Status.SENT,
                                                           finished_at=timezone.now())
        if not (sending and Delivery.Status.PENDING in left):
            SendingChain.objects.filter(campaign_id=campaign_id, slot=slot,
                                        generation=generation).update(lease_until=None,
                                                                      task_id="")
            return "done"
    _schedule_next(campaign_id, 0, slot, generation)
    return "pending again"


def _schedule_next(campaign_id, wait, slot=0, generation=None):
    """The chain's next batch, after the rate limit's wait; the chain stays alive until that
    batch's time plus a lease (and as long as it waits in the queue)."""
    backend = send_batch.get_backend()
    run_after = (timezone.now() + timedelta(seconds=wait)
                 if wait > 1 and backend.supports_defer else None)
    if not SendingChain.objects.filter(
            campaign_id=campaign_id, slot=slot, generation=generation).update(
            lease_until=(run_after or timezone.now()) + lease(), task_id=""):
        return                                          # superseded meanwhile
    _enqueue(campaign_id, slot, generation, run_after)


# --- Batches ---------------------------------------------------------------------------------

class _Sender:
    """One batch's SMTP connection, prebuilt messages and lease renewals."""

    def __init__(self, campaign, owner, slot, generation):
        self.campaign, self.owner = campaign, owner
        self.slot, self.generation = slot, generation
        self.smtp = self.raw = None
        self.prebuilt = {}
        self.renewed = time.monotonic()

    def _open(self):
        self.smtp = get_connection()
        self.smtp.open()
        self.raw = getattr(self.smtp, "connection", None)   # Django's SMTP backend: bytes
        _no_delay(self.raw)

    def close(self):
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = self.raw = None

    def drop(self):
        """Cut the session without QUIT (which, in the middle of DATA, would be taken for
        message text): the server discards the unfinished message."""
        if self.raw is not None:
            self.raw.close()
            self.smtp.connection = None
        self.close()

    def _renew_if_due(self):
        """Keep the claims while a slow server makes the group last (a third of the lease)."""
        if time.monotonic() - self.renewed < lease().total_seconds() / 3:
            return
        until = timezone.now() + lease()
        Delivery.objects.held_by(self.owner).update(lease_until=until)
        SendingChain.objects.filter(campaign_id=self.campaign.pk, slot=self.slot,
                                    generation=self.generation).update(lease_until=until)
        self.renewed = time.monotonic()

    def send_group(self, ids):
        """Send the claimed rows; consent is checked for them right after the claim."""
        rows = list(Delivery.objects.filter(pk__in=ids).select_related("subscriber")
                    .order_by("pk"))
        allowed = consent.valid_addresses([d.subscriber.email for d in rows])
        refused = {d.pk for d in rows if d.subscriber.suppressed
                   or d.subscriber.email not in allowed}
        if refused:
            Delivery.objects.held_by(self.owner).filter(pk__in=refused).update(
                status=Delivery.Status.SKIPPED, error="no valid consent or suppressed")
        sent = 0
        for delivery in rows:
            if delivery.pk in refused:
                continue
            self._renew_if_due()
            if self.smtp is None:
                self._open()
            try:
                sent += self._send(delivery)
            except LostClaim:
                self.drop()              # the unfinished message is dropped with the session
            except Exception as exc:  # noqa: BLE001 - recorded on the row, never lost
                Delivery.objects.held_by(self.owner).filter(pk=delivery.pk).update(
                    status=Delivery.Status.FAILED, error=str(exc)[:300])
                self.drop()
        return sent

    def _send(self, delivery):
        subscriber = delivery.subscriber
        lang = subscriber.language if subscriber.language in ("fr", "en") else "fr"
        if self.raw is not None:
            if lang not in self.prebuilt:
                self.prebuilt[lang] = Prebuilt(self.campaign, lang)
            prebuilt = self.prebuilt[lang]
            if prebuilt.usable:
                data, message_id = prebuilt.render(subscriber, delivery.pk)
                from_email = prebuilt.from_email
            else:                        # built for this recipient, sent the same careful way
                message, message_id = build(self.campaign, subscriber, delivery.pk)
                data = message.message().as_bytes(linesep="\r\n")
                from_email = message.from_email
            _send_then_mark(self.raw, from_email, subscriber.email, data, delivery.pk,
                            message_id, self.owner)
            return 1
        # Another backend (an email service's API): sent, then marked.
        message, message_id = build(self.campaign, subscriber, delivery.pk)
        self.smtp.send_messages([message])
        Delivery.objects.held_by(self.owner).filter(pk=delivery.pk).update(
            status=Delivery.Status.SENT, message_id=message_id, sent_at=timezone.now())
        return 1


@task(queue_name="mailing")
def send_batch(campaign_id: int, slot: int = 0, generation: int | None = None) -> str:
    """One batch of the chain on `slot`: up to MAILING_BATCH rows (and no more than the rate
    limit allows in a minute), claimed CLAIM at a time; then the chain's next batch. Without
    a generation (a batch run by hand) it takes the slot over as a new chain."""
    if generation is None:
        generation = _take_over(campaign_id, slot)
        if generation is None:
            return "not sending"
    go_on = _go_on(campaign_id, slot, generation)
    if go_on is not True:
        return go_on
    campaign = Campaign.objects.get(pk=campaign_id)
    _fast_commits()
    size = min(settings.MAILING_BATCH, settings.MAILING_RATE_PER_MINUTE)
    started = time.monotonic()
    owner = _owner()
    sender = _Sender(campaign, owner, slot, generation)
    claimed = sent = 0
    try:
        while claimed < size:
            if claimed and (go_on := _go_on(campaign_id, slot, generation)) is not True:
                return go_on
            ids = Delivery.objects.claim(campaign_id=campaign_id, owner=owner,
                                         limit=min(CLAIM, size - claimed),
                                         until=timezone.now() + lease())
            if not ids:
                break
            claimed += len(ids)
            sent += sender.send_group(ids)
    except Exception:
        # Not a kill: give the rows back at once rather than when the lease expires.
        Delivery.objects.held_by(owner).update(status=Delivery.Status.PENDING, claimed_by="",
                                               lease_until=None)
        raise
    finally:
        sender.close()
    if not claimed:
        return _finish(campaign_id, slot, generation)
    # The rate limit: the campaign's chains together send MAILING_RATE_PER_MINUTE at most.
    chains = max(1, SendingChain.objects.filter(campaign_id=campaign_id).count())
    _schedule_next(campaign_id, sent * chains / settings.MAILING_RATE_PER_MINUTE * 60
                   - (time.monotonic() - started), slot, generation)
    return f"sent {sent}"


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
