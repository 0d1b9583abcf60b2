"""Newsletter sending through the real task worker, against raw smtplib, in one run.

1. Baseline: raw smtplib, one prebuilt message sent MAILS times by WORKERS client processes
   at once (each over its own connection, MAILS / WORKERS each): as many senders as
   Alliage has workers.
2. Alliage: a campaign to MAILS subscribers (each with recorded consent): personalised FR/EN
   messages, CASL footer, RFC 8058 headers, each delivery claimed (lease) and marked around
   the final "." in its own transaction, sent by WORKERS `manage.py db_worker` processes (the
   production worker; MAILING_WORKERS chains) to the same sink.
   Goal: Alliage's mails per second ≥ 50 % of the baseline's.
3. Crash: a second campaign (CRASH recipients); both workers are killed (SIGKILL) mid-send,
   restarted; once the dead workers' leases expired, `mailing_tick` takes their claims back;
   every recipient must have received exactly one message.

Both runs send to the same local SMTP sink (aiosmtpd) in its own process
(`tests/mailing/smtp_sink.py`, which keeps a message whose final "." arrived even when the
client is killed right after, as an MTA does).

The rate limit: the measured runs set MAILING_RATE_PER_MINUTE to 1,000,000, i.e. no limit, so
that the figure is what the sending machinery can do. Production's default is 6,000 a minute
(100 mails/s for the whole campaign, `.env.example`), far below either figure: in production
the limit, not the machinery, sets the pace. The JSON line states both.

PostgreSQL when it is here (BENCH_DATABASE_URL, else a fresh `alliage_bench`; else SQLite).
Last line is JSON.
"""

import json
import multiprocessing
import os
import signal
import smtplib
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.directory import ENV, _database_url  # noqa: E402
from tests.mailing.smtp_sink import SinkProcess  # noqa: E402

MAILS = int(os.environ.get("BENCH_MAILS", "20000"))
CRASH = int(os.environ.get("BENCH_CRASH_MAILS", "3000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))      # db_worker processes (MAILING_WORKERS)
RATE = 1_000_000                                          # per minute: no limit while measuring
PRODUCTION_RATE = 6000                                    # MAILING_RATE_PER_MINUTE's default
LEASE = 10                                                # MAILING_STALL_SECONDS, the minimum


def _raw_client(port, raw, first, count, ready, go, results):
    """One baseline sender: its own connection, `count` messages."""
    smtp = smtplib.SMTP("127.0.0.1", port)
    ready.wait()
    go.wait()
    for i in range(first, first + count):
        smtp.sendmail("infolettre@bench.example", [f"raw{i}@bench.example"], raw)
    results.put(time.perf_counter())
    smtp.quit()


def _baseline(port, raw):
    """MAILS messages by WORKERS processes at once; mails per second over the wall time."""
    context = multiprocessing.get_context("fork")
    ready, go = context.Barrier(WORKERS + 1), context.Event()
    results = context.Queue()
    share = MAILS // WORKERS
    clients = [context.Process(target=_raw_client, args=(
        port, raw, n * share, share if n < WORKERS - 1 else MAILS - n * share, ready, go,
        results)) for n in range(WORKERS)]
    for client in clients:
        client.start()
    ready.wait()
    started = time.perf_counter()
    go.set()
    ended = max(results.get(timeout=900) for _ in clients)
    for client in clients:
        client.join()
    return MAILS / (ended - started)


def _workers(env):
    """WORKERS `db_worker` processes, returned once each has started its loop."""
    import tempfile

    folder = Path(tempfile.mkdtemp())
    started = []
    for n in range(WORKERS):
        with open(folder / f"worker{n}.log", "wb") as log:
            started.append(subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--queue-name", "mailing",
                 "--interval", "0.1", "--no-startup-delay", "--no-reload"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not all(
            b"Starting worker" in (folder / f"worker{n}.log").read_bytes()
            for n in range(WORKERS)):
        time.sleep(0.1)
    return started


def _wait(campaign_id, until, timeout=900):
    from alliage.mailing.models import Campaign, Delivery

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if until(Campaign.objects.get(pk=campaign_id),
                 Delivery.objects.filter(campaign_id=campaign_id, status="sent").count()):
            return True
        time.sleep(0.1)
    return False


def main():
    sink = SinkProcess(cwd=ROOT)
    env = {**os.environ, **ENV, "DATABASE_URL": _database_url(), "TASKS_BACKEND": "database",
           "EMAIL_BACKEND": "smtp", "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port),
           "EMAIL_USE_TLS": "0", "MAILING_STALL_SECONDS": str(LEASE), "MAILING_BATCH": "1000",
           "MAILING_RATE_PER_MINUTE": str(RATE), "MAILING_WORKERS": str(WORKERS)}
    os.environ.update(env)
    import django

    django.setup()
    from django.core.mail import EmailMultiAlternatives
    from django.core.management import call_command

    # 1. Baseline: one prebuilt message (forked clients: no database connection is open yet).
    paragraph = ("Le 5@7 a réuni 330 personnes. " * 3 + "\n") * 6
    prebuilt = EmailMultiAlternatives("Nouvelles", "Bonjour,\n\n" + paragraph,
                                      "infolettre@bench.example", ["x@bench.example"])
    prebuilt.attach_alternative("<p>" + paragraph + "</p>", "text/html")
    raw_rate = _baseline(sink.port, prebuilt.message().as_bytes(linesep="\r\n"))
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from alliage.core.seed import seed_association
    from alliage.mailing import services
    from alliage.mailing.models import (
        Campaign,
        ConsentEvent,
        MailingList,
        Subscriber,
        Subscription,
    )

    seed_association()
    # 2. Data: subscribers with consent, in two lists.
    main_list = MailingList.objects.create(slug="infolettre", name_fr="Infolettre")
    crash_list = MailingList.objects.create(slug="formations", name_fr="Formations")
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create([
        Subscriber(email=f"s{i}@bench.example", first_name=f"Prénom{i}",
                   organisation_name=f"Entreprise {i % 300}",
                   language="en" if i % 5 == 0 else "fr") for i in range(MAILS + CRASH)],
        batch_size=5000)
    Subscription.objects.bulk_create([
        Subscription(subscriber=s, mailing_list=main_list if i < MAILS else crash_list,
                     status="active", confirmed_at=now)
        for i, s in enumerate(subscribers)], batch_size=5000)
    ConsentEvent.objects.bulk_create([
        ConsentEvent(email=s.email, kind="express", basis="form", wording="J'accepte",
                     occurred_at=now) for s in subscribers], batch_size=5000)
    body = ("Bonjour {{prenom}},\n\nVoici les nouvelles de **{{entreprise}}** et du réseau.\n\n"
            + ("Le 5@7 « La société régionale en caricatures » a réuni 330 personnes.\n" * 6))
    timed = Campaign.objects.create(title="Banc d'essai", subject_fr="Nouvelles",
                                    subject_en="News", body_fr=body, body_en=body)
    timed.lists.add(main_list)
    # 3. The timed campaign through the real workers (started, then timed from the start).
    workers = _workers(env)
    sink.reset()
    started = time.perf_counter()
    services.campaign_start(campaign=timed, actor=None)
    finished = _wait(timed.pk, lambda c, sent: c.status == "sent")
    seconds = time.perf_counter() - started
    for worker in workers:
        worker.terminate()
        worker.wait(timeout=30)
    stats = sink.stats()
    rate = stats["count"] / seconds
    sent_once = stats["count"] == MAILS and all(v == 1 for v in stats["recipients"].values())
    # 4. The crash: kill the workers mid-send, restart, take back the dead's claims.
    sink.reset()
    crash = Campaign.objects.create(title="Panne", subject_fr="Panne", body_fr=body)
    crash.lists.add(crash_list)
    workers = _workers(env)
    services.campaign_start(campaign=crash, actor=None)
    _wait(crash.pk, lambda c, sent: sent >= CRASH // 3)
    for worker in workers:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    killed_at = sink.stats()["count"]
    workers = _workers(env)
    time.sleep(LEASE + 1)                                # the dead workers' leases expire
    call_command("mailing_tick", verbosity=0)
    crash_done = _wait(crash.pk, lambda c, sent: c.status == "sent", timeout=300)
    for worker in workers:
        worker.terminate()
        worker.wait(timeout=30)
    expected = {f"s{i}@bench.example" for i in range(MAILS, MAILS + CRASH)}
    received = sink.stats()["recipients"]
    exactly_once = set(received) == expected and all(v == 1 for v in received.values())
    sink.stop()
    ratio = rate / raw_rate
    print(json.dumps({
        "benchmark": "mailing", "database": env["DATABASE_URL"].split(":")[0],
        "mails": MAILS, "workers": WORKERS, "raw_smtplib_clients": WORKERS,
        "sink": "aiosmtpd, own process",
        "rate_limit_per_minute": {"bench": RATE, "production_default": PRODUCTION_RATE},
        "raw_smtplib_per_second": round(raw_rate, 1),
        "alliage_per_second": round(rate, 1), "seconds": round(seconds, 1),
        "ratio": round(ratio, 3), "all_sent_once": bool(finished and sent_once),
        "crash": {"mails": CRASH, "received_before_kill": killed_at,
                  "finished": crash_done, "exactly_once": exactly_once,
                  "duplicates": sum(v - 1 for v in received.values() if v > 1),
                  "missing": len(expected - set(received))},
        "goal": "Alliage >= 50 % of raw smtplib with as many client processes; every "
                "recipient exactly once, also across killed workers",
        "meets_goal": bool(ratio >= 0.5 and finished and sent_once and exactly_once)}))


if __name__ == "__main__":
    main()
