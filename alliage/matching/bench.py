"""Benchmark of the matching engine (contract: the last line is JSON with `meets_goal`).

Every goal is the issue's (#22), every figure is measured in this run, and `meets_goal` is
computed from the figures (`checks`: each goal with its measured value and whether it holds):
1. Full run: 250,000 synthetic offers × 250,000 needs (prepare, rank top 5, reasons) in a
   child process: wall time, CPU time (user + system of the child) and peak memory; goal
   < 60 s and < 4 GB on the machine's 2 cores. The load average before and after is printed:
   on a machine shared with other work the wall time grows while the CPU time does not, so
   both are shown; the goal is judged on the wall time, as the issue states it.
2. Speed-up at 20,000 × 20,000: the fast path against the naive scorer (`score_pair` on
   every pair). The naive scorer would take minutes, so it runs on a random sample of
   offers and its time is scaled to all of them; the sample's top K must be identical.
   Goal ≥ 100×.
3. Accuracy on every evaluation set of documented real synergies (`tests/matching/cases.json`
   split into 'materials' and 'utilities'), each against a plain character 4-gram TF-IDF
   ranking of the same descriptions run here too (`literal.plain_baseline`): the engine must
   beat the baseline on every set and reach recall@5 ≥ 90 % on each (the issue's goal for
   the outside sets, applied to ours); at least 100 cases, 25 of them energy or water.
4. Code suggestions on the member-style descriptions (`tests/matching/classify_cases.json`):
   top-1 ≥ 80 %, top-3 ≥ 95 %, no hazardous entry first for a non-hazardous description.
Synthetic descriptions repeat (trade words with qualifiers), as listings do; the engine
uses that (per-description cache, text table). 90 % of the synthetic streams are common
materials and utilities (entries with trade words or a pathway), 10 % any other of the 842
entries: the speed-up depends on that mix, since the naive scorer gives up early on
unrelated pairs (see synthetic.py).
"""

import json
import os
import random
import resource
import subprocess
import sys
import time

FULL, SPEED, SAMPLE, TOP = 250_000, 20_000, 300, 5
GOALS = {"full_seconds": 60, "full_peak_gb": 4, "speedup": 100, "recall_at_5": 0.9,
         "cases": 100, "energy_water_cases": 25, "classifier_top1": 0.8,
         "classifier_top3": 0.95}


def full_run(n):
    from alliage.matching import synthetic
    from alliage.matching.engine import Matcher, explain, prepare

    offers, needs = synthetic.streams(n, "offer"), synthetic.streams(n, "need")
    started = time.perf_counter()
    matcher = Matcher([prepare(s) for s in needs])
    found, side = matcher.rank([prepare(s) for s in offers], TOP)
    pairs = 0
    for i, best in found.items():
        for j, _score in best:
            explain(side.items[i], matcher.needs.items[j])
            pairs += 1
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": round(seconds, 1),
                      "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
                      "peak_gb": round(usage.ru_maxrss / 1024 / 1024, 2),
                      "offers_matched": len(found), "matches": pairs}))


def speed(n, sample):
    from alliage.matching import synthetic
    from alliage.matching.engine import Matcher, prepare, rank_naive

    offers = [prepare(s) for s in synthetic.streams(n, "offer")]
    needs = [prepare(s) for s in synthetic.streams(n, "need")]
    started = time.perf_counter()
    found, _side = Matcher(needs).rank(offers, TOP)
    fast = time.perf_counter() - started
    picked = random.Random(7).sample(range(n), sample)
    started = time.perf_counter()
    naive = rank_naive([offers[i] for i in picked], needs, TOP)
    naive_seconds = (time.perf_counter() - started) / sample * n
    same = sum(naive[offers[i].id] == found.get(i, []) for i in picked)
    return {"fast_seconds": round(fast, 2), "naive_seconds_scaled": round(naive_seconds, 1),
            "naive_sample_offers": sample, "speedup": round(naive_seconds / fast, 1),
            "identical_top_k": same == sample, "identical": f"{same}/{sample}"}


FIELDS = ("cases", "recall_at_5", "baseline_recall_at_5", "beats_baseline", "chapter_top1")


def _check(value, goal, ok):
    return {"value": value, "goal": goal, "ok": bool(ok)}


def checks(full, fast, sets, classifier):
    """Each of the issue's goals with the figure measured for it."""
    from alliage.matching.evaluation import is_energy_or_water, load

    energy_water = sum(map(is_energy_or_water, load()))
    out = {
        "full_run_seconds": _check(full["seconds"], f"< {GOALS['full_seconds']}",
                                   full["seconds"] is not None
                                   and full["seconds"] < GOALS["full_seconds"]),
        "full_run_peak_gb": _check(full["peak_gb"], f"< {GOALS['full_peak_gb']}",
                                   full["peak_gb"] is not None
                                   and full["peak_gb"] < GOALS["full_peak_gb"]),
        "speedup": _check(fast["speedup"], f">= {GOALS['speedup']}",
                          fast["speedup"] >= GOALS["speedup"]),
        "identical_top_k": _check(fast["identical"], "all", fast["identical_top_k"]),
        "cases": _check(sum(r["cases"] for r in sets.values()), f">= {GOALS['cases']}",
                        sum(r["cases"] for r in sets.values()) >= GOALS["cases"]),
        "energy_water_cases": _check(energy_water, f">= {GOALS['energy_water_cases']}",
                                     energy_water >= GOALS["energy_water_cases"]),
        "classifier_top1": _check(classifier["top1"], f">= {GOALS['classifier_top1']}",
                                  classifier["top1"] >= GOALS["classifier_top1"]),
        "classifier_top3": _check(classifier["top3"], f">= {GOALS['classifier_top3']}",
                                  classifier["top3"] >= GOALS["classifier_top3"]),
        "no_hazardous_first": _check(len(classifier["hazardous_first"]), "0",
                                     not classifier["hazardous_first"]),
    }
    for name, r in sets.items():
        out[f"{name}_beats_baseline"] = _check(
            f"{r['recall_at_5']} vs {r['baseline_recall_at_5']}", "engine > baseline",
            r["beats_baseline"])
        out[f"{name}_recall_at_5"] = _check(r["recall_at_5"], f">= {GOALS['recall_at_5']}",
                                            r["recall_at_5"] >= GOALS["recall_at_5"])
    return out


def main(quick=False):
    from alliage.matching.evaluation import evaluate_all, evaluate_classifier

    full_n, speed_n, sample = (20_000, 5_000, 50) if quick else (FULL, SPEED, SAMPLE)
    load_before = os.getloadavg()
    child = subprocess.run([sys.executable, "-c",
                            f"from alliage.matching.bench import full_run; full_run({full_n})"],
                           capture_output=True, text=True, check=False)
    if child.returncode:
        print(child.stderr, file=sys.stderr)
    full = json.loads(child.stdout.strip().splitlines()[-1]) if child.returncode == 0 else \
        {"seconds": None, "cpu_seconds": None, "peak_gb": None}
    load_after = os.getloadavg()
    fast = speed(speed_n, sample)
    sets = evaluate_all()
    classifier = evaluate_classifier()
    found = checks(full, fast, sets, classifier)
    print(json.dumps({
        "benchmark": "matching", "quick": quick,
        "full_run": {"offers": full_n, "needs": full_n, **full,
                     "load_average_before": round(load_before[0], 2),
                     "load_average_after": round(load_after[0], 2), "cores": os.cpu_count()},
        "speed": {"offers": speed_n, "needs": speed_n, **fast},
        "evaluation_sets": {name: {k: r[k] for k in FIELDS} for name, r in sets.items()},
        "classifier": {k: classifier[k] for k in ("cases", "top1", "top3")},
        "checks": found,
        "failed": [name for name, c in found.items() if not c["ok"]],
        "meets_goal": all(c["ok"] for c in found.values())}, ensure_ascii=False))
    return 0
