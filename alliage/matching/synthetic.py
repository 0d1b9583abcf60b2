"""Synthetic offers and needs for the benchmark: plausible codes, words, places and sizes."""

import math
import random

from alliage.matching.engine import Stream
from alliage.matching.taxonomy import display, taxonomy

QUALIFIERS = ["", "", "", " sec", " humide", " en vrac", " propre", " trié", " clean",
              " wet", " dry", " mélangé"]


def _setup(seed):
    rng = random.Random(seed)
    tax = taxonomy()
    # Listings concentrate on common materials (wood, metals, cardboard, organics, ash…):
    # 90 % of the streams are drawn from the entries a regional network meets (those with
    # trade words or a valorisation pathway), 10 % from the rest of the 842 entries; within
    # each group, a Zipf-like popularity over a shuffled order.
    fed = {p.material for p in tax.pathways}
    entries = sorted(tax.entries, key=lambda e: e.code)
    rng.shuffle(entries)
    common = [e for e in entries if e.synonyms or e.code in fed]
    rare = [e for e in entries if not (e.synonyms or e.code in fed)]

    def zipf(group, share):
        raw = [1 / (rank + 1) ** 0.8 for rank in range(len(group))]
        total = sum(raw) or 1.0
        return [share * w / total for w in raw]

    entries = common + rare
    weights = zipf(common, 0.9) + zipf(rare, 0.1)
    towns = [(rng.uniform(45.0, 49.8), rng.uniform(-79.5, -64.0)) for _ in range(150)]
    return rng, tax, entries, weights, towns


def streams(n, side, seed=1):
    """n streams of one side ("offer" or "need"), reproducible from the seed."""
    rng, tax, entries, weights, towns = _setup(seed)
    rng = random.Random(f"{seed}-{side}")
    out = []
    picks = rng.choices(entries, weights, k=n)
    for i, entry in enumerate(picks):
        words = [entry.label_fr, entry.label_en] + entry.synonyms
        description = rng.choice(words) + rng.choice(QUALIFIERS)
        code = display(entry.code) if rng.random() < 0.7 else None
        if side == "need" and rng.random() < 0.4:
            uses = sorted(tax.uses_fed_by(entry.code))
            if uses:
                use = tax.uses[rng.choice(uses)]
                description = rng.choice([use.label_fr, use.label_en] + use.words)
                code = None
        chapter = entry.code[:2]
        unit = {"R1": "MWh/an", "R2": "m3/mois", "R3": "t/an", "R4": None}.get(
            chapter, rng.choice(["t/an", "t/an", "t/mois", "kg/semaine"]))
        quantity = round(math.exp(rng.gauss(4, 1.5)), 1) if unit else None
        lat, lon = rng.choice(towns)
        out.append(Stream(
            id=f"{side[0]}{i}", description=description, code=code, quantity=quantity,
            unit=unit, lat=round(lat + rng.gauss(0, 0.15), 5),
            lon=round(lon + rng.gauss(0, 0.2), 5),
            max_distance_km=rng.choice([25, 50, 75, 100, 150, 200, 300, None])
            if side == "need" else None))
    return out
