"""On PostgreSQL, with real concurrent transactions: one scheduling task delivered twice at
once writes once; two runs of one fair at once never leave anyone or any table twice in a
slot."""

import threading

import pytest
from django.db import connection

from alliage.fair import scheduling, services
from alliage.fair.models import Meeting, MeetingSeat, ScheduleRun
from alliage.members.models import Contact
from tests.fair.conftest import make_fair


def _world():
    fair = make_fair(tables=3)
    people = [services.participant_save(fair=fair, contact=Contact.objects.create(
        first_name=f"P{i}", last_name="Test", email=f"p{i}@x.example")) for i in range(10)]
    for i, a in enumerate(people):
        for b in people[i + 1:i + 4]:
            r = services.meeting_request_create(fair=fair, requester=a, recipient=b, reason="R")
            services.meeting_request_answer(request=r, participant=b, accept=True)
    return fair


def _together(*calls):
    from django.db import connections

    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def _assert_no_double_booking(fair):
    meetings = list(Meeting.objects.filter(fair=fair))
    assert len({(m.slot, m.table) for m in meetings}) == len(meetings)
    seats = list(MeetingSeat.objects.filter(meeting__fair=fair).values_list("participant",
                                                                            "slot"))
    assert len(seats) == len(set(seats)) == 2 * len(meetings)
    assert len({m.request_id for m in meetings}) == len(meetings)


@pytest.mark.django_db(transaction=True)
def test_one_task_delivered_twice_at_once_writes_once():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency is tested on PostgreSQL")
    fair = _world()
    run = ScheduleRun.objects.create(fair=fair)
    results, errors = _together(lambda: scheduling.schedule_run(run_id=run.pk, time_limit=2),
                                lambda: scheduling.schedule_run(run_id=run.pk, time_limit=2))
    assert errors == [] and sorted(results) == ["done", "skipped"]
    run.refresh_from_db()
    assert Meeting.objects.filter(fair=fair).count() == run.placed > 0
    _assert_no_double_booking(fair)


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_fair_at_once_leave_one_valid_schedule():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency is tested on PostgreSQL")
    fair = _world()
    a, b = ScheduleRun.objects.create(fair=fair), ScheduleRun.objects.create(fair=fair)
    results, errors = _together(lambda: scheduling.schedule_run(run_id=a.pk, time_limit=2),
                                lambda: scheduling.schedule_run(run_id=b.pk, time_limit=2))
    assert errors == [] and results == ["done", "done"]
    _assert_no_double_booking(fair)
    assert Meeting.objects.filter(fair=fair).count() == ScheduleRun.objects.get(pk=a.pk).placed
