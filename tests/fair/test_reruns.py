"""Running the placement again (issue #16, found by a review): what was held or marked stays,
the rest moves as little as it can, a run is queued once, and "held" means the slot is over."""

import dataclasses
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alliage.fair import scheduler, scheduling, services, stats
from alliage.fair.models import Meeting, MeetingSeat, ScheduleRun
from tests.fair.conftest import make_fair, people, windows_workload


def _accept(fair, a, b):
    r = services.meeting_request_create(fair=fair, requester=a, recipient=b, reason="R")
    return services.meeting_request_answer(request=r, participant=b, accept=True)


def _run(fair):
    run = ScheduleRun.objects.create(fair=fair)
    assert scheduling.schedule_run(run_id=run.pk) == "done"
    run.refresh_from_db()
    return run


def _place(fair, request, slot, table, **extra):
    m = Meeting.objects.create(fair=fair, request=request, slot=slot, table=table, **extra)
    for p in (request.requester_id, request.recipient_id):
        MeetingSeat.objects.create(meeting=m, participant_id=p, slot=slot)
    return m


def test_a_rerun_on_the_day_keeps_begun_meetings_and_no_shows_and_places_nothing_in_the_past(
        cast):
    now = timezone.now().replace(microsecond=0)
    # 20-minute slots from 30 minutes ago: slots 0 and 1 have begun, slot 0 is over.
    fair = make_fair(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8),
                     meetings_start=now - timedelta(minutes=30),
                     meetings_end=now + timedelta(hours=2), tables=2)
    p = people(fair, 6)
    held = _place(fair, _accept(fair, p[0], p[1]), slot=0, table=1)
    absent = _place(fair, _accept(fair, p[2], p[3]), slot=4, table=1, no_show=True)
    waiting = [_accept(fair, p[0], p[4]), _accept(fair, p[4], p[5])]
    run = _run(fair)
    assert Meeting.objects.filter(pk=held.pk, slot=0, table=1).exists()
    assert Meeting.objects.filter(pk=absent.pk, slot=4, no_show=True).exists()
    assert run.kept == 2 and run.accepted == 2 and run.placed == 2
    assert set(Meeting.objects.filter(request__in=waiting).values_list("slot", flat=True)) \
        .isdisjoint({0, 1})                          # nothing placed in a slot begun
    assert stats.for_fair(fair)["meetings_held"] == 1     # slot 0 is over, slot 4 absent


def test_a_rerun_after_a_small_change_leaves_every_other_meeting_where_it_was(cast, fair):
    fair.tables = 3
    fair.save()
    p = people(fair, 8)
    requests = [_accept(fair, p[a], p[b]) for a, b in
                [(0, 1), (0, 2), (0, 3), (1, 2), (2, 3), (4, 5), (4, 6), (5, 7), (6, 7),
                 (1, 4)]]
    _run(fair)
    before = {m.request_id: (m.pk, m.slot, m.table) for m in Meeting.objects.all()}
    assert len(before) == len(requests)
    services.meeting_request_cancel(request=requests[3], participant=p[1])
    _accept(fair, p[3], p[5])
    run = _run(fair)
    after = {m.request_id: (m.pk, m.slot, m.table) for m in Meeting.objects.all()}
    kept = {rid: where for rid, where in before.items() if rid != requests[3].pk}
    assert {rid: after.get(rid) for rid in kept} == kept   # same rows, slots and tables
    assert run.placed == len(after) == len(requests)
    ids = scheduling.problem_for(fair).prefer
    assert set(ids) == set(after)


def test_the_engine_moves_nothing_when_a_request_goes_and_another_takes_its_place():
    problem = windows_workload(people=150, requests=400, tables=12)
    first = scheduler.solve(problem, time_limit=5)
    where = {rid: slot for rid, (slot, _t) in first.placed.items()}
    gone = sorted(where)[3]
    again = scheduler.solve(dataclasses.replace(
        problem, requests=[r for r in problem.requests if r.id != gone],
        prefer={rid: s for rid, s in where.items() if rid != gone}), time_limit=5)
    assert again.count >= first.count - 1
    assert all(again.placed[rid][0] == s for rid, s in where.items()
               if rid != gone and rid in again.placed)
    assert all(rid in again.placed for rid in where if rid != gone)


def test_a_second_placement_is_refused_while_one_is_queued(cast, fair):
    p = people(fair, 2)
    _accept(fair, p[0], p[1])
    scheduling.schedule_enqueue(fair=fair, actor=cast.sam)      # the task waits for commit
    with pytest.raises(ValidationError):
        scheduling.schedule_enqueue(fair=fair, actor=cast.sam)
    assert ScheduleRun.objects.filter(fair=fair).count() == 1


def test_meetings_count_as_held_only_once_their_slot_is_over(cast):
    now = timezone.now().replace(microsecond=0)
    future = make_fair()
    p = people(future, 4)
    _place(future, _accept(future, p[0], p[1]), slot=0, table=1)
    assert stats.for_fair(future)["meetings_placed"] == 1
    assert stats.for_fair(future)["meetings_held"] == 0
    past = make_fair(slug="salon-passe")
    q = people(past, 4)
    _place(past, _accept(past, q[0], q[1]), slot=0, table=1)
    _place(past, _accept(past, q[2], q[3]), slot=1, table=1, no_show=True)
    type(past).objects.filter(pk=past.pk).update(          # then the fair took place
        starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=2),
        meetings_start=now - timedelta(days=3),
        meetings_end=now - timedelta(days=3) + timedelta(hours=2))
    past.refresh_from_db()
    assert stats.for_fair(past)["meetings_held"] == 1
    figures = stats.for_period((now - timedelta(days=30)).date(),
                               (now + timedelta(days=30)).date())
    assert figures["meetings_placed"] == 3 and figures["meetings_held"] == 1


def test_a_meeting_whose_slot_has_begun_can_no_longer_be_cancelled(client, cast):
    from tests.conftest import login, text

    now = timezone.now().replace(microsecond=0)
    fair = make_fair(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8),
                     meetings_start=now - timedelta(minutes=30),
                     meetings_end=now + timedelta(hours=2))
    alice = services.participant_save(fair=fair, contact=cast.alice.contact)
    carol = services.participant_save(fair=fair, contact=cast.carol.contact)
    request = _accept(fair, alice, carol)
    meeting = _place(fair, request, slot=0, table=1, no_show=True)
    login(client, cast.carol)
    page = text(client.get("/salon/salon-test/maillage/"))
    assert "Annuler" not in page.split("Demandes reçues")[1].split("Demandes envoyées")[0]
    with pytest.raises(ValidationError):
        services.meeting_request_cancel(request=request, participant=carol)
    response = client.post(f"/salon/salon-test/maillage/demandes/{request.pk}/annuler/",
                           {"confirmed": "1"}, follow=True)
    assert "ne peut plus être annulée" in text(response)
    assert Meeting.objects.filter(pk=meeting.pk, no_show=True).exists()
    request.refresh_from_db()
    assert request.status == "accepted"
