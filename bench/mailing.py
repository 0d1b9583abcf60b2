"""Newsletter sending through the real task worker, against raw smtplib, in one run.

1. Baseline: one prebuilt message sent 20,000 times over one smtplib connection to a local
   SMTP sink (aiosmtpd, in this process).
2. Alliage: a campaign to 20,000 subscribers (each with recorded consent): personalised
   FR/EN messages, CASL footer, RFC 8058 headers, one delivery row committed per message,
   sent by `manage.py db_worker` (the production worker) to the same sink.
   Goal: Alliage's mails per second ≥ 50 % of the baseline's.
3. Crash: a second campaign (3,000 recipients); the worker is killed (SIGKILL) mid-send,
   restarted, `mailing_tick` resumes; every recipient must have received exactly one message.
PostgreSQL when it is here (else SQLite). Last line is JSON.
"""

import json
import os
import signal
import smtplib
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.directory import ENV, _database_url  # noqa: E402

MAILS = int(os.environ.get("BENCH_MAILS", "20000"))
CRASH = int(os.environ.get("BENCH_CRASH_MAILS", "3000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))      # db_worker processes (MAILING_WORKERS)


class Sink:
    def __init__(self):
        self.count = 0
        self.per_recipient = Counter()

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        for rcpt in envelope.rcpt_tos:
            self.per_recipient[rcpt] += 1
        return "250 OK"


def _patient_controller(handler, port):
    """aiosmtpd cancels a session the moment its client disconnects, even when the message's
    final "." already arrived; Postfix and other MTAs accept such a message. The sink here
    behaves like them, so a killed worker's last message counts as it would in production."""
    import asyncio

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    class PatientSMTP(SMTP):
        def eof_received(self):
            asyncio.StreamReaderProtocol.eof_received(self)
            return False

        def connection_lost(self, error):
            if self._timeout_handle is not None:
                self._timeout_handle.cancel()
            asyncio.StreamReaderProtocol.connection_lost(self, error)

    class PatientController(Controller):
        def factory(self):
            return PatientSMTP(self.handler, **self.SMTP_kwargs)

    return PatientController(handler, hostname="127.0.0.1", port=port)


def _worker(env):
    return subprocess.Popen([sys.executable, "manage.py", "db_worker", "--queue-name",
                             "mailing", "--interval", "0.1", "--no-startup-delay",
                             "--no-reload"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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
    import logging
    import socket

    # Sessions cut by the killed workers are expected: keep their tracebacks out of the output
    # (the last line must stay the JSON).
    for name in ("mail.log", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Sink()
    controller = _patient_controller(sink, port)
    controller.start()
    env = {**os.environ, **ENV, "DATABASE_URL": _database_url(), "TASKS_BACKEND": "database",
           "EMAIL_BACKEND": "smtp", "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port),
           "EMAIL_USE_TLS": "0", "MAILING_STALL_SECONDS": "10", "MAILING_BATCH": "1000",
           "MAILING_RATE_PER_MINUTE": "1000000",
           "MAILING_WORKERS": str(WORKERS)}
    os.environ.update(env)
    import django

    django.setup()
    from django.core.mail import EmailMultiAlternatives
    from django.core.management import call_command
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
    # 1. Baseline: one prebuilt message, one connection.
    paragraph = ("Le 5@7 a réuni 330 personnes. " * 3 + "\n") * 6
    prebuilt = EmailMultiAlternatives("Nouvelles", "Bonjour,\n\n" + paragraph,
                                      "infolettre@bench.example", ["x@bench.example"])
    prebuilt.attach_alternative("<p>" + paragraph + "</p>", "text/html")
    raw = prebuilt.message().as_bytes(linesep="\r\n")
    smtp = smtplib.SMTP("127.0.0.1", port)
    started = time.perf_counter()
    for i in range(MAILS):
        smtp.sendmail("infolettre@bench.example", [f"raw{i}@bench.example"], raw)
    raw_seconds = time.perf_counter() - started
    smtp.quit()
    raw_rate = MAILS / raw_seconds
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
    # 3. The timed campaign through the real worker.
    sink.count = 0
    sink.per_recipient.clear()
    services.campaign_start(campaign=timed, actor=None)
    workers = [_worker(env) for _ in range(WORKERS)]
    started = time.perf_counter()
    finished = _wait(timed.pk, lambda c, sent: c.status == "sent")
    seconds = time.perf_counter() - started
    for worker in workers:
        worker.terminate()
        worker.wait(timeout=30)
    rate = sink.count / seconds
    sent_once = sink.count == MAILS and all(v == 1 for v in sink.per_recipient.values())
    # 4. The crash: kill the worker mid-send, restart, resume.
    sink.per_recipient.clear()
    crash = Campaign.objects.create(title="Panne", subject_fr="Panne", body_fr=body)
    crash.lists.add(crash_list)
    services.campaign_start(campaign=crash, actor=None)
    workers = [_worker(env) for _ in range(WORKERS)]
    _wait(crash.pk, lambda c, sent: sent >= CRASH // 3)
    for worker in workers:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    killed_at = sum(sink.per_recipient.values())
    time.sleep(11)                           # past MAILING_STALL_SECONDS
    workers = [_worker(env) for _ in range(WORKERS)]
    call_command("mailing_tick", verbosity=0)
    crash_done = _wait(crash.pk, lambda c, sent: c.status == "sent", timeout=300)
    for worker in workers:
        worker.terminate()
        worker.wait(timeout=30)
    expected = {f"s{i}@bench.example" for i in range(MAILS, MAILS + CRASH)}
    received = sink.per_recipient
    exactly_once = set(received) == expected and all(v == 1 for v in received.values())
    controller.stop()
    ratio = rate / raw_rate
    print(json.dumps({
        "benchmark": "mailing", "database": env["DATABASE_URL"].split(":")[0],
        "mails": MAILS, "workers": WORKERS, "raw_smtplib_per_second": round(raw_rate, 1),
        "alliage_per_second": round(rate, 1), "seconds": round(seconds, 1),
        "ratio": round(ratio, 3), "all_sent_once": bool(finished and sent_once),
        "crash": {"mails": CRASH, "received_before_kill": killed_at,
                  "finished": crash_done, "exactly_once": exactly_once,
                  "duplicates": sum(v - 1 for v in received.values() if v > 1),
                  "missing": len(expected - set(received))},
        "goal": "Alliage >= 50 % of raw smtplib; every recipient exactly once, also "
                "across a killed worker",
        "meets_goal": bool(ratio >= 0.5 and finished and sent_once and exactly_once)}))


if __name__ == "__main__":
    main()
