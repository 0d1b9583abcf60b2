"""Leads need consent; meeting requests follow their rules; the scheduling task places
accepted requests without double-booking anyone or any table, and is idempotent."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from alliage.fair import scheduling, services
from alliage.fair.models import (
    BoothVisit,
    Lead,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    ScheduleRun,
)
from tests.fair.conftest import join, people


def test_a_card_without_consent_is_not_kept(cast, booth):
    with pytest.raises(ValidationError):
        services.lead_leave(booth=booth, contact=cast.carol.contact, consent=False)
    assert Lead.objects.count() == 0


def test_a_card_with_consent_records_the_words_agreed_to_and_is_updated_not_duplicated(
        cast, booth):
    lead = services.lead_leave(booth=booth, contact=cast.carol.contact, consent=True,
                               message="Prix pour 200 bagues ?")
    assert lead.email == "carol@rival.example" and lead.name == "Carol Simard"
    assert "Précision Acme" in lead.consent_text and lead.consented_at
    services.lead_leave(booth=booth, contact=cast.carol.contact, consent=True, message="2e")
    assert Lead.objects.get().message == "2e"


def test_an_unpublished_booth_takes_no_card(cast, booth):
    booth.published = False
    booth.save()
    with pytest.raises(ValidationError):
        services.lead_leave(booth=booth, contact=cast.carol.contact, consent=True)


def test_a_person_counts_once_a_day_per_booth(cast, booth):
    for _ in range(3):
        services.visit_record(booth=booth, contact=cast.carol.contact)
    services.visit_record(booth=booth)
    assert BoothVisit.objects.count() == 2


def test_a_meeting_request_needs_a_reason_and_another_participant_and_is_not_repeated(
        cast, fair):
    alice, carol = join(fair, cast.alice), join(fair, cast.carol)
    with pytest.raises(ValidationError):
        services.meeting_request_create(fair=fair, requester=alice, recipient=carol, reason=" ")
    with pytest.raises(ValidationError):
        services.meeting_request_create(fair=fair, requester=alice, recipient=alice,
                                        reason="Moi")
    services.meeting_request_create(fair=fair, requester=alice, recipient=carol, reason="Acier")
    with pytest.raises(ValidationError):   # the other way round is the same pair
        services.meeting_request_create(fair=fair, requester=carol, recipient=alice,
                                        reason="Aussi")


def test_only_the_recipient_answers_and_only_once(cast, fair):
    alice, carol = join(fair, cast.alice), join(fair, cast.carol)
    r = services.meeting_request_create(fair=fair, requester=alice, recipient=carol,
                                        reason="Acier")
    with pytest.raises(PermissionDenied):
        services.meeting_request_answer(request=r, participant=alice, accept=True)
    services.meeting_request_answer(request=r, participant=carol, accept=True)
    with pytest.raises(ValidationError):
        services.meeting_request_answer(request=r, participant=carol, accept=False)
    assert MeetingRequest.objects.get().status == "accepted"


def _people(fair, n):
    return people(fair, n)


def _accept(fair, a, b, must=False):
    r = services.meeting_request_create(fair=fair, requester=a, recipient=b, reason="R",
                                        must_meet=must)
    return services.meeting_request_answer(request=r, participant=b, accept=True)


def test_the_schedule_places_accepted_requests_with_nobody_and_no_table_twice_in_a_slot(
        cast, fair, django_capture_on_commit_callbacks):
    # 6 slots x 2 tables; a star around p0 (5 requests) plus a ring: more than fits at once.
    p = _people(fair, 6)
    pairs = [(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (1, 2), (2, 3), (3, 4), (4, 5), (5, 1)]
    for a, b in pairs:
        _accept(fair, p[a], p[b])
    services.participant_save(fair=fair, contact=p[1].contact, busy_slots=[0, 1])
    declined = services.meeting_request_create(fair=fair, requester=p[2], recipient=p[5],
                                               reason="R")
    services.meeting_request_answer(request=declined, participant=p[5], accept=False)
    with django_capture_on_commit_callbacks(execute=True):
        run = scheduling.schedule_enqueue(fair=fair, actor=cast.sam)
    run.refresh_from_db()
    assert run.status == "done" and run.accepted == 10
    meetings = list(Meeting.objects.filter(fair=fair).select_related("request"))
    assert len(meetings) == run.placed >= run.greedy
    assert run.placed == 10                  # 12 places, p0's 5 meetings fit in 6 slots
    assert len({(m.slot, m.table) for m in meetings}) == len(meetings)
    seats = [(s.participant_id, s.slot) for s in MeetingSeat.objects.all()]
    assert len(seats) == len(set(seats)) == 2 * len(meetings)
    assert not any(m.slot in (0, 1) for m in meetings if p[1].pk in (
        m.request.requester_id, m.request.recipient_id))
    assert declined.pk not in {m.request_id for m in meetings}


def test_running_the_same_task_twice_places_nothing_twice(cast, fair):
    p = _people(fair, 4)
    _accept(fair, p[0], p[1])
    _accept(fair, p[2], p[3])
    run = ScheduleRun.objects.create(fair=fair)
    assert scheduling.schedule_run(run_id=run.pk) == "done"
    first = sorted(Meeting.objects.values_list("request_id", "slot", "table"))
    assert scheduling.schedule_run(run_id=run.pk) == "skipped"
    assert sorted(Meeting.objects.values_list("request_id", "slot", "table")) == first
    # A new run replaces the schedule: still one meeting per request.
    scheduling.schedule_run(run_id=ScheduleRun.objects.create(fair=fair).pk)
    assert Meeting.objects.count() == 2


def test_the_database_refuses_a_person_in_two_meetings_of_one_slot(cast, fair):
    p = _people(fair, 3)
    r1, r2 = _accept(fair, p[0], p[1]), _accept(fair, p[0], p[2])
    m1 = Meeting.objects.create(fair=fair, request=r1, slot=0, table=1)
    m2 = Meeting.objects.create(fair=fair, request=r2, slot=0, table=2)
    MeetingSeat.objects.create(meeting=m1, participant=p[0], slot=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSeat.objects.create(meeting=m2, participant=p[0], slot=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(fair=fair, request=_accept(fair, p[1], p[2]), slot=0, table=1)


def test_cancelling_an_accepted_request_frees_its_meeting(cast, fair):
    p = _people(fair, 2)
    r = _accept(fair, p[0], p[1])
    scheduling.schedule_run(run_id=ScheduleRun.objects.create(fair=fair).pk)
    assert Meeting.objects.count() == 1
    with pytest.raises(ValidationError):      # busy where the meeting is: cancel first
        services.participant_save(fair=fair, contact=p[0].contact,
                                  busy_slots=[Meeting.objects.get().slot])
    services.meeting_request_cancel(request=r, participant=p[1])
    assert Meeting.objects.count() == 0 and MeetingSeat.objects.count() == 0


def test_a_placement_that_no_longer_holds_is_dropped_not_forced(cast, fair):
    p = _people(fair, 2)
    r = _accept(fair, p[0], p[1])
    run = ScheduleRun.objects.create(fair=fair)
    # The request is cancelled while the solver runs: the result is written without it.
    services.meeting_request_cancel(request=r, participant=p[0])
    with transaction.atomic():
        assert scheduling._write(fair, run, {r.pk: (0, 1)}) == 0
    assert Meeting.objects.count() == 0


def test_the_booth_rental_is_billed_once_with_quebec_taxes(cast, booth):
    booth = services.booth_invoice(booth=booth, price_cents=45000, actor=cast.sam)
    invoice = booth.invoice
    assert invoice.organisation == cast.acme and invoice.number
    assert (invoice.subtotal_cents, invoice.tps_cents, invoice.tvq_cents) == (45000, 2250, 4489)
    with pytest.raises(ValidationError):
        services.booth_invoice(booth=booth, price_cents=45000, actor=cast.sam)


def test_suggestions_rank_participants_by_the_showcase_finder_with_reasons(cast, fair):
    from alliage.fair import selectors
    from tests.showcase.conftest import product

    product(cast.rival, "Poutres d'acier galvanisé")
    carol = services.participant_save(fair=fair, contact=cast.carol.contact,
                                      organisation=cast.rival)
    services.participant_save(fair=fair, contact=cast.bob.contact, organisation=cast.acme)
    alice = services.participant_save(fair=fair, contact=cast.alice.contact,
                                      organisation=cast.acme, seeks="poutres acier")
    found = selectors.suggestions(fair, alice)
    assert [s["participant"] for s in found] == [carol]     # never one's own colleague
    assert any("Poutres" in text for _label, text in found[0]["reasons"])
    assert selectors.suggestions(fair, carol) == []           # carol seeks nothing


def test_each_participant_gets_their_agenda_the_day_before_once_per_version(cast, fair):
    from datetime import timedelta

    from django.core import mail

    from alliage.fair.reminders import agenda_reminders

    alice, carol = join(fair, cast.alice), join(fair, cast.carol)
    r = services.meeting_request_create(fair=fair, requester=alice, recipient=carol,
                                        reason="Acier")
    services.meeting_request_answer(request=r, participant=carol, accept=True)
    scheduling.schedule_run(run_id=ScheduleRun.objects.create(fair=fair).pk)
    too_early = fair.meetings_start - timedelta(days=3)
    assert agenda_reminders(too_early) == 0
    day_before = fair.meetings_start - timedelta(hours=20)
    assert agenda_reminders(day_before) == 2
    assert agenda_reminders(day_before) == 0               # already sent
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Carol Simard" in bodies["alice@acme.example"]
    assert "/salon/salon-test/agenda/" in bodies["carol@rival.example"]


def test_when_the_fair_is_an_event_only_its_registered_people_take_part(cast, fair):
    from alliage.events import services as events
    from tests.events.conftest import make_event

    event = make_event(slug="salon-evenement", capacity=None)
    fair.event = event
    fair.save()
    with pytest.raises(ValidationError):
        join(fair, cast.carol)
    events.order_create(event=event, ticket_type=event.ticket_types.get(),
                        buyer=cast.carol.contact, attendees=[cast.carol.contact],
                        organisation=cast.rival)
    assert join(fair, cast.carol).contact == cast.carol.contact


def test_participants_pick_a_free_slot_themselves_and_the_organisers_run_keeps_it(
        cast, fair):
    from alliage.fair.scheduler import Schedule, violations

    p = _people(fair, 4)
    r1 = _accept(fair, p[0], p[1])
    with pytest.raises(PermissionDenied):
        services.meeting_self_place(request=r1, participant=p[2], slot=0)
    meeting = services.meeting_self_place(request=r1, participant=p[0], slot=2)
    assert (meeting.slot, meeting.table, meeting.self_picked) == (2, 1, True)
    with pytest.raises(ValidationError):                     # already placed
        services.meeting_self_place(request=r1, participant=p[1], slot=3)
    r2 = _accept(fair, p[0], p[2])
    with pytest.raises(ValidationError):                     # p0 is already seated at 2
        services.meeting_self_place(request=r2, participant=p[2], slot=2)
    assert 2 not in services.free_slots(fair, r2)
    # The grid has 2 tables: a third meeting in slot 2 is refused once both are taken.
    r3 = _accept(fair, p[2], p[3])
    assert services.meeting_self_place(request=r3, participant=p[3], slot=2).table == 2
    r4 = _accept(fair, p[1], p[3])
    assert 2 not in services.free_slots(fair, r4)
    # A central run places the rest around them and leaves them where they are.
    problem = scheduling.problem_for(fair)
    assert {r.id for r in problem.requests} == {r2.pk, r4.pk} and problem.taken == {2: {1, 2}}
    scheduling.schedule_run(run_id=ScheduleRun.objects.create(fair=fair).pk)
    meetings = {m.request_id: m for m in Meeting.objects.filter(fair=fair)}
    assert set(meetings) == {r1.pk, r2.pk, r3.pk, r4.pk}
    assert (meetings[r1.pk].slot, meetings[r1.pk].table) == (2, 1)
    assert meetings[r2.pk].slot != 2 and meetings[r4.pk].slot != 2
    seats = list(MeetingSeat.objects.values_list("participant_id", "slot"))
    assert len(seats) == len(set(seats)) == 8
    central = {m.request_id: (m.slot, m.table) for m in meetings.values() if not m.self_picked}
    assert violations(problem, Schedule(central)) == []


def test_a_run_whose_solver_fails_says_so(cast, fair, monkeypatch):
    from alliage.fair import scheduler

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(scheduler, "solve", broken)
    run = ScheduleRun.objects.create(fair=fair)
    with pytest.raises(RuntimeError):
        scheduling.schedule_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and run.finished_at
