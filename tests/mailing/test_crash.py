"""A real crash, on PostgreSQL: the production worker (`manage.py db_worker`, two processes)
sends a campaign of a few hundred mails to a local SMTP sink in its own process; both workers
are SIGKILLed in the middle, restarted, `manage.py mailing_tick` takes back the claims of the
dead; every recipient receives exactly one message and every row ends final.

Marked `crash`: it runs once in CI, in the PostgreSQL run (it skips on SQLite, where the
worker processes and the test could not share the test database)."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from alliage.mailing import services
from alliage.mailing.models import (
    Campaign,
    ConsentEvent,
    Delivery,
    MailingList,
    Subscriber,
    Subscription,
)
from tests.mailing.smtp_sink import SinkProcess

ROOT = Path(__file__).resolve().parents[2]
RECIPIENTS = 300
LEASE = 10                     # MAILING_STALL_SECONDS: a claim not renewed for this long lapses


def _database_url():
    """The test database itself, so that the worker processes see what the test wrote."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "postgres") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"]
                                             else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _until(condition, what, folder, timeout=120):
    """Generous timeouts (a loaded CI machine); the test itself takes about 20 s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    logs = "\n".join(f"{log.name}: {log.read_text()[-1500:]}"
                     for log in sorted(folder.glob("worker*.log")))
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


@pytest.mark.crash
@pytest.mark.django_db(transaction=True)
def test_workers_killed_mid_campaign_lose_nothing_and_send_nothing_twice(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("separate worker processes must see the test database: PostgreSQL only")
    from alliage.core.seed import seed_association

    seed_association()
    mailing_list = MailingList.objects.create(slug="infolettre", name_fr="Infolettre")
    now = timezone.now()
    people = Subscriber.objects.bulk_create([
        Subscriber(email=f"k{i}@exemple.ca", first_name=f"K{i}",
                   language="en" if i % 4 == 0 else "fr") for i in range(RECIPIENTS)])
    Subscription.objects.bulk_create([Subscription(subscriber=s, mailing_list=mailing_list,
                                                   status="active", confirmed_at=now)
                                      for s in people])
    ConsentEvent.objects.bulk_create([ConsentEvent(email=s.email, kind="express", basis="form",
                                                   wording="J'accepte", occurred_at=now)
                                      for s in people])
    campaign = Campaign.objects.create(
        title="Panne", subject_fr="Nouvelles", subject_en="News",
        body_fr="Bonjour {{prenom}},\n\nLe 5@7 approche.", body_en="Hello {{prenom}}!")
    campaign.lists.add(mailing_list)

    sink = SinkProcess(delay=0.004, cwd=ROOT)          # a slow server: workers stay busy
    env = {**os.environ, "DATABASE_URL": _database_url(), "TASKS_BACKEND": "database",
           "EMAIL_BACKEND": "smtp", "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port),
           "EMAIL_USE_TLS": "0", "MAILING_STALL_SECONDS": str(LEASE), "MAILING_BATCH": "100",
           "MAILING_RATE_PER_MINUTE": "1000000", "MAILING_WORKERS": "2"}
    logs = []

    def worker():
        log = open(tmp_path / f"worker{len(logs)}.log", "wb")  # noqa: SIM115 - closed below
        logs.append(log)
        return subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "mailing",
             "--interval", "0.05", "--no-startup-delay", "--no-reload"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    def tick():
        done = subprocess.run([sys.executable, "manage.py", "mailing_tick"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120, check=True)
        return done.stdout

    def count(status):
        return Delivery.objects.filter(campaign=campaign, status=status).count()

    workers = []
    phases = {"start": time.monotonic()}
    try:
        workers = [worker(), worker()]
        # Started as staff would (here, with the production task queue), then the workers.
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                      "QUEUES": ["default", "mail", "mailing", "reports"]}}
        services.campaign_start(campaign=campaign, actor=None)
        # In the middle: a third sent, and messages being sent (claimed rows) right now.
        _until(lambda: count("sent") >= RECIPIENTS // 3 and count("sending") > 0,
               "the campaign to be under way", tmp_path)
        phases["kill"] = time.monotonic()
        for process in workers:
            process.send_signal(signal.SIGKILL)
        for process in workers:
            process.wait()
        stranded = list(Delivery.objects.filter(campaign=campaign, status="sending")
                        .values_list("claimed_by", "lease_until"))
        assert stranded, "the kill should leave claims of the dead workers behind"
        assert all(owner and lease for owner, lease in stranded)
        assert count("sent") < RECIPIENTS
        workers = [worker(), worker()]
        # The dead workers' claims lapse with their lease (never before): then the tick.
        latest = max(lease for _owner, lease in stranded)
        time.sleep(max(0.0, (latest - timezone.now()).total_seconds()) + 0.5)
        phases["tick"] = time.monotonic()
        output = tick()
        assert "recovered: 0" not in output, output
        _until(lambda: Campaign.objects.get(pk=campaign.pk).status == "sent",
               "the campaign to finish", tmp_path)
        phases["sent"] = time.monotonic()
    finally:
        for process in workers:
            if process.poll() is None:
                process.terminate()
        for process in workers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()
        stats = sink.stats()
        sink.stop()
    received = Counter(stats["recipients"])
    assert received == Counter({s.email: 1 for s in people})       # exactly once each
    assert stats["count"] == RECIPIENTS
    print({name: round(at - phases["start"], 1) for name, at in phases.items()})
    assert set(Delivery.objects.filter(campaign=campaign)
               .values_list("status", flat=True)) == {"sent"}
