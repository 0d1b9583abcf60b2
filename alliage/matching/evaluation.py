"""Recall@5 and LoW-chapter top-1 accuracy on documented real synergies (tests/matching)."""

import json
from pathlib import Path

from alliage.matching.classify import suggest
from alliage.matching.engine import Stream, rank

CASES = Path(__file__).resolve().parents[2] / "tests" / "matching" / "cases.json"


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
    right, wrong = 0, []
    for c in cases:
        top = suggest(c["offer"], 1)
        chapter = top[0].code[:2] if top else None
        if chapter in c["chapters"]:
            right += 1
        else:
            wrong.append((c["id"], top[0].display if top else None))
    n = len(cases)
    return {"cases": n, "recall_at_5": round(hits / n, 3),
            "chapter_top1": round(right / n, 3), "missed": misses, "misclassified": wrong}
