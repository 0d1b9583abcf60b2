import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from alliage.events import services
from alliage.events.models import Registration, WaitlistEntry
from alliage.members.models import Contact
from tests.conftest import login, text
from tests.events.conftest import make_event


def _people(n, org):
    from alliage.members.models import Affiliation

    people = []
    for i in range(n):
        c = Contact.objects.create(first_name=f"P{i}", last_name="Test",
                                   email=f"p{i}@acme.example")
        Affiliation.objects.create(contact=c, organisation=org)
        people.append(c)
    return people


def test_group_order_is_one_invoice_with_a_line_per_attendee(cast, event, mailoutbox):
    alice, bob = cast.alice.contact, cast.bob.contact
    order = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=alice, attendees=[alice, bob], organisation=cast.acme)
    invoice = order.invoice
    assert invoice.lines.count() == 2
    assert invoice.subtotal_cents == 8000  # member price, twice
    assert invoice.total_cents == 8000 + 400 + 798
    assert {m.to[0] for m in mailoutbox if "confirmée" in m.subject} == {
        "alice@acme.example", "bob@acme.example"}


def test_non_member_pays_the_public_price(cast, event):
    dan = cast.dan.contact
    order = services.order_create(event=event, ticket_type=event.ticket_types.get(), buyer=dan,
                                  attendees=[dan], organisation=cast.prospect)
    assert order.invoice.subtotal_cents == 6000


def test_members_only_event_refuses_non_members(cast):
    event = make_event(slug="membres", members_only=True)
    with pytest.raises(PermissionDenied):
        services.order_create(event=event, ticket_type=event.ticket_types.get(),
                              buyer=cast.dan.contact, attendees=[cast.dan.contact],
                              organisation=cast.prospect)


def test_a_group_that_does_not_fit_gets_no_seat(cast, event):
    people = _people(4, cast.acme)
    with pytest.raises(services.EventFull):
        services.order_create(event=event, ticket_type=event.ticket_types.get(),
                              buyer=people[0], attendees=people, organisation=cast.acme)
    assert Registration.objects.count() == 0


def test_nobody_registers_twice(cast, event):
    alice = cast.alice.contact
    services.order_create(event=event, ticket_type=event.ticket_types.get(), buyer=alice,
                          attendees=[alice], organisation=cast.acme)
    with pytest.raises(ValidationError):
        services.order_create(event=event, ticket_type=event.ticket_types.get(), buyer=alice,
                              attendees=[alice], organisation=cast.acme)


def test_cancellation_credits_the_line_and_offers_the_seat(cast, event, mailoutbox):
    people = _people(3, cast.acme)
    order = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=people[0], attendees=people, organisation=cast.acme)
    waiting = services.waitlist_join(event=event, ticket_type=event.ticket_types.get(),
                                     contact=cast.carol.contact)
    services.registration_cancel(registration=order.registrations.first(), actor=cast.sam)
    note = order.invoice.credit_notes.get()
    assert note.subtotal_cents == 4000
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    assert any("Une place est libre" in m.subject for m in mailoutbox)
    # The offered seat is held: nobody else can take it meanwhile.
    with pytest.raises(services.EventFull):
        services.order_create(event=event, ticket_type=event.ticket_types.get(),
                              buyer=cast.dan.contact, attendees=[cast.dan.contact],
                              organisation=cast.prospect)
    services.waitlist_accept(entry=waiting, organisation=cast.rival)
    waiting.refresh_from_db()
    assert waiting.status == "accepted"
    assert Registration.objects.holding_a_seat().filter(event=event).count() == 3


def test_waitlist_offer_expires_and_goes_to_the_next_person(cast, event):
    people = _people(3, cast.acme)
    order = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=people[0], attendees=people, organisation=cast.acme)
    first = services.waitlist_join(event=event, ticket_type=event.ticket_types.get(),
                                   contact=cast.carol.contact)
    second = services.waitlist_join(event=event, ticket_type=event.ticket_types.get(),
                                    contact=cast.dan.contact)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.registration_cancel(registration=order.registrations.first(), actor=cast.sam)
    with time_machine.travel(start + timedelta(hours=47), tick=False):
        assert services.waitlist_expire() == 0
    with time_machine.travel(start + timedelta(hours=49), tick=False):
        assert services.waitlist_expire() == 1
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.status == "expired" and second.status == "offered"
        with pytest.raises(ValidationError):
            services.waitlist_accept(entry=first)


def test_ical_feeds_parse(client, cast, event):
    cal = Calendar.from_ical(client.get(f"/activites/{event.slug}.ics").content)
    events = list(cal.walk("VEVENT"))
    assert str(events[0]["summary"]) == "5@7 réseautage"
    whole = Calendar.from_ical(client.get("/activites/calendrier.ics").content)
    assert len(list(whole.walk("VEVENT"))) == 1


def test_member_registers_from_the_event_page(client, cast, event, mailoutbox):
    login(client, cast.bob)
    response = client.post(f"/activites/{event.slug}/", {"ticket_type":
                                                         event.ticket_types.get().pk})
    assert response.status_code == 302
    assert Registration.objects.get(contact=cast.bob.contact).status == "confirmed"
    assert "Vous êtes inscrit" in text(client.get(f"/activites/{event.slug}/"))


def test_full_event_page_offers_the_waitlist(client, cast, event):
    services.order_create(event=event, ticket_type=event.ticket_types.get(),
                          buyer=cast.alice.contact, attendees=_people(3, cast.acme),
                          organisation=cast.acme)
    login(client, cast.carol)
    response = client.post(f"/activites/{event.slug}/",
                           {"ticket_type": event.ticket_types.get().pk})
    html = text(response)
    assert "Pas assez de places" in html and "liste d'attente" in html.lower()
    client.post(f"/activites/{event.slug}/attente/")
    assert WaitlistEntry.objects.get(contact=cast.carol.contact).status == "waiting"


def test_staff_check_in(client, cast, event):
    order = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=cast.bob.contact, attendees=[cast.bob.contact],
                                  organisation=cast.acme)
    reg = order.registrations.get()
    login(client, cast.alice)
    assert client.get(f"/gestion/activites/{event.slug}/inscriptions/").status_code == 403
    login(client, cast.sam)
    client.post(f"/gestion/activites/{event.slug}/inscriptions/{reg.pk}/presence/")
    reg.refresh_from_db()
    assert reg.checked_in_at is not None


@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_concurrent_registrations():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency is tested on PostgreSQL")
    from tests.people import Cast

    cast = Cast()
    event = make_event(slug="course", capacity=5)
    people = _people(20, cast.acme)
    ticket = event.ticket_types.get()
    barrier = threading.Barrier(len(people))
    outcomes = []

    def register(contact):
        from django.db import connections

        try:
            barrier.wait()
            services.order_create(event=event, ticket_type=ticket, buyer=contact,
                                  attendees=[contact], organisation=cast.acme)
            outcomes.append("ok")
        except services.EventFull:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(c,)) for c in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 5 and outcomes.count("full") == 15
    assert Registration.objects.holding_a_seat().filter(event=event).count() == 5


@pytest.mark.django_db(transaction=True)
def test_the_locked_count_sees_the_seat_committed_while_it_waited_for_the_lock():
    """The last seat taken by a transaction holding the event's lock is seen by the one that
    waited for that lock: its count runs after the lock is granted (in READ COMMITTED, a
    statement that waited still reads the snapshot from before; counting inside the locking
    statement overbooked one seat in bench/registration.py)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks and snapshots are PostgreSQL's")
    from django.db import connections, transaction

    from alliage.events.models import Event, Order
    from tests.people import Cast

    cast = Cast()
    event = make_event(slug="derniere-place", capacity=1)
    first, second = _people(2, cast.acme)
    ticket = event.ticket_types.get()
    waiter = {}

    def register_second():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                waiter["pid"] = cursor.fetchone()[0]
            services.order_create(event=event, ticket_type=ticket, buyer=second,
                                  attendees=[second], organisation=cast.acme)
            waiter["outcome"] = "registered"
        except services.EventFull:
            waiter["outcome"] = "full"
        finally:
            connections.close_all()

    thread = threading.Thread(target=register_second)
    with transaction.atomic():
        # The first buyer's seat, written under the event's lock and not yet committed:
        # the second buyer's quick check cannot see it, then it waits for the lock.
        Event.objects.select_for_update().get(pk=event.pk)
        order = Order.objects.create(event=event, buyer=first, organisation=cast.acme)
        Registration.objects.create(order=order, event=event, ticket_type=ticket,
                                    contact=first, status="confirmed")
        thread.start()
        deadline = time.monotonic() + 20
        waiting = False
        while not waiting and time.monotonic() < deadline:
            time.sleep(0.05)
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted",
                               [waiter.get("pid", 0)])
                waiting = cursor.fetchone() is not None
        assert waiting, "the second registration never waited for the event's lock"
    thread.join(20)
    assert waiter["outcome"] == "full"
    assert Registration.objects.holding_a_seat().filter(event=event).count() == 1


def test_a_full_event_is_answered_from_one_read_without_a_transaction(cast, event):
    """The "event is full" answer (two thirds of bench/registration.py's posts) reads the
    seats once and writes nothing: no transaction (no savepoint here) is opened for it."""
    from django.test.utils import CaptureQueriesContext

    ticket = event.ticket_types.get()
    for person in _people(event.capacity, cast.acme):
        services.order_create(event=event, ticket_type=ticket, buyer=person,
                              attendees=[person], organisation=cast.acme)
    late = _people(1, cast.acme)[0]
    with CaptureQueriesContext(connection) as queries, pytest.raises(services.EventFull):
        services.order_create(event=event, ticket_type=ticket, buyer=late, attendees=[late],
                              organisation=cast.acme)
    assert len(queries) == 1
    assert "SAVEPOINT" not in queries[0]["sql"].upper()
    assert not Registration.objects.filter(contact=late).exists()


def test_a_registration_writes_its_order_invoice_audit_and_task_in_few_queries(cast, event,
                                                                                 settings):
    """One registration with its draft invoice, 10 statements: the quick read, the order,
    the seat, who to bill, the invoice, its line, the order's invoice, the audit entry, the
    locked count (with the lock, in the same round trip on PostgreSQL) and the task's row
    (emails and numbering run later, in the task)."""
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult

    from alliage.core.models import AuditLog
    from tests.conftest import ALL_QUEUES

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ALL_QUEUES}}

    bob, ticket = cast.bob.contact, event.ticket_types.get()
    with CaptureQueriesContext(connection) as queries:
        order = services.order_create(event=event, ticket_type=ticket, buyer=bob,
                                      attendees=[bob], organisation=cast.acme)
    statements = [q["sql"] for q in queries
                  if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))]
    assert len(statements) == 10, statements
    order.refresh_from_db()
    assert order.invoice.is_draft and order.invoice.total_cents == 4000 + 200 + 399
    assert order.invoice.source == f"event-order:{order.pk}"
    assert AuditLog.objects.filter(action="event.order", object_id=str(event.pk)).exists()
    assert DBTaskResult.objects.filter(task_path__endswith="order_placed").count() == 1


def test_registrations_reach_the_crm_engagement_and_the_data_export(cast, event):
    from alliage.members import engagement, privacy
    from alliage.members.timeline import timeline_for

    order = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=cast.bob.contact, attendees=[cast.bob.contact],
                                  organisation=cast.acme)
    order.registrations.update(checked_in_at=timezone.now())
    assert any(e.kind == "event" for e in timeline_for(cast.acme))
    assert "events" in {p.key for p in engagement.score(cast.acme)[1]}
    export = privacy.person_export(cast.bob.contact)
    assert export["event_registrations"][0]["event"] == "5@7 réseautage"


def test_registered_people_hear_about_a_change_once(cast, event, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    services.order_create(event=event, ticket_type=event.ticket_types.get(),
                          buyer=cast.bob.contact, attendees=[cast.bob.contact],
                          organisation=cast.acme)
    with django_capture_on_commit_callbacks(execute=True):
        event.venue_name = "Salle Marguerite-Belley"
        event.save()
    with django_capture_on_commit_callbacks(execute=True):
        event.save()  # nothing changed: no message
    changes = [m for m in mailoutbox if m.subject.startswith("Changement")]
    assert len(changes) == 1 and "Salle Marguerite-Belley" in changes[0].body


def test_event_page_shows_sponsors(client, cast, event):
    from alliage.events.models import Sponsor

    Sponsor.objects.create(event=event, name="Caisse régionale", level="gold")
    assert "Caisse régionale" in text(client.get(f"/activites/{event.slug}/"))


def test_webinar_link_only_for_registered_people(client, cast):
    event = make_event(slug="webinaire-fraude", kind="webinar",
                       online_url="https://meet.example/fraude")
    login(client, cast.bob)
    assert "meet.example/fraude" not in text(client.get(f"/activites/{event.slug}/"))
    services.order_create(event=event, ticket_type=event.ticket_types.get(),
                          buyer=cast.bob.contact, attendees=[cast.bob.contact],
                          organisation=cast.acme)
    assert "meet.example/fraude" in text(client.get(f"/activites/{event.slug}/"))


def test_attendee_cannot_cancel_after_the_deadline_but_staff_can(client, cast):
    event = make_event(slug="visite", kind="visit",
                       cancellation_deadline=timezone.now() - timedelta(hours=1))
    order = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=cast.bob.contact, attendees=[cast.bob.contact],
                                  organisation=cast.acme)
    login(client, cast.bob)
    response = client.post(f"/activites/{event.slug}/annuler/", {"confirmed": "1"},
                           follow=True)
    assert "délai d'annulation est passé" in text(response)
    services.registration_cancel(registration=order.registrations.get(), actor=cast.sam)
    assert order.registrations.get().status == "cancelled"


def test_attendee_leaves_the_waitlist(client, cast, event):
    services.waitlist_join(event=event, ticket_type=event.ticket_types.get(),
                           contact=cast.carol.contact)
    login(client, cast.carol)
    client.post(f"/activites/{event.slug}/attente/quitter/")
    assert WaitlistEntry.objects.get(contact=cast.carol.contact).status == "left"


def test_cancelling_the_event_credits_everyone_and_tells_them(cast, event, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    order = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=cast.alice.contact,
                                  attendees=[cast.alice.contact, cast.bob.contact],
                                  organisation=cast.acme)
    with pytest.raises(ValidationError):
        services.event_cancel(event=event, actor=cast.sam, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_cancel(event=event, actor=cast.sam, reason="Tempête") == 1
    order.invoice.refresh_from_db()
    assert order.invoice.status == "cancelled"
    assert not Registration.objects.holding_a_seat().filter(event=event).exists()
    assert sum(1 for m in mailoutbox if m.subject.startswith("Annulée")) == 2


def test_a_full_session_refuses_new_attendees_but_others_remain(cast):
    from alliage.events.models import Session

    event = make_event(slug="rendez-vous", kind="suppliers", capacity=50)
    start = event.starts_at
    atelier = Session.objects.create(event=event, title="Atelier robotique", starts_at=start,
                                     ends_at=start + timedelta(hours=1), capacity=2)
    salon = Session.objects.create(event=event, title="Salon", starts_at=start,
                                   ends_at=start + timedelta(hours=4))
    ticket = event.ticket_types.get()
    people = _people(4, cast.acme)
    services.order_create(event=event, ticket_type=ticket, buyer=people[0],
                          attendees=people[:2], organisation=cast.acme, sessions=[atelier])
    with pytest.raises(services.EventFull):
        services.order_create(event=event, ticket_type=ticket, buyer=people[2],
                              attendees=[people[2]], organisation=cast.acme,
                              sessions=[atelier])
    with pytest.raises(services.EventFull):  # "every session" includes the full workshop
        services.order_create(event=event, ticket_type=ticket, buyer=people[2],
                              attendees=[people[2]], organisation=cast.acme)
    order = services.order_create(event=event, ticket_type=ticket, buyer=people[2],
                                  attendees=[people[2]], organisation=cast.acme,
                                  sessions=[salon])
    assert list(order.registrations.get().sessions.all()) == [salon]
