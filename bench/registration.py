"""Event registrations under 32 concurrent clients on PostgreSQL: throughput, 0 overbooking.

Builds an event with 400 seats and 1,200 logged-in members (real sessions), then 32 HTTP
clients post registrations through the public event page (full stack: middleware, CSRF,
row lock, draft invoice, one task queued for the emails and the invoice's number). Baseline
in the same run: a bare Django view, measured before and again after the registrations; the
ratios use the one after (the server is warm then: on a loaded machine the one before can
still meet workers booting, e.g. 1-2 req/s against 156-172 after).
Goal: no seat sold twice (registrations == capacity), no server error. Also reported: the
queries of one registration and of one "the event is full" answer (the same page through
the test client, on an event of its own). Last line is JSON.
"""

import http.client
import json
import multiprocessing as mp
import os
import secrets
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.directory import ENV, _database_url, _redis_url  # noqa: E402

CAPACITY = int(os.environ.get("BENCH_CAPACITY", "400"))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1200"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "32"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))


def build():
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from alliage.core.seed import seed_association, seed_places
    from alliage.events.models import Event, TicketType
    from alliage.members.models import Organisation
    from alliage.members.seed import seed_sectors

    seed_association()
    seed_places()
    seed_sectors()
    start = timezone.now() + timedelta(days=30)
    event = Event.objects.create(kind="networking", title_fr="5@7 du banc d'essai",
                                 slug="banc-essai", status="published", starts_at=start,
                                 ends_at=start + timedelta(hours=2), capacity=CAPACITY)
    ticket = TicketType.objects.create(event=event, name_fr="Entrée", member_price_cents=4000,
                                       public_price_cents=6000)
    orgs = [Organisation.objects.create(legal_name=f"Membre {i} inc.", slug=f"membre-{i}",
                                        member_status="active") for i in range(60)]
    from bench._sessions import member_cookies

    cookies = member_cookies(PEOPLE, orgs, prefix="p")
    return event.slug, ticket.pk, cookies


def queries_per_answer(ticket_capacity=5, people=10):
    """Queries of one registration and of one "the event is full" answer, through the same
    page with the test client, on an event of its own (``ticket_capacity`` seats)."""
    import secrets as _secrets
    from datetime import timedelta as _delta

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from alliage.events.models import Event, TicketType
    from alliage.members.models import Organisation
    from bench._sessions import member_cookies

    start = timezone.now() + _delta(days=30)
    event = Event.objects.create(kind="networking", title_fr="Compte des requêtes",
                                 slug="compte-requetes", status="published", starts_at=start,
                                 ends_at=start + _delta(hours=2), capacity=ticket_capacity)
    ticket = TicketType.objects.create(event=event, name_fr="Entrée", member_price_cents=4000,
                                       public_price_cents=6000)
    orgs = list(Organisation.objects.filter(slug__startswith="membre-")[:10])
    counts = {302: [], 200: []}
    for cookie in member_cookies(people, orgs, prefix="q"):
        client = Client()
        name, value = cookie.split("=", 1)
        csrf = _secrets.token_hex(16)
        client.cookies[name] = value
        client.cookies["csrftoken"] = csrf
        with CaptureQueriesContext(connection) as queries:
            response = client.post(f"/activites/{event.slug}/", {
                "ticket_type": ticket.pk, "csrfmiddlewaretoken": csrf}, HTTP_HOST="127.0.0.1")
        counts.setdefault(response.status_code, []).append(len(queries))
    mean = lambda values: round(sum(values) / len(values), 1) if values else None  # noqa: E731
    return {"registration": mean(counts[302]), "event_full": mean(counts[200])}


def _client(args):
    port, slug, ticket, cookies = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    outcomes = {"registered": 0, "full": 0, "errors": 0}
    latencies = []
    for cookie in cookies:
        csrf = secrets.token_hex(16)  # a fresh 32-character secret: cookie and form agree
        body = f"ticket_type={ticket}&csrfmiddlewaretoken={csrf}"
        headers = {"Host": "127.0.0.1", "Cookie": f"{cookie}; csrftoken={csrf}",
                   "Content-Type": "application/x-www-form-urlencoded"}
        started = time.perf_counter()
        try:
            conn.request("POST", f"/activites/{slug}/", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            outcomes["errors"] += 1
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        latencies.append(time.perf_counter() - started)
        if response.status == 302:
            outcomes["registered"] += 1
        elif response.status == 200:
            outcomes["full"] += 1
        else:
            outcomes["errors"] += 1
    return outcomes, latencies


def main():
    os.environ.update(ENV)
    # Mail goes to the database queue as in production (no worker here: it is not the
    # request's work), so the figures are the request path's.
    os.environ.update({"TASKS_BACKEND": "database", "EMAIL_BACKEND": "locmem"})
    os.environ["DATABASE_URL"] = _database_url()
    os.environ["REDIS_URL"] = _redis_url()
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        print(json.dumps({"benchmark": "registration", "meets_goal": False,
                          "error": "needs PostgreSQL"}))
        return
    slug, ticket, cookies = build()
    queries = queries_per_answer()
    from bench._load import run, start_server, stop_server

    server, port = start_server(ROOT, WORKERS)
    try:
        run("127.0.0.1", port, ["/bench/bare", f"/activites/{slug}/"], clients=8, seconds=3)
        bare = run("127.0.0.1", port, ["/bench/bare"], clients=CLIENTS, seconds=5)
        chunks = [cookies[i::CLIENTS] for i in range(CLIENTS)]
        started = time.monotonic()
        with mp.Pool(CLIENTS) as pool:
            results = pool.map(_client, [(port, slug, ticket, c) for c in chunks])
        elapsed = time.monotonic() - started
        # Again right after, on a warm server: the ratios use this one.
        bare_after = run("127.0.0.1", port, ["/bench/bare"], clients=CLIENTS, seconds=5)
    finally:
        stop_server(server)
    from alliage.events.models import Registration

    seats = Registration.objects.holding_a_seat().filter(event__slug=slug).count()
    totals = {k: sum(r[0][k] for r in results) for k in ("registered", "full", "errors")}
    latencies = sorted(x for _o, lat in results for x in lat)
    p95 = round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1) if latencies else None
    rps = round(len(latencies) / elapsed, 1)
    registered_rps = round(totals["registered"] / elapsed, 1)
    overbooked = max(0, seats - CAPACITY)
    bare_rps = bare_after["rps"]
    meets = (overbooked == 0 and seats == CAPACITY == totals["registered"]
             and totals["errors"] == 0)
    print(json.dumps({
        "benchmark": "registration", "database": "postgres", "clients": CLIENTS,
        "gunicorn_workers": WORKERS, "capacity": CAPACITY, "attempts": PEOPLE,
        "seconds": round(elapsed, 2), "requests_per_second": rps,
        "registrations_per_second": registered_rps, "p95_ms": p95, **totals,
        "seats_taken": seats, "overbooked": overbooked, "queries_per_answer": queries,
        "bare_rps": bare["rps"], "bare_errors": bare["errors"],
        "bare_rps_after": bare_after["rps"], "bare_errors_after": bare_after["errors"],
        "ratio_to_bare": round(rps / bare_rps, 3) if bare_rps else None,
        "registrations_ratio_to_bare": round(registered_rps / bare_rps, 4) if bare_rps
        else None,
        "goal": "0 overbooking (seats taken == capacity), no server error",
        "meets_goal": bool(meets)}))


if __name__ == "__main__":
    main()
