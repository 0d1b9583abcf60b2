"""B2B meeting scheduler benchmark (issue #16): 500 participants, 2,000 accepted requests,
24 slots, 60 tables; CP-SAT (alliage.fair.scheduler.solve) against the greedy baseline and
against the solver's own upper bound, both measured in this run.

Data: deterministic (seeded). Requests follow a "popular exhibitors" pattern (a fifth of the
people receive half of the requests) and everyone is unavailable for a random quarter of
the slots, as people are during a real fair (their own booth duty, talks). 15 % of the
requests are must-meet.

Goal of the issue: placed >= greedy * 1.10, placed within 2 % of the bound, under 10 s.
Where the tables are the binding limit (24 x 60 = 1,440 places for 2,000 requests) no
schedule can beat a good greedy by 10 %; the figures say which limit binds (``bound``), and
``meets_goal`` follows the issue's three conditions as written.
"""

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alliage.fair.scheduler import Problem, Request, greedy, solve, violations  # noqa: E402

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


def main():
    quick = "--quick" in sys.argv
    problem = build(requests=400, people=150, tables=12) if quick else build()
    base = greedy(problem)
    best = solve(problem, time_limit=TIME_LIMIT, workers=2)
    assert not violations(problem, best), violations(problem, best)[:5]
    assert not violations(problem, base)
    bound = best.upper_bound or best.count
    must = {r.id for r in problem.requests if r.must_meet}
    result = {
        "benchmark": "scheduler", "participants": PEOPLE, "requests": len(problem.requests),
        "slots": problem.slots, "tables": problem.tables,
        "greedy_placed": base.count, "cpsat_placed": best.count, "upper_bound": bound,
        "must_meet_placed": {"greedy": len(must & base.placed.keys()),
                             "cpsat": len(must & best.placed.keys()), "of": len(must)},
        "gain_over_greedy": round(best.count / base.count - 1, 4) if base.count else None,
        "gap_to_bound": round(1 - best.count / bound, 4) if bound else 0.0,
        "seconds": round(best.seconds, 2), "greedy_seconds": round(base.seconds, 3),
        "solver_status": best.status,
        "goal": "placed >= greedy * 1.10 and within 2 % of the bound, < 10 s",
    }
    result["not_worse_than_greedy"] = best.count >= base.count
    if not quick:
        # The same people with twice the tables: the people's agendas bind, not the tables.
        loose = build(tables=TABLES * 2)
        loose_base, loose_best = greedy(loose), solve(loose, time_limit=TIME_LIMIT, workers=2)
        assert not violations(loose, loose_best)
        result["people_bound_case"] = {
            "tables": loose.tables, "greedy_placed": loose_base.count,
            "cpsat_placed": loose_best.count, "upper_bound": loose_best.upper_bound,
            "seconds": round(loose_best.seconds, 2), "solver_status": loose_best.status}
    result["meets_goal"] = bool(best.count >= base.count * 1.10
                                and (bound == 0 or best.count >= bound * 0.98)
                                and best.seconds < 10)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
