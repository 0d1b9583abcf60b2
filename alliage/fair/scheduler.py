"""The B2B meeting scheduler: a pure engine (no Django import).

Accepted meeting requests are placed in slots of a grid and at tables so that nobody is in two
meetings of one slot, no table holds two meetings of one slot, each person meets only when
available, and as many meetings as possible are held; among schedules holding the same
number, the one with the most must-meet requests wins.

Tables are interchangeable, so the model chooses a slot per request (at most ``tables``
meetings per slot) and tables are numbered afterwards: that removes the table symmetry that
would otherwise multiply the search by the number of tables.

The solvers are OR-Tools': GLOP for the linear relaxation (a tight bound and, rounded, a
schedule) and CP-SAT to improve on it (docs/decisions/0013-fair-meeting-scheduler-cp-sat.md).
``greedy`` is the baseline the benchmark compares with. CP-SAT starts from the best of
``greedy``, ``constrained_first`` and ``lp_rounded``, and the answer is never worse than that
start; when the start is returned, the status says which ("…+GREEDY", "…+HINT", "…+LP").
"OPTIMAL" means the bound is reached: no schedule holds more meetings.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    id: int
    a: int             # participant ids
    b: int
    must_meet: bool = False


@dataclass
class Problem:
    slots: int
    tables: int
    requests: list[Request]
    busy: dict[int, set[int]] = field(default_factory=dict)   # participant -> busy slots
    # Tables already held in a slot by meetings placed outside the run (kept as they are).
    taken: dict[int, set[int]] = field(default_factory=dict)  # slot -> tables
    # Where an earlier run placed a request: among schedules holding as many meetings (and
    # as many must-meet ones), the one moving the fewest meetings wins.
    prefer: dict[int, int] = field(default_factory=dict)      # request -> slot

    def free_tables(self, slot):
        return self.tables - len(self.taken.get(slot, ()))

    def open_slots(self, r):
        busy = self.busy.get(r.a, set()) | self.busy.get(r.b, set())
        return [s for s in range(self.slots) if s not in busy]


@dataclass
class Schedule:
    placed: dict[int, tuple[int, int]]      # request id -> (slot, table), tables from 1
    upper_bound: int | None = None          # no schedule can hold more meetings
    status: str = ""
    seconds: float = 0.0

    @property
    def count(self):
        return len(self.placed)


def number_tables(chosen, taken=None):
    """{request: slot} -> {request: (slot, table)}: in request order, each gets the lowest
    table of its slot not ``taken`` (by meetings placed outside the run) nor given yet."""
    out, used = {}, {slot: set(tables) for slot, tables in (taken or {}).items()}
    for rid in sorted(chosen):
        slot = chosen[rid]
        held = used.setdefault(slot, set())
        table = next(t for t in range(1, len(held) + 2) if t not in held)
        held.add(table)
        out[rid] = (slot, table)
    return out


def greedy(problem: Problem) -> Schedule:
    """The baseline: must-meet requests first, then by id; each in its first slot where
    both people are free and a table is left."""
    started = time.perf_counter()
    taken = set()                   # (participant, slot)
    per_slot = [0] * problem.slots
    chosen = {}
    for r in sorted(problem.requests, key=lambda r: (not r.must_meet, r.id)):
        for s in problem.open_slots(r):
            if per_slot[s] < problem.free_tables(s) and (r.a, s) not in taken \
                    and (r.b, s) not in taken:
                chosen[r.id] = s
                per_slot[s] += 1
                taken.update({(r.a, s), (r.b, s)})
                break
    return Schedule(number_tables(chosen, problem.taken), status="GREEDY",
                    seconds=time.perf_counter() - started)


def constrained_first(problem: Problem) -> Schedule:
    """The solver's starting point (a hint, not the baseline): must-meet requests first,
    then those with the fewest open slots and the busiest people, each in its open slot
    holding the fewest meetings so far. Where people's agendas bind it places more than
    ``greedy``, so the solver starts higher."""
    started = time.perf_counter()
    degree: dict[int, int] = {}
    for r in problem.requests:
        degree[r.a] = degree.get(r.a, 0) + 1
        degree[r.b] = degree.get(r.b, 0) + 1
    opens = {r.id: problem.open_slots(r) for r in problem.requests}
    taken = set()
    per_slot = [0] * problem.slots
    chosen = {}
    for r in sorted(problem.requests, key=lambda r: (not r.must_meet, len(opens[r.id]),
                                                     -(degree[r.a] + degree[r.b]), r.id)):
        free = [s for s in opens[r.id] if per_slot[s] < problem.free_tables(s)
                and (r.a, s) not in taken and (r.b, s) not in taken]
        if free:
            s = min(free, key=lambda s: (per_slot[s], s))
            chosen[r.id] = s
            per_slot[s] += 1
            taken.update({(r.a, s), (r.b, s)})
    return Schedule(number_tables(chosen, problem.taken), status="HINT",
                    seconds=time.perf_counter() - started)


def simple_bound(problem: Problem) -> int:
    """A bound no schedule passes: the requests, the grid's places, and each person's
    meetings (at most their requests and their free slots; two people per meeting)."""
    degree: dict[int, int] = {}
    for r in problem.requests:
        degree[r.a] = degree.get(r.a, 0) + 1
        degree[r.b] = degree.get(r.b, 0) + 1
    seats = sum(min(d, problem.slots - len(problem.busy.get(p, set()) & set(
        range(problem.slots)))) for p, d in degree.items())
    places = sum(max(0, problem.free_tables(s)) for s in range(problem.slots))
    return min(len(problem.requests), places, seats // 2)


def flow_bound(problem: Problem) -> int:
    """A tighter bound, proven by a maximum flow (OR-Tools): each person meets at most as
    many times as they have slots where one of their requests could be held, and each
    meeting takes one such place from both people. The flow on the "double cover" (every
    person once as a sender, once as a receiver; each request an arc both ways) is at least
    twice any schedule's meetings, so half of it is a bound (min'd with the grid's places)."""
    from ortools.graph.python import max_flow

    usable: dict[int, set[int]] = {}
    arcs = []
    for r in problem.requests:
        open_ = set(problem.open_slots(r))
        if open_:
            arcs.append((r.a, r.b))
            usable.setdefault(r.a, set()).update(open_)
            usable.setdefault(r.b, set()).update(open_)
    if not arcs:
        return 0
    index = {p: i for i, p in enumerate(sorted(usable))}
    n = len(index)
    source, sink = 2 * n, 2 * n + 1
    flow = max_flow.SimpleMaxFlow()
    for a, b in arcs:
        flow.add_arc_with_capacity(index[a], n + index[b], 1)
        flow.add_arc_with_capacity(index[b], n + index[a], 1)
    for person, i in index.items():
        flow.add_arc_with_capacity(source, i, len(usable[person]))
        flow.add_arc_with_capacity(n + i, sink, len(usable[person]))
    if flow.solve(source, sink) != flow.OPTIMAL:
        return simple_bound(problem)
    places = sum(max(0, problem.free_tables(s)) for s in range(problem.slots))
    return min(flow.optimal_flow() // 2, places, len(arcs))


def relaxation(problem: Problem):
    """The linear relaxation (OR-Tools GLOP): every rule of the schedule with the meetings'
    variables allowed between 0 and 1. Its optimum is a bound no schedule passes, much
    tighter than ``flow_bound`` where people's agendas bind (it sees which slots two people
    share), and its solution is almost whole: rounded, it is a schedule (``lp_rounded``).

    The objective counts each meeting once plus a small premium for must-meet requests,
    smaller in total than one meeting, so the count stays first, and a smaller one for a
    request kept in its earlier slot (``Problem.prefer``), smaller in total than one
    must-meet premium. Returns (bound on the number of meetings, {(request, slot): value}),
    or (None, {}) if GLOP did not solve it.
    """
    from ortools.linear_solver import pywraplp

    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:
        return None, {}
    must = sum(1 for r in problem.requests if r.must_meet)
    premium = 1.0 / (must + 2)
    stay = premium / (len(problem.prefer) + 2)
    x, rows, objective = {}, {}, []
    for r in problem.requests:
        for s in problem.open_slots(r):
            v = lp.NumVar(0.0, 1.0, "")
            x[r.id, s] = v
            objective.append(v * (1.0 + (premium if r.must_meet else 0.0)
                                  + (stay if problem.prefer.get(r.id) == s else 0.0)))
            for key in (("r", r.id), ("p", r.a, s), ("p", r.b, s)):
                rows.setdefault(key, []).append(v)
            rows.setdefault(("s", s), []).append(v)
    if not x:
        return 0, {}
    for key, vs in rows.items():
        limit = max(0, problem.free_tables(key[1])) if key[0] == "s" else 1
        if len(vs) > limit:
            lp.Add(lp.Sum(vs) <= limit)
    lp.Maximize(lp.Sum(objective))
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None, {}
    # Any schedule's count is at most its objective (the premiums add less than one).
    bound = int(lp.Objective().Value() + 1e-6)
    return bound, {key: v.solution_value() for key, v in x.items()
                   if v.solution_value() > 1e-6}


def lp_rounded(problem: Problem, values) -> Schedule:
    """A schedule from the relaxation's solution: meetings by their value (whole ones
    first; must-meet, then the fewest open slots break ties) each kept when its people and
    a table are free, then every request left tried in its open slots, the most constrained
    first (as ``constrained_first``)."""
    started = time.perf_counter()
    requests = {r.id: r for r in problem.requests}
    opens = {r.id: problem.open_slots(r) for r in problem.requests}
    taken = set()
    per_slot = [0] * problem.slots
    chosen = {}

    def place(r, s):
        if r.id in chosen or per_slot[s] >= problem.free_tables(s) \
                or (r.a, s) in taken or (r.b, s) in taken:
            return False
        chosen[r.id] = s
        per_slot[s] += 1
        taken.update({(r.a, s), (r.b, s)})
        return True

    prefer = problem.prefer
    for (rid, s), _v in sorted(values.items(), key=lambda kv: (
            -round(kv[1], 6), not requests[kv[0][0]].must_meet,
            prefer.get(kv[0][0]) != kv[0][1], len(opens[kv[0][0]]), kv[0])):
        place(requests[rid], s)
    for r in sorted(problem.requests, key=lambda r: (not r.must_meet, len(opens[r.id]), r.id)):
        for s in sorted(opens[r.id], key=lambda s: s != prefer.get(r.id)):
            if place(r, s):
                break
    return Schedule(number_tables(chosen, problem.taken), status="LP",
                    seconds=time.perf_counter() - started)


def solve(problem: Problem, *, time_limit=8.0, workers=2, seed=7) -> Schedule:
    """The optimised schedule, never worse than ``greedy``.

    1. The quick schedules (``greedy``, ``constrained_first``) and the combinatorial bounds;
       when one of them already reaches the bound with every must-meet placed, it is optimal.
    2. The linear relaxation (GLOP): a tight bound, and its rounded solution.
    3. CP-SAT, started from the best schedule so far and capped by the bound, in two
       phases: the most meetings (the solver may prove the bound), then, keeping that many,
       the most must-meet requests. Its answer replaces the start only when better.
    """
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    must = {r.id for r in problem.requests if r.must_meet}

    def second(slots):
        """What decides between schedules holding as many meetings ({request: slot}): the
        must-meet requests placed, then the requests left in their earlier slot."""
        return (len(must & slots.keys()),
                sum(problem.prefer.get(rid) == slot for rid, slot in slots.items()))

    def rank(schedule):
        return (schedule.count, *second({rid: s for rid, (s, _t) in schedule.placed.items()}))

    # The better of the two quick schedules (most meetings, then most must-meet ones).
    baseline = max(greedy(problem), constrained_first(problem), key=rank)
    cap = min(simple_bound(problem), flow_bound(problem))
    if baseline.count >= cap and must <= baseline.placed.keys() and not problem.prefer:
        return Schedule(baseline.placed, upper_bound=cap, status="OPTIMAL+" + baseline.status,
                        seconds=time.perf_counter() - started)
    lp_bound, values = relaxation(problem)
    if lp_bound is not None:
        cap = min(cap, lp_bound)
        baseline = max(baseline, lp_rounded(problem, values), key=rank)
        if baseline.count >= cap and must <= baseline.placed.keys() \
                and rank(baseline)[2] == len(problem.prefer):
            return Schedule(baseline.placed, upper_bound=cap,
                            status="OPTIMAL+" + baseline.status,
                            seconds=time.perf_counter() - started)
    model = cp_model.CpModel()
    x = {}
    by_person_slot: dict[tuple[int, int], list] = {}
    by_slot: dict[int, list] = {}
    by_person: dict[int, list] = {}
    for r in problem.requests:
        own = []
        for s in problem.open_slots(r):
            v = model.NewBoolVar(f"x{r.id}_{s}")
            x[r.id, s] = v
            own.append(v)
            by_person_slot.setdefault((r.a, s), []).append(v)
            by_person_slot.setdefault((r.b, s), []).append(v)
            by_slot.setdefault(s, []).append(v)
        if len(own) > 1:
            model.AddAtMostOne(own)
        by_person.setdefault(r.a, []).extend(own)
        by_person.setdefault(r.b, []).extend(own)
    for vs in by_person_slot.values():
        if len(vs) > 1:
            model.AddAtMostOne(vs)
    # Implied by the rows above, stated for the solver's relaxation: a person meets at most
    # once per slot where they could meet at all.
    places: dict[int, int] = {}
    for person, _s in by_person_slot:
        places[person] = places.get(person, 0) + 1
    for person, vs in by_person.items():
        if len(vs) > places.get(person, 0):
            model.Add(sum(vs) <= places.get(person, 0))
    for s, vs in by_slot.items():
        if len(vs) > problem.free_tables(s):
            model.Add(sum(vs) <= max(0, problem.free_tables(s)))
    count = sum(x.values())
    model.Add(count <= cap)
    start = {rid: slot for rid, (slot, _table) in baseline.placed.items()}

    def run(seconds, hint):
        model.ClearHints()
        for (rid, s), v in x.items():
            model.AddHint(v, hint.get(rid) == s)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, float(seconds))
        solver.parameters.num_workers = int(workers)
        solver.parameters.random_seed = int(seed)
        # Presolve spends seconds on this model before loading the hint, and with the
        # hint already near the bound it has nothing to gain.
        solver.parameters.cp_model_presolve = False
        return solver, solver.Solve(model)

    found = (cp_model.OPTIMAL, cp_model.FEASIBLE)
    chosen, status, bound = dict(start), baseline.status, cap
    if baseline.count < cap:
        model.Maximize(count)
        left = time_limit - (time.perf_counter() - started)
        solver, code = run(left * 0.6, start)
        status = solver.StatusName(code)
        if code in found:
            bound = min(cap, int(solver.BestObjectiveBound() + 1e-6))
            mine = {rid: s for (rid, s), v in x.items() if solver.Value(v)}
            if len(mine) > len(chosen):
                chosen = mine
        if len(chosen) == len(start) and chosen == start:
            status += "+" + baseline.status     # the solver found no more: its start stays
    if must - chosen.keys() or second(chosen)[1] < len(problem.prefer):
        # Keep as many meetings; prefer the must-meet requests, then the earlier slots.
        model.Add(count >= len(chosen))
        weight = len(problem.prefer) + 1
        model.Maximize(sum(v * weight for (rid, _s), v in x.items() if rid in must)
                       + sum(v for (rid, s), v in x.items() if problem.prefer.get(rid) == s))
        left = time_limit - (time.perf_counter() - started)
        if left > 0.2:
            solver, code = run(left, chosen)
            if code in found:
                mine = {rid: s for (rid, s), v in x.items() if solver.Value(v)}
                if len(mine) >= len(chosen) and second(mine) > second(chosen):
                    chosen = mine
    if len(chosen) >= bound and not status.startswith("OPTIMAL"):
        # The bound is reached: no schedule holds more meetings.
        status = "OPTIMAL" + status[status.index("+"):] if "+" in status else "OPTIMAL"
    return Schedule(number_tables(chosen, problem.taken), upper_bound=bound, status=status,
                    seconds=time.perf_counter() - started)


def violations(problem: Problem, schedule: Schedule):
    """Every broken rule of a schedule (empty when valid): for tests and the benchmark."""
    found = []
    requests = {r.id: r for r in problem.requests}
    people = set()
    tables = {(s, t) for s, ts in problem.taken.items() for t in ts}
    for rid, (slot, table) in schedule.placed.items():
        r = requests.get(rid)
        if r is None:
            found.append(f"unknown request {rid}")
            continue
        if not (0 <= slot < problem.slots) or not (1 <= table <= problem.tables):
            found.append(f"request {rid} outside the grid")
        for person in (r.a, r.b):
            if (person, slot) in people:
                found.append(f"participant {person} twice in slot {slot}")
            people.add((person, slot))
            if slot in problem.busy.get(person, set()):
                found.append(f"participant {person} busy in slot {slot}")
        if (slot, table) in tables:
            found.append(f"table {table} twice in slot {slot}")
        tables.add((slot, table))
    return found
