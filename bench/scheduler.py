"""B2B meeting scheduler benchmark (issue #16): 500 participants, 2,000 accepted requests,
24 slots, 60 tables; CP-SAT (alliage.fair.scheduler.solve) against the greedy baseline
(``scheduler.greedy``: must-meet first, then first come, each in its first slot where both
people are free and a table is left) and against an upper bound, all measured in this run.

Two workloads of the issue's size, deterministic (seeded), 15 % of the requests must-meet:

- ``scattered``: a fifth of the people receive half of the requests, everyone is unavailable
  in a random quarter of the slots. 1,440 places for 2,000 requests: the tables bind.
- ``windows``: each person is present for one stretch of 6 to 14 slots (a morning, an
  afternoon: booth duty, travel) and popularity is skewed; the people's agendas bind.

The bound is the smaller of the solver's proven bound and ``scheduler.flow_bound`` (a
maximum flow: nobody meets more often than they have usable slots). The issue's goal is
"placed >= greedy + 10 %, within 2 % of the bound, < 10 s". Where the bound itself is below
greedy + 10 % (``goal_attainable`` false), no schedule can be 10 % better than greedy: the
first condition is then proven impossible and the workload is judged on the other two
(``meets_goal``); ``meets_goal_as_written`` keeps the three conditions literally. Seconds are
wall-clock; ``cpu_seconds`` and the load average say how much of the machine the run had
(the time goal is for an idle 2-core machine).
"""

import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alliage.fair.scheduler import (  # noqa: E402
    Problem,
    Request,
    flow_bound,
    greedy,
    solve,
    violations,
)

PEOPLE, REQUESTS, SLOTS, TABLES, TIME_LIMIT = 500, 2000, 24, 60, 8.0


def build(seed=16, people=PEOPLE, requests=REQUESTS, slots=SLOTS, tables=TABLES):
    rng = random.Random(seed)
    popular = list(range(people // 5))
    pairs = set()
    while len(pairs) < requests:
        a = rng.randrange(people)
        b = rng.choice(popular) if rng.random() < 0.5 else rng.randrange(people)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    reqs = [Request(i + 1, a, b, must_meet=rng.random() < 0.15)
            for i, (a, b) in enumerate(sorted(pairs))]
    busy = {p: set(rng.sample(range(slots), slots // 4)) for p in range(people)}
    return Problem(slots=slots, tables=tables, requests=reqs, busy=busy)


def windows(seed=16, people=PEOPLE, requests=REQUESTS, slots=SLOTS, tables=TABLES,
            shortest=6, longest=14, skew=0.5):
    """Each person present for one stretch of slots; requests drawn by skewed popularity."""
    rng = random.Random(seed)
    weights = [1 / (i + 1) ** skew for i in range(people)]
    pairs = set()
    while len(pairs) < requests:
        a, b = rng.choices(range(people), weights, k=2)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    order = sorted(pairs, key=lambda _p: rng.random())        # requests arrive in any order
    reqs = [Request(i + 1, a, b, must_meet=rng.random() < 0.15)
            for i, (a, b) in enumerate(order)]
    busy = {}
    for p in range(people):
        length = rng.randint(shortest, longest)
        start = rng.randint(0, slots - length)
        busy[p] = set(range(start)) | set(range(start + length, slots))
    return Problem(slots=slots, tables=tables, requests=reqs, busy=busy)


def measure(problem):
    base = greedy(problem)
    cpu = time.process_time()
    best = solve(problem, time_limit=TIME_LIMIT, workers=2)
    cpu = time.process_time() - cpu
    assert not violations(problem, best), violations(problem, best)[:5]
    assert not violations(problem, base)
    # solve() caps its proven bound with flow_bound; computed again here as a check.
    bound = min(best.upper_bound if best.upper_bound is not None else len(problem.requests),
                flow_bound(problem))
    assert bound >= best.count
    must = {r.id for r in problem.requests if r.must_meet}
    gain = best.count / base.count - 1 if base.count else 0.0
    gap = 1 - best.count / bound if bound else 0.0
    attainable = bound >= base.count * 1.10
    checks = {"gain_10_percent": gain >= 0.10, "within_2_percent_of_bound": gap <= 0.02,
              "under_10_seconds": best.seconds < 10}
    return {
        "requests": len(problem.requests), "slots": problem.slots, "tables": problem.tables,
        "greedy_placed": base.count, "cpsat_placed": best.count, "upper_bound": bound,
        "must_meet_placed": {"greedy": len(must & base.placed.keys()),
                             "cpsat": len(must & best.placed.keys()), "of": len(must)},
        "gain_over_greedy": round(gain, 4), "gap_to_bound": round(gap, 4),
        "headroom_over_greedy": round(bound / base.count - 1, 4) if base.count else None,
        "goal_attainable": attainable,
        "seconds": round(best.seconds, 2), "cpu_seconds": round(cpu, 2),
        "greedy_seconds": round(base.seconds, 3), "solver_status": best.status,
        # Who produced the schedule returned: CP-SAT itself, or its start (the solver found
        # nothing better in time): "cpsat_placed" is solve()'s answer either way.
        "placed_by": "start (" + best.status.split("+")[1].lower() + ")"
        if "+" in best.status else "cp-sat",
        "checks": checks,
        "meets_goal_as_written": all(checks.values()),
        "meets_goal": bool((checks["gain_10_percent"] or not attainable)
                           and checks["within_2_percent_of_bound"]
                           and checks["under_10_seconds"]),
    }


def main():
    quick = "--quick" in sys.argv
    load = os.getloadavg()[0]
    if quick:
        cases = {"scattered": build(requests=400, people=150, tables=12),
                 "windows": windows(people=150, requests=400, tables=12)}
    else:
        cases = {"scattered": build(), "windows": windows()}
    result = {"benchmark": "scheduler", "participants": 150 if quick else PEOPLE,
              "goal": "placed >= greedy * 1.10 (where the bound allows it) and within 2 % "
                      "of the bound, < 10 s",
              "load_average_at_start": round(load, 2), "cores": os.cpu_count()}
    for name, problem in cases.items():
        result[name] = measure(problem)
    result["meets_goal"] = all(result[name]["meets_goal"] for name in cases)
    result["meets_goal_as_written"] = all(result[name]["meets_goal_as_written"]
                                          for name in cases)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
