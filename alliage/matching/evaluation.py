"""Recall@5 and chapter (or utility type) top-1 on documented real synergies (tests/matching),
each set measured against a plain character 4-gram TF-IDF ranking of the same descriptions
in the same run (`literal.plain_baseline`): the engine must beat it on every set."""

import json
from pathlib import Path

from alliage.matching.classify import suggest
from alliage.matching.engine import Stream, rank
from alliage.matching.literal import plain_baseline

HERE = Path(__file__).resolve().parents[2] / "tests" / "matching"
CASES = HERE / "cases.json"
SETS = {"materials": CASES, "utilities": HERE / "utilities.json"}


def load(path=CASES):
    return json.loads(Path(path).read_text(encoding="utf-8"))["cases"]


def evaluate(cases=None, k=5):
    cases = cases if cases is not None else load()
    offers = [Stream(id=c["id"], description=c["offer"]) for c in cases]
    needs = [Stream(id=c["id"], description=c["need"]) for c in cases]
    found = rank(offers, needs, top=k)
    hits, misses = 0, []
    for c in cases:
        if c["id"] in [m["need"] for m in found.get(c["id"], [])]:
            hits += 1
        else:
            misses.append(c["id"])
    baseline = plain_baseline([c["offer"] for c in cases], [c["need"] for c in cases], k)
    baseline_hits = sum(i in row for i, row in enumerate(baseline))
    right, wrong = 0, []
    for c in cases:
        top = suggest(c["offer"], 1)
        chapter = top[0].code[:2] if top else None
        if chapter in c.get("chapters", c.get("types", ())):
            right += 1
        else:
            wrong.append((c["id"], top[0].display if top else None))
    n = len(cases)
    return {"cases": n, "recall_at_5": round(hits / n, 3),
            "baseline_recall_at_5": round(baseline_hits / n, 3),
            "beats_baseline": hits > baseline_hits or hits == n,
            "chapter_top1": round(right / n, 3), "missed": misses, "misclassified": wrong}


def evaluate_all(k=5):
    """{set name: evaluate(…)} for every evaluation set."""
    return {name: evaluate(load(path), k) for name, path in SETS.items()}
