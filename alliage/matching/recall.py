"""Recall first: when an offer has fewer than K candidates with evidence, other needs within
its hard limits (distance, dates) are proposed after them as low-confidence candidates, with
the reason (`explain(..., fallback=True)`). Hard limits still exclude.

Among those needs, the ones whose words are closest come first: each is scored as a pair
without knowledge would be (`material(0, L)`: the literal evidence only, with quantity and
distance), halved (`FALLBACK_SHARE`), so that it always ranks below the candidates. A need
that shares only part of the offer's words (no rare word, no relation) is thus proposed
before an unrelated one nearer by."""

import math

import numpy as np

from alliage.matching.scoring import (
    DEFAULT_SCALE_KM,
    W_DISTANCE,
    W_MATERIAL,
    W_QUANTITY,
    _q,
    haversine_km,
    material,
    quantity_fit,
    text_similarity,
)

FALLBACK_SHARE = 0.5
POOL = 8               # located offers: the nearest `POOL × K` needs within reach are weighed


def within_reach(o, n):
    """Hard limits only: distance (when both places are known) and availability."""
    if o.end < n.start or n.end < o.start:
        return False
    if o.located and n.located:
        return haversine_km(o, n) <= min(o.max_km, n.max_km)
    return True


def fallback_score(o, n, lit=None):
    """Half the score the pair gets from its literal evidence, quantity and distance alone
    (`lit`: the pair's `text_similarity`, computed when not given)."""
    if o.located and n.located:
        limit = min(o.max_km, n.max_km)
        d = max(0.0, 1.0 - haversine_km(o, n) / (limit if limit < math.inf
                                                  else DEFAULT_SCALE_KM))
    else:
        d = 0.5
    if lit is None:
        lit = text_similarity(o, n)
    m = float(material(0.0, lit))
    return _q(FALLBACK_SHARE * (W_MATERIAL * m + W_QUANTITY * quantity_fit(o, n)
                                + W_DISTANCE * d), 10_000.0)


def fill(offers, needs, found, top, similarity=None):
    """{offer index: [(need index, score)]}: for each offer with fewer than `top`
    candidates, the best other needs within its hard limits by `fallback_score`, so a
    facilitator always sees what is within reach, shown as low confidence. Located offers
    weigh their nearest needs (k-d tree, `POOL` × K of them within reach, more when too few
    are); needs without a place are weighed for every offer. `similarity(i, js)`: the
    literal evidence of offer i with needs js (an array), vectorised by the caller;
    `text_similarity` pair by pair when None. Ties go to the nearer, then the first need."""
    short = [i for i, o in enumerate(offers) if len(found.get(i, ())) < top]
    if not short or not needs:
        return {}
    located = [j for j, n in enumerate(needs) if n.located]
    elsewhere = [j for j, n in enumerate(needs) if not n.located]
    tree = None
    if located:
        from scipy.spatial import cKDTree

        tree = cKDTree(np.array([needs[j].xyz for j in located]))
    out = {}
    for i in short:
        o = offers[i]
        taken = {j for j, _s in found.get(i, ())}
        want = top - len(taken)
        pool = []
        if o.located and tree is not None:
            k = min(len(located), POOL * top)
            while True:
                _d, idx = tree.query(o.xyz, k=k)
                idx = np.atleast_1d(idx)
                pool = [located[x] for x in idx.tolist()
                        if located[x] not in taken and within_reach(o, needs[located[x]])]
                if len(pool) >= POOL * want or k >= len(located):
                    break
                k = min(len(located), k * 4)
            pool += elsewhere
        else:
            pool = located + elsewhere if not o.located else list(elsewhere)
        pool = [j for j in sorted(set(pool)) if j not in taken and within_reach(o, needs[j])]
        if not pool:
            continue
        if similarity is not None:
            lits = np.asarray(similarity(i, np.array(pool)), dtype=float)
        else:
            lits = [text_similarity(o, needs[j]) for j in pool]
        scored = []
        for j, lit in zip(pool, lits, strict=True):
            n = needs[j]
            km = haversine_km(o, n) if o.located and n.located else math.inf
            scored.append((-fallback_score(o, n, float(lit)), km, j))
        scored.sort()
        out[i] = [(j, -s) for s, _km, j in scored[:want]]
    return out
