"""Recall@5 and chapter (or utility type) top-1 on documented real synergies
(`tests/matching/cases.json`), each set measured against a plain character 4-gram TF-IDF
ranking of the same descriptions in the same run (`literal.plain_baseline`): the engine must
beat it on every set.

The file holds every case; `sets()` splits them by what an expert accepts for the offer:
'materials' (List of Waste chapters) and 'utilities' (Alliage's R codes: energy, water, CO2,
compressed air, shared resources). Each set is ranked on its own, as an outside set would be.
"""

import json
from pathlib import Path

from alliage.matching.classify import suggest
from alliage.matching.engine import Stream, rank
from alliage.matching.literal import plain_baseline

HERE = Path(__file__).resolve().parents[2] / "tests" / "matching"
CASES = HERE / "cases.json"
SET_NAMES = ("materials", "utilities")


def load(path=CASES):
    return json.loads(Path(path).read_text(encoding="utf-8"))["cases"]


def expected(case):
    """The LoW chapters or utility types an expert accepts for the case's offer."""
    return case.get("chapters") or case.get("types") or ()


def is_utility(case):
    return any(code.startswith("R") for code in expected(case))


def is_energy_or_water(case):
    """Heat, steam, fuel gases, electricity (R1), water (R2), CO2 and compressed air (R3)."""
    return any(code[:2] in ("R1", "R2", "R3") for code in expected(case))


def sets(cases=None):
    """{"materials": [...], "utilities": [...]} from the cases (all of cases.json by default)."""
    cases = cases if cases is not None else load()
    return {"materials": [c for c in cases if not is_utility(c)],
            "utilities": [c for c in cases if is_utility(c)]}


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
        if chapter in expected(c):
            right += 1
        else:
            wrong.append((c["id"], top[0].display if top else None))
    n = len(cases)
    return {"cases": n, "recall_at_5": round(hits / n, 3),
            "baseline_recall_at_5": round(baseline_hits / n, 3),
            "beats_baseline": hits > baseline_hits or hits == n,
            "chapter_top1": round(right / n, 3), "missed": misses, "misclassified": wrong}


def evaluate_all(k=5):
    """{set name: evaluate(…)} for every evaluation set, each ranked on its own."""
    return {name: evaluate(cases, k) for name, cases in sets().items()}


CLASSIFY_CASES = HERE / "classify_cases.json"


def evaluate_classifier(path=CLASSIFY_CASES):
    """Top-1 and top-3 of the code suggestions on member-style descriptions, and the
    descriptions (not hazardous) whose first suggestion is a hazardous entry."""
    cases = load(path)
    top1 = top3 = 0
    hazardous_first = []
    for c in cases:
        found = suggest(c["text"], 3)
        codes = [s.display for s in found]
        top1 += bool(codes) and codes[0] in c["codes"]
        top3 += bool(set(codes) & set(c["codes"]))
        if found and not c["hazardous"] and found[0].hazardous:
            hazardous_first.append(c["text"])
    n = len(cases)
    return {"cases": n, "top1": round(top1 / n, 3), "top3": round(top3 / n, 3),
            "hazardous_first": hazardous_first}
