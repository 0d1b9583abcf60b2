"""The fast path: every offer's top K needs, identical to scoring every pair with
`score_pair` (`rank_naive`), blocked by material keys and vectorised with numpy/scipy."""

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import sparse

from alliage.matching import utilities
from alliage.matching.explain import confidence, explain
from alliage.matching.literal import CHAR_SHARE, Literal
from alliage.matching.recall import fill
from alliage.matching.scoring import (
    DEFAULT_SCALE_KM,
    EARTH_KM,
    ELSEWHERE,
    ELSEWHERE_BELOW,
    GUESSED,
    HAZARD_FACTOR,
    SAME_ENTRY,
    SAME_SUBCHAPTER,
    W_DISTANCE,
    W_MATERIAL,
    W_QUANTITY,
    material,
    score_pair,
)
from alliage.matching.streams import Prepared, offer_keys, prepare
from alliage.matching.taxonomy import taxonomy
from alliage.matching.topk import TopK


class Side:
    """One side's prepared streams as arrays, with an index of its material keys."""

    def __init__(self, prepared, vocabs, use_ids, sub_ids, role):
        self.items = list(prepared)
        self.role = role
        n = len(self.items)
        self.index = {}
        for i, p in enumerate(self.items):
            for key in (p.keys if role == "need" else offer_keys(p)):
                self.index.setdefault(key, []).append(i)
        self.lat = np.array([p.lat if p.located else np.nan for p in self.items])
        self.lon = np.array([p.lon if p.located else np.nan for p in self.items])
        xyz = np.array([p.xyz for p in self.items], dtype=float).reshape(n, 3)
        self.x, self.y, self.z = (np.ascontiguousarray(xyz[:, i]) for i in range(3))
        self.located = ~np.isnan(self.lat)
        self.max_km = np.array([p.max_km for p in self.items])
        self.start = np.array([p.start for p in self.items], dtype=float)
        self.end = np.array([p.end for p in self.items], dtype=float)
        self.hazardous = np.array([p.hazardous for p in self.items], dtype=bool)
        self.inferred = np.array([p.inferred for p in self.items], dtype=bool)
        self.any_inferred = bool(self.inferred.any())
        self.any_hazardous = bool(self.hazardous.any())
        self.windows = bool(np.isfinite(self.start).any() or np.isfinite(self.end).any())
        self.accepts = np.array([p.accepts_hazardous for p in self.items], dtype=bool)
        dims = {"mass": 0, "volume": 1, "energy": 2, "count": 3, "area": 4, "time": 5}
        self.dim = np.array([dims.get(p.dimension, -1) for p in self.items])
        self.per_year = np.array([p.per_year if p.per_year is not None else np.nan
                                  for p in self.items])
        self.primary = np.array([sub_ids.setdefault(p.primary, len(sub_ids))
                                 if p.primary else -1 for p in self.items])
        self.subs = np.full((n, 2), -2 if role == "need" else -3)
        for i, p in enumerate(self.items):
            for j, s in enumerate(p.subchapters[:2]):
                self.subs[i, j] = sub_ids.setdefault(s, len(sub_ids))
        self.sub0, self.sub1 = (np.ascontiguousarray(self.subs[:, j]) for j in range(2))
        self.primary_sub = np.array([sub_ids.setdefault(p.primary[:4], len(sub_ids))
                                     if p.primary else -1 for p in self.items])
        self.named = np.array([sub_ids.setdefault(p.named_sub, len(sub_ids))
                               if p.named_sub else -1 for p in self.items])
        self.grade = np.array([p.grade for p in self.items], dtype=np.int64)
        self.temp = np.array([p.temp for p in self.items], dtype=float)
        self.wclass = np.array([p.wclass for p in self.items], dtype=np.int64)
        self.wneed = np.array([p.wneed for p in self.items], dtype=np.int64)
        # Streams with physical facts (utilities): only their pairs need `_physical`.
        self.facts = (self.grade > 0) | (self.wclass >= 0) | (self.wneed >= 0) \
            | np.isfinite(self.temp)
        self.physical = bool(self.facts.any())
        n_uses = len(use_ids)
        self.no_use = n_uses
        if role == "need":
            self.uses = np.full((n, 3), n_uses)
            for i, p in enumerate(self.items):
                for j, u in enumerate(p.uses[:3]):
                    self.uses[i, j] = use_ids[u]
            self.use0, self.use1, self.use2 = (np.ascontiguousarray(self.uses[:, j])
                                               for j in range(3))
        else:
            self.feeds = np.zeros((n, n_uses + 1))
            for i, p in enumerate(self.items):
                for u, pathway in p.feeds.items():
                    self.feeds[i, use_ids[u]] = pathway.strength
        # Streams with the same words share one row of the text table.
        distinct = {}
        self.text = np.array([distinct.setdefault(p.text, len(distinct))
                              for p in self.items], dtype=np.int64)
        parts = ([], [], []), ([], [], [])            # stems, char grams
        seen = set()
        for i, p in enumerate(self.items):
            row = self.text[i]
            if row in seen:
                continue
            seen.add(row)
            for (rows, cols, vals), weights, vocab in zip(parts, (p.tokens, p.grams), vocabs,
                                                          strict=True):
                for t, w in weights.items():
                    rows.append(row)
                    cols.append(vocab.setdefault(t, len(vocab)))
                    vals.append(w)
        self._tokens = (parts, len(distinct))

    def tokens(self, widths):
        """(stem matrix, char-gram matrix), one row per distinct text."""
        parts, count = self._tokens
        return tuple(sparse.csr_matrix((vals, (rows, cols)), shape=(count, width))
                     for (rows, cols, vals), width in zip(parts, widths, strict=True))


def _chord(km):
    """Straight-line distance between unit vectors for a great-circle distance (+ margin)."""
    return 2 * math.sin(min(km + 1.0, math.pi * EARTH_KM) / (2 * EARTH_KM))


LIMIT_BUCKETS = (25, 50, 100, 200, 400, 1000, 2500, 5000)


def _xyz(side):
    lat = np.nan_to_num(side.lat)
    lon = np.nan_to_num(side.lon)
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


class Matcher:
    """Top-K needs per offer, identical to scoring every pair with `score_pair`.

    Only pairs that share a material key are scored. Needs with a distance limit are found
    with k-d trees (per key and limit bucket); needs without a limit are searched only as
    far as they could still beat an offer's K-th best score (the distance part is the only
    one that falls with distance, so `0.70 + 0.30·d` bounds any farther score)."""

    PAIRS = 131_072            # pairs per vectorised step (arrays stay in cache)

    def __init__(self, needs, literal=None):
        from scipy.spatial import cKDTree

        tax = taxonomy()
        self.use_ids = {u: i for i, u in enumerate(tax.uses)}
        self.sub_ids, self.vocabs = {}, ({}, {})
        self.literal = literal
        self.needs = Side([p if isinstance(p, Prepared) else prepare(p, literal)
                           for p in needs], self.vocabs, self.use_ids, self.sub_ids, "need")
        n = self.needs
        self.n_xyz = _xyz(n)
        bucket = np.searchsorted(np.array(LIMIT_BUCKETS, dtype=float), n.max_km, "left")
        self.blocks = {}
        for key, members in n.index.items():
            members = np.array(members)
            located = members[n.located[members]]
            block = {"elsewhere": members[~n.located[members]], "trees": [],
                     "unbounded": None}
            bounded = located[np.isfinite(n.max_km[located])]
            for b in np.unique(bucket[bounded]):
                group = bounded[bucket[bounded] == b]
                radius = float(n.max_km[group].max())
                block["trees"].append((radius, group, cKDTree(self.n_xyz[group])))
            unbounded = located[~np.isfinite(n.max_km[located])]
            if len(unbounded):
                block["trees"].append((math.inf, unbounded, cKDTree(self.n_xyz[unbounded])))
            block["located"] = located
            block["tree"] = cKDTree(self.n_xyz[located]) if len(located) else None
            self.blocks[key] = block

    def rank(self, offers, top=5):
        """({offer index: [(need index, score), …]}, offers side), best first."""

        offers = Side([p if isinstance(p, Prepared) else prepare(p, self.literal)
                       for p in offers], self.vocabs, self.use_ids, self.sub_ids, "offer")
        self._text_table(offers)
        o_xyz = _xyz(offers)
        best = TopK(top, len(offers.items))
        # Sub-chapter keys first (they hold the best pairs), then uses, then rare words:
        # every K-th best score found raises the floor that prunes the next keys' searches.
        first = {"sc": 0, "use": 1, "w": 2}
        order = [k for k in sorted(offers.index, key=lambda k: (first[k[0]], k))
                 if k in self.blocks]
        lock = threading.Lock()

        def work(key):
            block = self.blocks[key]
            members = np.array(offers.index[key])
            here = members[offers.located[members]]
            away = members[~offers.located[members]]
            local = TopK(top, len(offers.items))
            local.floor = best.floor.copy()         # any snapshot is a valid lower bound
            every = np.concatenate([block["elsewhere"]] + [g for _, g, _ in block["trees"]])
            self._score_dense(local, offers, away, every)
            self._score_dense(local, offers, here, block["elsewhere"])
            if len(here) and block["tree"] is not None:
                self._search(local, offers, here, o_xyz, block, top, key)
            local.flush()
            with lock:
                best.add(local.o, local.n, local.s)
                np.maximum(best.floor, local.floor, out=best.floor)

        # numpy and the k-d tree release the GIL: keys are searched on every core.
        with ThreadPoolExecutor(max_workers=self.THREADS) as pool:
            for _ in pool.map(work, order):
                pass
        return best.result(), offers

    THREADS = min(4, os.cpu_count() or 1)
    QUERY = 2048               # offers per k-d tree query (bounds the pairs held at once)
    REACH = (1 / 64, 1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 1.0)

    def _search(self, local, offers, here, o_xyz, block, top, key):
        """Located offers against the key's located needs.

        First the nearest needs give each offer a K-th best score; then each limit bucket
        is searched only as far as a pair could still reach it. In this key's block a pair
        scores at most `A + 0.30·(1 − km / L)` (L: the bucket's largest limit, 500 km for
        unlimited needs), where `A = 0.55·(0.75·r + 0.25·t) + 0.15` uses the best relation
        this key can give the offer and the offer's best text similarity. A pair whose
        relation comes from another key is searched there, under that key's bound."""
        from scipy.spatial import cKDTree

        best_text = self.best_text[offers.text[here]]
        if key[0] == "w" and self.table is not None:
            # The best literal evidence this key's needs can give (tighter than the best
            # over every need: a rare word's block holds few texts).
            texts = block.get("texts")
            if texts is None:
                texts = block["texts"] = np.unique(self.needs.text[
                    np.concatenate([block["elsewhere"], block["located"]])])
            if len(texts) <= 4096:
                best_text = self.table[offers.text[here]][:, texts].max(axis=1) / 1e6
        if key[0] == "sc":
            relation = np.where(offers.primary_sub[here] == self.sub_ids.get(key[1], -9),
                                SAME_ENTRY, SAME_SUBCHAPTER)
            # A guessed offer code is guessed whatever the need's.
            relation = np.where(offers.inferred[here], relation * GUESSED, relation)
        elif key[0] == "use":
            relation = offers.feeds[here, self.use_ids[key[1]]]
        else:
            # A pair with a relation is found in that relation's block; here only the
            # words join them.
            relation = np.zeros(len(here))
        ceiling = W_MATERIAL * material(relation, best_text) + W_QUANTITY
        hopeful = local.floor[here] <= ceiling + W_DISTANCE + 0.0002
        here, ceiling = here[hopeful], ceiling[hopeful]
        if not len(here):
            return
        located = block["located"]
        k = min(4 * top, len(located))
        _dist, nearest = block["tree"].query(o_xyz[here], k=k)
        nearest = nearest.reshape(len(here), k)
        self._score_into(local, offers, np.repeat(here, k), located[nearest.ravel()], True)
        local.flush()
        kth = local.floor[here] - 0.0002
        spare = np.clip((kth - ceiling) / W_DISTANCE, 0.0, 1.0)   # share of the limit left
        bounded = kth > ceiling
        for limit, group, tree in block["trees"]:
            scale = limit if math.isfinite(limit) else DEFAULT_SCALE_KM
            if math.isfinite(limit):
                reach = limit * (1 - spare)
            else:
                reach = np.where(bounded, scale * (1 - spare), np.inf)
                far = here[~np.isfinite(reach)]
                self._score_dense(local, offers, far, group)
            previous = 0.0
            for share in self.REACH:
                radius = scale * share
                pick = (reach <= radius) & (reach > previous)
                previous = radius
                if not pick.any():
                    continue
                for begin in range(0, int(pick.sum()), self.QUERY):
                    chosen = here[pick][begin:begin + self.QUERY]
                    pairs = cKDTree(o_xyz[chosen]).sparse_distance_matrix(
                        tree, _chord(radius), output_type="ndarray")
                    self._score_into(local, offers, chosen[pairs["i"]], group[pairs["j"]],
                                     True)

    def _score_dense(self, best, offers, oi, ni):
        if not len(oi) or not len(ni):
            return
        step = max(1, self.PAIRS // len(ni))
        for begin in range(0, len(oi), step):
            chunk = oi[begin:begin + step]
            self._score_into(best, offers, np.repeat(chunk, len(ni)),
                             np.tile(ni, len(chunk)))

    def _score_into(self, best, offers, oi, ni, located=False):
        for begin in range(0, len(oi), self.PAIRS):
            o, n = oi[begin:begin + self.PAIRS], ni[begin:begin + self.PAIRS]
            s = self.score_pairs(offers, o, n, located)
            ok = s >= 0
            best.add(o[ok], n[ok], s[ok])

    TABLE = 240_000_000        # uint32 cells (≤ 1 GB)

    def _text_table(self, offers):
        """Literal evidence of every (offer text, need text) when texts are few enough
        (listings repeat); otherwise computed pair by pair."""
        widths = tuple(len(v) for v in self.vocabs)
        self.o_tokens, self.n_tokens = offers.tokens(widths), self.needs.tokens(widths)
        size = self.o_tokens[0].shape[0] * self.n_tokens[0].shape[0]
        self.table = None
        if size <= self.TABLE:
            # Stored already quantised to millionths (as `text_similarity` rounds), in
            # uint32: half the memory of float64, and the same values to the last digit.
            product = ((1 - CHAR_SHARE) * (self.o_tokens[0] @ self.n_tokens[0].T)
                       + CHAR_SHARE * (self.o_tokens[1] @ self.n_tokens[1].T)).tocsr()
            millionths = np.floor(product.data * 1e6 + 0.5).astype(np.uint32)
            self.table = sparse.csr_matrix((millionths, product.indices, product.indptr),
                                           shape=product.shape).toarray()
        self.flat_table = self.table.ravel() if self.table is not None else None
        self.best_text = self.table.max(axis=1) / 1e6 if self.table is not None and \
            self.table.shape[1] else np.ones(self.o_tokens[0].shape[0])

    def text_of(self, offers, i, js):
        """The literal evidence of offer i with needs js, as `text_similarity` gives it."""
        a = np.full(len(js), offers.text[i], dtype=np.int64)
        return np.floor(self._text(a, self.needs.text[js]) * 1e6 + 0.5) / 1e6

    def _text(self, a, b):
        if self.table is not None:
            return self.flat_table[a * self.table.shape[1] + b] / 1e6
        words, grams = (np.asarray(o[a].multiply(n[b]).sum(axis=1)).ravel()
                        for o, n in zip(self.o_tokens, self.n_tokens, strict=True))
        return (1 - CHAR_SHARE) * words + CHAR_SHARE * grams

    def score_pairs(self, offers, oi, ni, located=False):
        """Scores of the pairs (oi[k], ni[k]) as `score_pair` computes them; −1: no match.

        `located`: every pair has both places (skips the unknown-distance branch)."""
        needs = self.needs
        po = offers.primary[oi]
        r = np.where((po == needs.primary[ni]) & (po >= 0), SAME_ENTRY, 0.0)
        o0, o1 = offers.sub0[oi], offers.sub1[oi]
        n0, n1 = needs.sub0[ni], needs.sub1[ni]
        same_sub = (o0 == n0) | (o0 == n1) | (o1 == n0) | (o1 == n1)
        r = np.maximum(r, np.where(same_sub, SAME_SUBCHAPTER, 0.0))
        if offers.any_inferred or needs.any_inferred:
            r = np.where(offers.inferred[oi] | needs.inferred[ni], r * GUESSED, r)
        named = np.flatnonzero(needs.use0[ni] != needs.no_use)
        if len(named):
            at = ni[named]
            row = oi[named] * offers.feeds.shape[1]
            flat = offers.feeds.ravel()
            best = r[named]
            for column in (needs.use0, needs.use1, needs.use2):
                best = np.maximum(best, flat[row + column[at]])
            r[named] = best
        # Every pair scored here shares a key with its need (a sub-chapter, a use the offer
        # feeds, a rare word): it is a candidate.
        valid = np.ones(len(oi), dtype=bool)
        if offers.windows or needs.windows:
            valid &= ~((offers.end[oi] < needs.start[ni]) | (needs.end[ni] < offers.start[oi]))
        with np.errstate(invalid="ignore", divide="ignore"):
            dx = needs.x[ni] - offers.x[oi]
            dy = needs.y[ni] - offers.y[oi]
            dz = needs.z[ni] - offers.z[oi]
            half = np.sqrt(dx * dx + dy * dy + dz * dz) / 2
            km = np.floor(2 * EARTH_KM * np.arcsin(np.minimum(half, 1.0)) * 1000.0
                          + 0.5) / 1000.0
            limit = np.minimum(offers.max_km[oi], needs.max_km[ni])
            scale = np.where(np.isfinite(limit), limit, DEFAULT_SCALE_KM)
            if located:
                valid &= ~(km > limit)
                d = np.maximum(0.0, 1.0 - km / scale)
            else:
                both = offers.located[oi] & needs.located[ni]
                valid &= ~(both & (km > limit))
                d = np.where(both, np.maximum(0.0, 1.0 - km / scale), 0.5)
            qo, qn = offers.per_year[oi], needs.per_year[ni]
            ratio = np.where(qn <= 0, 1.0, np.minimum(qo / qn, 1.0))
        known = ~np.isnan(qo) & ~np.isnan(qn)
        q = np.where(known, np.where(offers.dim[oi] == needs.dim[ni], ratio, 0.25), 0.5)
        t = np.floor(self._text(offers.text[oi], needs.text[ni]) * 1e6 + 0.5) / 1e6
        k = r
        if offers.physical and needs.physical:
            some = np.flatnonzero(offers.facts[oi] & needs.facts[ni])
            if len(some):
                k = k.copy()
                k[some] = k[some] * self._physical(offers, oi[some], ni[some])
        named = needs.named[ni]
        elsewhere = (t < ELSEWHERE_BELOW) & (named >= 0) & (offers.sub0[oi] != named) \
            & (offers.sub1[oi] != named)
        k = np.where(elsewhere, k * ELSEWHERE, k)
        s = W_MATERIAL * material(k, t) + W_QUANTITY * q + W_DISTANCE * d
        if offers.any_hazardous:
            s = np.where(offers.hazardous[oi] & ~needs.accepts[ni], s * HAZARD_FACTOR, s)
        return np.where(valid, np.floor(s * 10_000.0 + 0.5) / 10_000.0, -1.0)


    def _physical(self, offers, oi, ni):
        """`utilities.factor` of the pairs, vectorised (same arithmetic)."""
        needs = self.needs
        f = np.ones(len(oi))
        og, ng = offers.grade[oi], needs.grade[ni]
        f = np.where((ng > og) & (og > 0), f * utilities.GRADE_SHORT, f)
        ot, nt = offers.temp[oi], needs.temp[ni]
        with np.errstate(invalid="ignore"):
            cold = ~np.isnan(nt) & ~np.isnan(ot) & (ot + utilities.MARGIN_C < nt)
        f = np.where(cold, f * utilities.TEMPERATURE_SHORT, f)
        ow, nw = offers.wclass[oi], needs.wneed[ni]
        return np.where((nw >= 0) & (ow >= 0) & (ow < nw), f * utilities.WATER_SHORT, f)


def corpus(offers, needs):
    """The character-gram IDF of one matching run (both sides' descriptions)."""
    return Literal.fit([s.description or "" for s in list(offers) + list(needs)])


def rank(offers, needs, top=5, lang="fr"):
    """{offer id: [{"need", "score", "confidence", "reasons"}, …]} for Stream lists, best
    first: the candidates with evidence, then (recall first) the other needs within reach
    as low-confidence candidates until there are `top` (see `fill`)."""
    literal = corpus(offers, needs)
    matcher = Matcher(needs, literal)
    found, prepared = matcher.rank(offers, top)
    extra = fill(prepared.items, matcher.needs.items, found, top,
                 lambda i, js: matcher.text_of(prepared, i, js))
    out = {}
    for i, p in enumerate(prepared.items):
        rows = [{"need": matcher.needs.items[j].id, "score": s,
                 "confidence": confidence(s),
                 "reasons": explain(p, matcher.needs.items[j], lang)}
                for j, s in found.get(i, [])]
        for j, s in extra.get(i, []):
            rows.append({"need": matcher.needs.items[j].id, "score": s,
                         "confidence": "low",
                         "reasons": explain(p, matcher.needs.items[j], lang, fallback=True)})
        out[p.id] = rows
    return out


def rank_naive(offers, needs, top=5):
    """Every pair through `score_pair` (the reference the fast path must equal); the
    candidates only (`fill` adds the others the same way to both)."""
    out = {}
    for o in offers:
        scored = []
        for j, n in enumerate(needs):
            s = score_pair(o, n)
            if s is not None:
                scored.append((-s, j))
        scored.sort()
        out[o.id] = [(j, -s) for s, j in scored[:top]]
    return out
