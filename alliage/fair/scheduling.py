"""The organiser's central scheduling: accepted requests placed in slots and at tables by the
engine (``alliage.fair.scheduler``), run as a background task, idempotent.

``schedule_run`` reads the accepted requests, solves with no transaction open (the solver may
take seconds), then in one transaction locks the run, drops the fair's previous placements
and writes the new ones. A run already finished does nothing (a task delivered twice places
nothing twice). The database has the last word on double-booking: a table holds one meeting
per slot (``one_meeting_per_table_and_slot``) and a person one seat per slot
(``one_place_per_person_and_slot``); a placement that no longer holds (a request cancelled or
a person marked busy while the solver ran) is dropped, never forced.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.core import audit
from alliage.fair import scheduler
from alliage.fair.models import (
    Fair,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    Participant,
    ScheduleRun,
)

TIME_LIMIT_SECONDS = 8.0


def kept_meetings(fair, now=None):
    """The meetings a run leaves where they are: those the participants placed themselves,
    those marked no-show, and those whose slot has begun (under way or held)."""
    return Meeting.objects.filter(fair=fair).filter(
        Q(self_picked=True) | Q(no_show=True) | Q(slot__lt=fair.slots_started(now)))


def problem_for(fair, now=None):
    """The engine's input for a fair: its grid, tables, accepted requests and who is busy.

    Kept meetings (``kept_meetings``) stay where they are: their requests are left out,
    their people are busy in that slot and their tables are taken. Slots that have begun
    take no new meeting. The other meetings of an earlier run are the engine's preference
    (``Problem.prefer``): a run moves as few of them as it can."""
    kept = kept_meetings(fair, now)
    fixed = list(kept.values_list("request_id", "slot", "table"))
    accepted = list(MeetingRequest.objects.filter(
        fair=fair, status=MeetingRequest.Status.ACCEPTED)
        .exclude(pk__in=[rid for rid, _s, _t in fixed])
        .values_list("pk", "requester_id", "recipient_id", "must_meet"))
    started = range(fair.slots_started(now))
    busy = {p: set(slots or ()) | set(started) for p, slots in Participant.objects
            .filter(fair=fair).values_list("pk", "busy_slots")}
    for participant, slot in MeetingSeat.objects.filter(
            meeting__in=kept).values_list("participant_id", "slot"):
        busy.setdefault(participant, set()).add(slot)
    taken = {}
    for _rid, slot, table in fixed:
        taken.setdefault(slot, set()).add(table)
    prefer = dict(Meeting.objects.filter(fair=fair).exclude(pk__in=kept.values("pk"))
                  .values_list("request_id", "slot"))
    return scheduler.Problem(
        slots=fair.slot_count, tables=fair.tables,
        requests=[scheduler.Request(pk, a, b, bool(m)) for pk, a, b, m in accepted],
        busy={p: slots for p, slots in busy.items() if slots}, taken=taken, prefer=prefer)


def schedule_enqueue(*, fair, actor):
    """Queue a run of the optimiser for a fair; the task runs after this commits."""
    from alliage.fair.services import meetings_open
    from alliage.fair.tasks import run_schedule

    meetings_open(fair)       # a run would move meetings already held and their no-shows
    with transaction.atomic():
        Fair.objects.select_for_update().filter(pk=fair.pk).first()
        if ScheduleRun.objects.filter(fair=fair, status=ScheduleRun.Status.QUEUED).exists():
            raise ValidationError(_("A placement is already under way for this fair: its "
                                    "result will show on this page."))
        run = ScheduleRun.objects.create(fair=fair, requested_by=actor)
        audit.record(actor=actor, action="fair.schedule", obj=fair, changes={"run": run.pk})
        transaction.on_commit(lambda: run_schedule.enqueue(run.pk))
    return run


def schedule_run(*, run_id, time_limit=TIME_LIMIT_SECONDS):
    """Solve and write one run's schedule (idempotent: a finished run is left as it is)."""
    run = ScheduleRun.objects.select_related("fair").filter(pk=run_id).first()
    if run is None or run.status != ScheduleRun.Status.QUEUED:
        return "skipped"
    fair = run.fair
    now = timezone.now()
    try:
        problem = problem_for(fair, now)
        result = scheduler.solve(problem, time_limit=time_limit)
        base = scheduler.greedy(problem)
    except Exception:
        # The page says so (instead of a run queued forever); the worker logs the error.
        ScheduleRun.objects.filter(pk=run_id, status=ScheduleRun.Status.QUEUED).update(
            status=ScheduleRun.Status.FAILED, finished_at=timezone.now())
        raise
    with transaction.atomic():
        run = ScheduleRun.objects.select_for_update().get(pk=run_id)
        if run.status != ScheduleRun.Status.QUEUED:
            return "skipped"
        # Two runs of one fair write one after the other (the later replaces the earlier).
        Fair.objects.select_for_update().filter(pk=fair.pk).first()
        written = _write(fair, run, result.placed, now)
        run.status = ScheduleRun.Status.DONE
        run.finished_at = timezone.now()
        run.accepted = len(problem.requests)
        run.placed = written
        run.kept = kept_meetings(fair, now).count()
        run.greedy = base.count
        run.upper_bound = result.upper_bound
        run.solver_status = result.status[:20]
        run.seconds = round(result.seconds, 3)
        run.save()
    return "done"


def _write(fair, run, placed, now=None):
    """Replace the fair's movable placements by ``placed`` ({request: (slot, table)}),
    keeping only those still valid now (rows locked). A meeting placed again in its slot
    keeps its row (its id, its calendar entry) and, when it is free, its table; tables are
    numbered here, lowest free first, so the solver's own numbering does not move them."""
    current = MeetingRequest.objects.select_for_update().filter(
        fair=fair, status=MeetingRequest.Status.ACCEPTED, pk__in=list(placed))
    requests = {r.pk: r for r in current}
    busy = {p.pk: set(p.busy_slots or []) for p in Participant.objects.select_for_update()
            .filter(fair=fair)}
    kept = kept_meetings(fair, now)
    fixed = set(kept.values_list("request_id", flat=True))
    previous = {m.request_id: m for m in Meeting.objects.filter(fair=fair)
                .exclude(request_id__in=fixed)}
    stay = {rid: m for rid, m in previous.items()
            if rid in placed and placed[rid][0] == m.slot and rid in requests
            and not any(m.slot in busy.get(p, ()) for p in (requests[rid].requester_id,
                                                           requests[rid].recipient_id))}
    Meeting.objects.filter(fair=fair).exclude(request_id__in=fixed).exclude(
        pk__in=[m.pk for m in stay.values()]).delete()
    held = Meeting.objects.filter(fair=fair)
    tables = set(held.values_list("slot", "table"))
    taken = set(MeetingSeat.objects.filter(meeting__fair=fair).values_list("participant_id",
                                                                          "slot"))
    started = fair.slots_started(now)
    meetings, seats = [], []
    for rid in sorted(placed):
        slot, _table = placed[rid]
        r = requests.get(rid)
        if r is None or rid in fixed or rid in stay or not (started <= slot < fair.slot_count):
            continue
        people = (r.requester_id, r.recipient_id)
        if any(slot in busy.get(p, ()) or (p, slot) in taken for p in people):
            continue
        table = next((t for t in range(1, fair.tables + 1) if (slot, t) not in tables), None)
        if table is None:
            continue
        taken.update((p, slot) for p in people)
        tables.add((slot, table))
        meetings.append(Meeting(fair=fair, request=r, slot=slot, table=table, run=run))
    Meeting.objects.bulk_create(meetings)
    for m in Meeting.objects.filter(fair=fair, seats__isnull=True).select_related("request"):
        seats += [MeetingSeat(meeting=m, participant_id=m.request.requester_id, slot=m.slot),
                  MeetingSeat(meeting=m, participant_id=m.request.recipient_id, slot=m.slot)]
    MeetingSeat.objects.bulk_create(seats)
    return len(meetings) + len(stay)
