"""Claims, leases and chains of the campaign sender (issue #12): a row is claimed by one
worker only, a claim lapses only when its lease expired, and one chain runs per slot."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from alliage.mailing import consent, services
from alliage.mailing.models import (
    Campaign,
    ConsentEvent,
    Delivery,
    MailingList,
    Subscriber,
    Subscription,
)
from alliage.mailing.tasks import send_batch
from tests.mailing.test_mailing import _campaign, _subscribed


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (FOR UPDATE SKIP LOCKED) between two connections: PostgreSQL; "
                    "SQLite runs one writer at a time")


@pytest.fixture
def newsletter(db):
    return MailingList.objects.create(slug="infolettre", name_fr="Infolettre")


def _many(mailing_list, n, prefix="r"):
    """n subscribers with recorded express consent, in bulk."""
    now = timezone.now()
    people = Subscriber.objects.bulk_create(
        [Subscriber(email=f"{prefix}{i}@exemple.ca", first_name=f"R{i}") for i in range(n)])
    Subscription.objects.bulk_create(
        [Subscription(subscriber=s, mailing_list=mailing_list, status="active",
                      confirmed_at=now) for s in people])
    ConsentEvent.objects.bulk_create(
        [ConsentEvent(email=s.email, kind="express", basis="form", wording="J'accepte",
                      mailing_list=mailing_list, occurred_at=now) for s in people])
    return [s.email for s in people]


def _sending(campaign):
    """A campaign whose delivery rows exist and no worker has started (as after a deploy)."""
    Delivery.objects.bulk_create([Delivery(campaign=campaign, subscriber=s) for s in
                                  services.audience(campaign)])
    Campaign.objects.filter(pk=campaign.pk).update(status="sending", started_at=timezone.now())
    campaign.refresh_from_db()
    return campaign


class Queue:
    """The production task backend (django-tasks-db), run by hand in the test's transaction."""

    def waiting(self):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(status="READY", queue_name="mailing").count()

    def run_ready(self):
        """Run every task ready now (not those deferred by the rate limit); their results."""
        from django_tasks_db.management.commands.db_worker import Worker
        from django_tasks_db.models import DBTaskResult

        worker = Worker(queue_names=["mailing"], interval=0, batch=True, backend_name="default",
                        startup_delay=False, max_tasks=None, worker_id="test",
                        excluded_queue_names=[])
        results = []
        while (row := DBTaskResult.objects.ready().filter(queue_name="mailing")
               .order_by("run_after", "enqueued_at").first()) is not None:
            row.claim("test")
            worker.run_task(row)
            row.refresh_from_db()
            assert row.status == "SUCCESSFUL", row.traceback
            results.append(row.return_value)
        return results

    def drain(self, minutes=30):
        """Run tasks as time passes (deferred ones when their time comes), until none is left."""
        results = []
        start = timezone.now()
        for second in range(0, minutes * 60, 30):
            with time_machine.travel(start + timedelta(seconds=second), tick=False):
                results += self.run_ready()
            if not self.waiting():
                break
        return results


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default", "mail", "mailing", "reports"]}}
    return Queue()


def _received(smtp):
    return Counter(m["To"] for m in smtp.messages)


# --- 1. Claims -------------------------------------------------------------------------------

def test_a_claim_marks_its_rows_with_their_owner_and_lease(newsletter):
    _many(newsletter, 5)
    campaign = _sending(_campaign(newsletter))
    until = timezone.now() + timedelta(minutes=2)
    first = Delivery.objects.claim(campaign_id=campaign.pk, owner="w1", limit=3, until=until)
    second = Delivery.objects.claim(campaign_id=campaign.pk, owner="w2", limit=3, until=until)
    assert len(first) == 3 and len(second) == 2 and not set(first) & set(second)
    assert Delivery.objects.claim(campaign_id=campaign.pk, owner="w3", limit=3,
                                  until=until) == []
    rows = {d.pk: d for d in Delivery.objects.all()}
    assert {rows[pk].claimed_by for pk in first} == {"w1"}
    assert {rows[pk].claimed_by for pk in second} == {"w2"}
    assert {rows[pk].status for pk in rows} == {"sending"}
    assert {rows[pk].lease_until for pk in rows} == {until}


@pytest.mark.django_db(transaction=True)
def test_two_claimers_at_once_on_postgresql_get_disjoint_rows():
    _postgresql_only()
    mailing_list = MailingList.objects.create(slug="infolettre", name_fr="Infolettre")
    _many(mailing_list, 400)
    campaign = _sending(_campaign(mailing_list))
    until = timezone.now() + timedelta(minutes=2)
    start = threading.Barrier(2)
    got = {"a": [], "b": []}

    def claimer(owner):
        try:
            start.wait()
            while ids := Delivery.objects.claim(campaign_id=campaign.pk, owner=owner, limit=7,
                                                until=until):
                got[owner] += ids
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer, args=(o,)) for o in got]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert got["a"] and got["b"]                               # both took part
    assert not set(got["a"]) & set(got["b"])                   # no row twice
    assert len(got["a"]) + len(got["b"]) == 400
    owners = dict(Delivery.objects.values_list("pk", "claimed_by"))
    assert all(owners[pk] == "a" for pk in got["a"])
    assert all(owners[pk] == "b" for pk in got["b"])


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_one_campaign_at_once_send_each_message_once(smtp, settings):
    """Two chains of the same campaign (or two workers given the same batch) start together,
    each on its own connection: nobody gets the newsletter twice. Several rounds, since a
    race shows only when the two claims meet (before the fix, some rounds sent 50 twice)."""
    _postgresql_only()
    from alliage.core.seed import seed_association

    seed_association()
    settings.MAILING_BATCH = 300
    settings.MAILING_RATE_PER_MINUTE = 1_000_000
    mailing_list = MailingList.objects.create(slug="infolettre", name_fr="Infolettre")
    for round_ in range(5):
        smtp.messages.clear()
        emails = _many(mailing_list, 100, prefix=f"n{round_}.")
        campaign = _sending(_campaign(mailing_list))
        start = threading.Barrier(2)
        errors = []

        def worker(slot, campaign=campaign, start=start, errors=errors):
            try:
                start.wait()
                send_batch.func(campaign.pk, slot)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(slot,)) for slot in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors
        received = _received(smtp)
        assert [a for a, n in received.items() if n > 1] == [], f"round {round_}"
        assert sorted(received) == sorted(emails)
        assert set(campaign.deliveries.values_list("status", flat=True)) == {"sent"}
        Subscription.objects.all().delete()              # the next round: other people


# --- 2. Leases, chains, tick -------------------------------------------------------------------

def test_tick_takes_back_only_the_claims_whose_lease_expired(
        newsletter, smtp, settings, django_capture_on_commit_callbacks):
    emails = _many(newsletter, 6)
    campaign = _campaign(newsletter)
    services.campaign_start(campaign=campaign, actor=None)   # rows; its tasks never ran
    now = timezone.now()
    dead = Delivery.objects.claim(campaign_id=campaign.pk, owner="dead", limit=2,
                                  until=now - timedelta(seconds=1))
    alive = Delivery.objects.claim(campaign_id=campaign.pk, owner="alive", limit=2,
                                   until=now + timedelta(hours=1))
    later = now + timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        done = services.tick(now=later)
    assert done["recovered"] == 2
    alive_rows = Delivery.objects.filter(pk__in=alive)
    assert {(d.status, d.claimed_by) for d in alive_rows} == {("sending", "alive")}
    assert Delivery.objects.filter(pk__in=dead, status="sent").count() == 2
    expected = Counter(dict.fromkeys(emails, 1))
    for d in alive_rows:
        del expected[d.subscriber.email]
    assert _received(smtp) == expected              # the dead claims went once, not the live
    assert Campaign.objects.get(pk=campaign.pk).status == "sending"
    # The live worker dies too: once its lease expired, its rows go, once.
    with django_capture_on_commit_callbacks(execute=True):
        services.tick(now=now + timedelta(hours=1, minutes=1))
    assert _received(smtp) == Counter(dict.fromkeys(emails, 1))
    assert Campaign.objects.get(pk=campaign.pk).status == "sent"


def test_a_campaign_waiting_on_its_rate_limit_or_on_busy_workers_is_not_resumed(
        newsletter, smtp, settings, queue, django_capture_on_commit_callbacks):
    settings.MAILING_RATE_PER_MINUTE = 4          # 4 per minute and per chain batch: 2 minutes
    settings.MAILING_WORKERS = 2
    emails = _many(newsletter, 20)
    campaign = _campaign(newsletter)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_start(campaign=campaign, actor=None)
    assert queue.waiting() == 2                          # one chain per worker slot
    queue.run_ready()                                    # each chain's first batch
    assert len(smtp.messages) == 8
    assert queue.waiting() == 2                          # each chain's next, held by the limit
    for minutes in (2.5, 60):       # past the old 120 s "stall"; then workers busy for an hour
        with django_capture_on_commit_callbacks(execute=True):
            done = services.tick(now=timezone.now() + timedelta(minutes=minutes))
        assert done["resumed"] == 0 and done["recovered"] == 0
        assert queue.waiting() == 2                      # no second chain was started
    queue.drain()
    assert _received(smtp) == Counter(dict.fromkeys(emails, 1))
    assert Campaign.objects.get(pk=campaign.pk).status == "sent"


def test_pause_and_resume_in_quick_succession_keep_one_chain_per_slot(
        newsletter, smtp, settings, queue, django_capture_on_commit_callbacks):
    settings.MAILING_BATCH = 2
    settings.MAILING_WORKERS = 2
    emails = _many(newsletter, 12)
    campaign = _campaign(newsletter)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_start(campaign=campaign, actor=None)
    from django_tasks_db.models import DBTaskResult

    first = DBTaskResult.objects.filter(queue_name="mailing").order_by("enqueued_at").first()
    first.claim("test")
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(queue_names=["mailing"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="test",
           excluded_queue_names=[]).run_task(first)        # one batch of one chain
    assert len(smtp.messages) == 2
    waiting = queue.waiting()
    assert waiting == 2                                    # its next batch and the other chain
    # Staff pause and resume at once, while both chains are alive (queued).
    for status in ("paused", "sending"):
        with django_capture_on_commit_callbacks(execute=True):
            services.campaign_set(campaign=campaign, actor=None, status=status)
    assert queue.waiting() == 2                            # no chain was added
    # Paused long enough for the chains to see it and stop, then resumed.
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_set(campaign=campaign, actor=None, status="paused")
    assert queue.run_ready() == ["not sending", "not sending"]
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_set(campaign=campaign, actor=None, status="sending")
    assert queue.waiting() == 2                            # the stopped chains start again
    queue.drain()
    assert _received(smtp) == Counter(dict.fromkeys(emails, 1))
    assert Campaign.objects.get(pk=campaign.pk).status == "sent"


def _lost_claim(newsletter, smtp, monkeypatch):
    """Before worker A marks its third message, A's claim on that row is taken back (its
    lease expired: tick) and worker B sends it: A must not write the final "." (the server
    discards A's unfinished copy)."""
    from alliage.mailing.render import Prebuilt

    emails = _many(newsletter, 6)
    campaign = _sending(_campaign(newsletter))
    real_render = Prebuilt.render
    state = {"rendered": 0}

    def render(self, subscriber, delivery_id):
        state["rendered"] += 1
        if state["rendered"] == 3:
            Delivery.objects.filter(pk=delivery_id).update(
                status="pending", claimed_by="", lease_until=None)
            send_batch.func(campaign.pk, 1)
        return real_render(self, subscriber, delivery_id)

    monkeypatch.setattr(Prebuilt, "render", render)
    send_batch.func(campaign.pk, 0)
    monkeypatch.setattr(Prebuilt, "render", real_render)
    assert _received(smtp) == Counter(dict.fromkeys(emails, 1))
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_worker_whose_claim_was_taken_back_does_not_write_the_final_dot(
        newsletter, smtp, monkeypatch):
    _lost_claim(newsletter, smtp, monkeypatch)


@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_claim_was_taken_back_on_postgresql_plain_sql_path(smtp, monkeypatch):
    """The same, on the worker's PostgreSQL path ("BEGIN; UPDATE" → "." → "COMMIT")."""
    _postgresql_only()
    from alliage.core.seed import seed_association

    seed_association()
    mailing_list = MailingList.objects.create(slug="infolettre", name_fr="Infolettre")
    assert connection.get_autocommit() and not connection.in_atomic_block
    _lost_claim(mailing_list, smtp, monkeypatch)


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_tick_during_a_transmission_waits_and_finds_the_row_sent(
        smtp, monkeypatch):
    """The row is locked from before MAIL FROM to the COMMIT behind the ".": a tick taking
    back claims meanwhile (here: all, as if every lease had expired) waits for it, then finds
    it sent; the rows it did take back go once, by whoever claims them next."""
    _postgresql_only()
    import smtplib
    import time

    from alliage.core.seed import seed_association

    seed_association()
    mailing_list = MailingList.objects.create(slug="infolettre", name_fr="Infolettre")
    emails = _many(mailing_list, 3)
    campaign = _sending(_campaign(mailing_list))
    first = Delivery.objects.order_by("pk").first()
    real_send = smtplib.SMTP.send
    took_back = []

    def tick():
        try:
            took_back.append(Delivery.objects.lapsed(timezone.now() + timedelta(hours=1))
                             .update(status="pending", claimed_by="", lease_until=None))
        finally:
            connection.close()

    ticker = threading.Thread(target=tick)

    def send(self, data):
        if isinstance(data, bytes) and b"Message-ID" in data and not ticker.is_alive() \
                and not took_back:
            ticker.start()
            time.sleep(1)                          # the tick is waiting on the row's lock
        return real_send(self, data)

    monkeypatch.setattr(smtplib.SMTP, "send", send)
    send_batch.func(campaign.pk)
    ticker.join(60)
    monkeypatch.setattr(smtplib.SMTP, "send", real_send)
    assert took_back == [2]                        # not the row being sent
    first.refresh_from_db()
    assert first.status == "sent"
    assert _received(smtp) == Counter(dict.fromkeys(emails, 1))
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_consent_withdrawn_before_the_claim_is_respected(newsletter, smtp):
    """Consent is checked for each claimed group, right after the claim."""
    people = [_subscribed(newsletter, f"c{i}@exemple.ca", f"C{i}") for i in range(3)]
    campaign = _sending(_campaign(newsletter))
    consent.record(email=people[1].email, kind=ConsentEvent.Kind.WITHDRAWAL,
                   basis=ConsentEvent.Basis.PREFERENCES)
    send_batch.func(campaign.pk)
    assert sorted(_received(smtp)) == ["c0@exemple.ca", "c2@exemple.ca"]
    assert Delivery.objects.get(subscriber=people[1]).status == "skipped"


def test_a_cancelled_campaign_s_rows_held_by_a_dead_worker_end_skipped(newsletter):
    _many(newsletter, 4)
    campaign = _sending(_campaign(newsletter))
    now = timezone.now()
    held = Delivery.objects.claim(campaign_id=campaign.pk, owner="dead", limit=2,
                                  until=now + timedelta(minutes=2))
    services.campaign_set(campaign=campaign, actor=None, status="cancelled")
    services.tick(now=now + timedelta(minutes=1))                # lease still running
    assert set(Delivery.objects.filter(pk__in=held).values_list("status", flat=True)) == {
        "sending"}
    services.tick(now=now + timedelta(minutes=3))
    assert set(Delivery.objects.values_list("status", flat=True)) == {"skipped"}
    assert services.report(campaign)["pending"] == 0
