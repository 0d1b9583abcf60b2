"""Recall first: when an offer has fewer than K candidates with evidence, the nearest other
needs within its hard limits (distance, dates) are proposed after them as low-confidence
candidates, with the reason (`explain(..., fallback=True)`). Hard limits still exclude."""

import math

import numpy as np

from alliage.matching.scoring import (
    DEFAULT_SCALE_KM,
    W_DISTANCE,
    W_QUANTITY,
    _q,
    haversine_km,
    quantity_fit,
)

FALLBACK_SHARE = 0.5


def within_reach(o, n):
    """Hard limits only: distance (when both places are known) and availability."""
    if o.end < n.start or n.end < o.start:
        return False
    if o.located and n.located:
        return haversine_km(o, n) <= min(o.max_km, n.max_km)
    return True


def fallback_score(o, n):
    """Half the score a pair without evidence would get from quantity and distance."""
    if o.located and n.located:
        limit = min(o.max_km, n.max_km)
        d = max(0.0, 1.0 - haversine_km(o, n) / (limit if limit < math.inf
                                                  else DEFAULT_SCALE_KM))
    else:
        d = 0.5
    return _q(FALLBACK_SHARE * (W_QUANTITY * quantity_fit(o, n) + W_DISTANCE * d), 10_000.0)


def fill(offers, needs, found, top):
    """{offer index: [(need index, score)]}: for each offer with fewer than `top`
    candidates, the nearest other needs within its hard limits (unknown places last, in
    input order), so a facilitator always sees what is within reach, shown as low
    confidence. Located offers search the nearest needs first (k-d tree)."""
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
        picked = []
        if o.located and tree is not None:
            k = min(len(located), 4 * top)
            while True:
                _d, idx = tree.query(o.xyz, k=k)
                idx = np.atleast_1d(idx)
                ordered = sorted((haversine_km(o, needs[located[x]]), located[x])
                                 for x in idx.tolist())
                picked = [j for _km, j in ordered
                          if j not in taken and within_reach(o, needs[j])][:want]
                if len(picked) >= want or k >= len(located):
                    break
                k = min(len(located), k * 4)
            rest = elsewhere
        else:
            rest = located + elsewhere if not o.located else elsewhere
            rest = sorted(rest)
        for j in rest:
            if len(picked) >= want:
                break
            if j not in taken and within_reach(o, needs[j]):
                picked.append(j)
        if picked:
            out[i] = [(j, fallback_score(o, needs[j])) for j in picked]
    return out
