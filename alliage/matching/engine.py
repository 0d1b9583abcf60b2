"""Score (offer, need) pairs with their reasons; rank the top K needs of every offer.

Every score is `hazard × (0.55·material + 0.15·quantity + 0.30·distance)`, each part in [0, 1]:
- material = 0.75·relation + 0.25·text, where relation is 1.0 for the same LoW entry, 0.8
  for the same sub-chapter, or the strength of a cited valorisation pathway from the offer's
  material to a use the need names; a pair with no relation is not a match;
- quantity: the share of the need the offer covers (0.5 when unknown, 0.25 across dimensions);
- distance: haversine km against the need's (and offer's) maximum distance, which is a hard
  limit (1 − km / limit; 500 km scale without a limit; 0.5 when a place is unknown);
- timing: availability windows that do not overlap exclude the pair;
- hazard: a hazardous offer to a need that does not accept hazardous material × 0.85.
Scores are rounded to 4 decimals; ties go to the need listed first.

`score_pair` is the scalar reference (the naive scorer uses it); `Matcher` gives the same
results blocked by material keys and vectorised with numpy/scipy.
"""

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy import sparse

from alliage.matching import units
from alliage.matching.classify import classifier
from alliage.matching.taxonomy import display, normalise_code, taxonomy

EARTH_KM = 6371.0088
DEFAULT_SCALE_KM = 500.0
W_MATERIAL, W_QUANTITY, W_DISTANCE = 0.55, 0.15, 0.30
SAME_ENTRY, SAME_SUBCHAPTER = 1.0, 0.8
HAZARD_FACTOR = 0.85
CONFIDENT = 0.2
INF = float("inf")


class BadStream(ValueError):
    pass


@dataclass
class Stream:
    id: str
    description: str = ""
    code: str | None = None
    quantity: float | None = None
    unit: str | None = None
    lat: float | None = None
    lon: float | None = None
    max_distance_km: float | None = None
    available_from: int | None = None     # ordinal days (date.toordinal()), optional
    available_until: int | None = None
    hazardous: bool | None = None         # None: from the LoW code
    accepts_hazardous: bool = False

    @classmethod
    def from_dict(cls, data):
        if not isinstance(data, dict):
            raise BadStream("a stream must be an object")
        if not isinstance(data.get("id"), str) or not data["id"]:
            raise BadStream("a stream has no id")
        sid = data["id"]
        code = data.get("code")
        if code is not None and normalise_code(code) is None:
            raise BadStream(f"stream {sid}: invalid LoW code {code!r}")
        unit = data.get("unit")
        if unit is not None and not units.is_known(unit):
            raise BadStream(f"stream {sid}: unknown unit {unit!r}")
        values = {}
        for name in ("quantity", "lat", "lon", "max_distance_km"):
            value = data.get(name)
            if value is not None and (isinstance(value, bool)
                                      or not isinstance(value, int | float)
                                      or not math.isfinite(value)):
                raise BadStream(f"stream {sid}: {name} must be a number")
            values[name] = value
        if values["lat"] is not None and not -90 <= values["lat"] <= 90 or \
                values["lon"] is not None and not -180 <= values["lon"] <= 180:
            raise BadStream(f"stream {sid}: coordinates out of range")
        for name in ("quantity", "max_distance_km"):
            if values[name] is not None and values[name] < 0:
                raise BadStream(f"stream {sid}: {name} must not be negative")
        description = data.get("description") or ""
        if not isinstance(description, str):
            raise BadStream(f"stream {sid}: description must be text")
        return cls(id=sid, description=description, code=code, unit=unit, **values,
                   available_from=data.get("available_from"),
                   available_until=data.get("available_until"),
                   hazardous=data.get("hazardous"),
                   accepts_hazardous=bool(data.get("accepts_hazardous", False)))


@dataclass(slots=True)
class Prepared:
    """A stream turned into what scoring needs (computed once per stream)."""
    id: str
    primary: str | None
    subchapters: tuple
    uses: tuple                      # uses this stream names (as a need)
    feeds: dict                      # use → pathway its material feeds (as an offer)
    tokens: dict                     # stem → L2-normalised weight
    lat: float | None
    lon: float | None
    coslat: float
    xyz: tuple
    max_km: float
    dimension: str | None
    per_year: float | None
    start: float
    end: float
    hazardous: bool
    accepts_hazardous: bool
    inferred: bool = False
    keys: frozenset = field(default=frozenset())

    @property
    def located(self):
        return self.lat is not None


def prepare(stream):
    code, inferred, subchapters, uses, feeds, tokens, coded_hazard, keys = _material(
        stream.description or "", normalise_code(stream.code))
    dimension, per_year = units.per_year(stream.quantity, stream.unit)
    located = stream.lat is not None and stream.lon is not None
    lat = math.radians(stream.lat) if located else None
    hazardous = stream.hazardous if stream.hazardous is not None else coded_hazard
    return Prepared(
        id=stream.id, primary=code if code and len(code) == 6 else None,
        subchapters=subchapters, uses=uses, feeds=feeds, tokens=tokens,
        lat=lat, lon=math.radians(stream.lon) if located else None,
        coslat=math.cos(lat) if located else 0.0,
        xyz=_unit(lat, math.radians(stream.lon)) if located else (0.0, 0.0, 0.0),
        max_km=stream.max_distance_km if stream.max_distance_km is not None else INF,
        dimension=dimension, per_year=per_year,
        start=stream.available_from if stream.available_from is not None else -INF,
        end=stream.available_until if stream.available_until is not None else INF,
        hazardous=bool(hazardous), accepts_hazardous=stream.accepts_hazardous,
        inferred=inferred, keys=keys)


@lru_cache(maxsize=100_000)
def _material(description, code):
    """What a stream's description and code say about its material (cached: listings repeat)."""
    tax, clf = taxonomy(), classifier()
    inferred = False
    subchapters = []
    if code:
        subchapters.append(code[:4])
    else:
        suggestions = clf.suggest(description, 5) if description else ()
        if suggestions and suggestions[0].confidence >= CONFIDENT:
            code, inferred = suggestions[0].code, True
            subchapters.append(code[:4])
            top = suggestions[0].confidence
            for s in suggestions[1:]:
                if s.confidence >= max(CONFIDENT, 0.6 * top) and s.code[:4] not in subchapters:
                    subchapters.append(s.code[:4])
                    break
    subchapters = tuple(c for c in subchapters if len(c) >= 4)[:2]
    stems = clf.stems(description) if description else ()
    uses = _uses_named(stems)
    feeds = {}
    for c in ([code] if code else []) + [s for s in subchapters if not code or s != code[:4]]:
        for use, pathway in tax.uses_fed_by(c).items():
            if use not in feeds or pathway.strength > feeds[use].strength:
                feeds[use] = pathway
    tokens = _tokens(description)
    hazardous = tax.is_hazardous(code) if code and not inferred else False
    keys = frozenset([("sc", s) for s in subchapters] + [("use", u) for u in uses])
    return code, inferred, subchapters, uses, feeds, tokens, hazardous, keys


@lru_cache(maxsize=100_000)
def _tokens(description):
    """L2-normalised idf weights of a description's stems (shared by equal descriptions)."""
    clf = classifier()
    stems = clf.stems(description) if description else ()
    weights = {s: clf.idf.get(s, clf.max_idf) for s in set(stems)}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {s: w / norm for s, w in weights.items()}


def _uses_named(stems):
    """The uses whose trade words all appear among the stems."""
    present = set(stems)
    found = set()
    for stem in present:
        for key, phrase in _phrase_index().get(stem, ()):
            if key not in found and all(s in present for s in phrase):
                found.add(key)
    return tuple(k for k in taxonomy().uses if k in found)


_PHRASES = None


def _phrase_index():
    """First stem of each use phrase → [(use, phrase)]."""
    global _PHRASES
    if _PHRASES is None:
        clf = classifier()
        _PHRASES = {}
        for key, use in taxonomy().uses.items():
            for words in use.words:
                phrase = tuple(clf.stems(words))
                if phrase:
                    _PHRASES.setdefault(phrase[0], []).append((key, phrase))
    return _PHRASES


def offer_keys(p):
    """The material keys an offer reaches: its sub-chapters and the uses it feeds."""
    return frozenset([("sc", s) for s in p.subchapters] + [("use", u) for u in p.feeds])


# --- the scalar reference --------------------------------------------------------------

def relation(o, n):
    """(strength, reason) of the material relation between an offer and a need."""
    if o.primary and o.primary == n.primary:
        return SAME_ENTRY, ("same_entry", o.primary)
    shared = [s for s in o.subchapters if s in n.subchapters]
    best = (0.0, None)
    if shared:
        best = (SAME_SUBCHAPTER, ("same_subchapter", shared[0]))
    for use in n.uses:
        pathway = o.feeds.get(use)
        if pathway and pathway.strength > best[0]:
            best = (pathway.strength, ("pathway", pathway))
    return best


def _q(x, scale):
    """Quantise (both paths do it the same way, so last-bit differences do not matter)."""
    return math.floor(x * scale + 0.5) / scale


def _unit(lat, lon):
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def haversine_km(o, n):
    """Great-circle distance to the metre: the haversine formula written with the chord
    between unit vectors (sin²(Δσ/2) = chord² / 4), one arcsine per pair."""
    dx, dy, dz = n.xyz[0] - o.xyz[0], n.xyz[1] - o.xyz[1], n.xyz[2] - o.xyz[2]
    half = math.sqrt(dx * dx + dy * dy + dz * dz) / 2
    return _q(2 * EARTH_KM * math.asin(min(half, 1.0)), 1000.0)


def text_similarity(o, n):
    small, large = (o.tokens, n.tokens) if len(o.tokens) <= len(n.tokens) else \
        (n.tokens, o.tokens)
    return _q(sum(w * large[t] for t, w in small.items() if t in large), 1e6)


def quantity_fit(o, n):
    if o.per_year is None or n.per_year is None:
        return 0.5
    if o.dimension != n.dimension:
        return 0.25
    if n.per_year <= 0:
        return 1.0
    return min(o.per_year / n.per_year, 1.0)


def score_pair(o, n):
    """The pair's score in [0, 1], or None when it is not a match."""
    r, _ = relation(o, n)
    if r <= 0 or o.end < n.start or n.end < o.start:
        return None
    if o.located and n.located:
        km = haversine_km(o, n)
        limit = min(o.max_km, n.max_km)
        if km > limit:
            return None
        d = max(0.0, 1.0 - km / (limit if limit < INF else DEFAULT_SCALE_KM))
    else:
        d = 0.5
    m = 0.75 * r + 0.25 * text_similarity(o, n)
    s = W_MATERIAL * m + W_QUANTITY * quantity_fit(o, n) + W_DISTANCE * d
    if o.hazardous and not n.accepts_hazardous:
        s *= HAZARD_FACTOR
    return _q(s, 10_000.0)


USE_LABELS = None


@lru_cache(maxsize=10_000)
def _relation_text(kind, what, source, lang):
    fr = lang == "fr"
    tax = taxonomy()
    if kind == "same_entry":
        return f"même code LoW {display(what)}" if fr else f"same LoW code {display(what)}"
    if kind == "same_subchapter":
        node = tax.nodes.get(what)
        label = f" ({node.label(lang)})" if node else ""
        return (f"même sous-chapitre LoW {display(what)}" if fr else
                f"same LoW sub-chapter {display(what)}") + label
    use = tax.uses[what]
    source = source.split(";")[0].strip()
    return (f"voie de valorisation : {use.label_fr} (source : {source})" if fr else
            f"valorisation pathway: {use.label_en} (source: {source})")


def explain(o, n, lang="fr"):
    """The pair's reasons, in words."""
    fr = lang == "fr"
    _r, (kind, what) = relation(o, n)
    if kind == "pathway":
        reasons = [_relation_text(kind, what.use, what.source, lang)]
    else:
        reasons = [_relation_text(kind, what, "", lang)] if kind else []
    if o.inferred or n.inferred:
        reasons.append("code déduit de la description" if fr else
                       "code inferred from the description")
    t = text_similarity(o, n)
    if t >= 0.3:
        reasons.append(f"descriptions semblables ({round(t * 100)} %)" if fr else
                       f"similar descriptions ({round(t * 100)}%)")
    if o.located and n.located:
        km = haversine_km(o, n)
        text = f"{km:.0f} km"
        if n.max_km < INF:
            text += (f" (maximum {n.max_km:.0f} km)" if fr else f" (limit {n.max_km:.0f} km)")
        reasons.append(text)
    else:
        reasons.append("distance inconnue" if fr else "distance unknown")
    q = quantity_fit(o, n)
    if o.per_year is not None and n.per_year is not None and o.dimension == n.dimension:
        reasons.append(f"couvre {round(q * 100)} % du besoin" if fr else
                       f"covers {round(q * 100)}% of the need")
    elif o.per_year is not None and n.per_year is not None:
        reasons.append("unités non comparables" if fr else "units not comparable")
    else:
        reasons.append("quantité à préciser" if fr else "quantity to be confirmed")
    if o.hazardous and not n.accepts_hazardous:
        reasons.append("matière dangereuse : permis et transport réglementés" if fr else
                       "hazardous material: permits and regulated transport")
    return reasons


# --- the fast path -----------------------------------------------------------------------

class Side:
    """One side's prepared streams as arrays, with an index of its material keys."""

    def __init__(self, prepared, vocab, use_ids, sub_ids, role, texts):
        self.items = list(prepared)
        self.role = role
        n = len(self.items)
        self.index = {}
        for i, p in enumerate(self.items):
            for key in (p.keys if role == "need" else offer_keys(p)):
                self.index.setdefault(key, []).append(i)
        self.lat = np.array([p.lat if p.located else np.nan for p in self.items])
        self.lon = np.array([p.lon if p.located else np.nan for p in self.items])
        self.coslat = np.array([p.coslat for p in self.items])
        xyz = np.array([p.xyz for p in self.items], dtype=float).reshape(n, 3)
        self.x, self.y, self.z = (np.ascontiguousarray(xyz[:, i]) for i in range(3))
        self.located = ~np.isnan(self.lat)
        self.max_km = np.array([p.max_km for p in self.items])
        self.start = np.array([p.start for p in self.items], dtype=float)
        self.end = np.array([p.end for p in self.items], dtype=float)
        self.hazardous = np.array([p.hazardous for p in self.items], dtype=bool)
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
        self.text = np.array([distinct.setdefault(id(p.tokens), len(distinct))
                              for p in self.items], dtype=np.int64)
        rows, cols, vals = [], [], []
        seen = set()
        for i, p in enumerate(self.items):
            row = self.text[i]
            if row in seen:
                continue
            seen.add(row)
            for t, w in p.tokens.items():
                rows.append(row)
                cols.append(vocab.setdefault(t, len(vocab)))
                vals.append(w)
        self._tokens = (rows, cols, vals, len(distinct))

    def tokens(self, width):
        rows, cols, vals, count = self._tokens
        return sparse.csr_matrix((vals, (rows, cols)), shape=(count, width))


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

    def __init__(self, needs):
        from scipy.spatial import cKDTree

        tax = taxonomy()
        self.use_ids = {u: i for i, u in enumerate(tax.uses)}
        self.sub_ids, self.vocab, self.texts = {}, {}, {}
        self.needs = Side([p if isinstance(p, Prepared) else prepare(p) for p in needs],
                          self.vocab, self.use_ids, self.sub_ids, "need", self.texts)
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

        offers = Side([p if isinstance(p, Prepared) else prepare(p) for p in offers],
                      self.vocab, self.use_ids, self.sub_ids, "offer", self.texts)
        self._text_table(offers)
        o_xyz = _xyz(offers)
        best = _Best(top, len(offers.items))
        # Sub-chapter keys first (they hold the best pairs): every K-th best score found
        # raises the floor that prunes the next keys' searches.
        order = [k for k in sorted(offers.index, key=lambda k: (k[0] != "sc", k))
                 if k in self.blocks]
        lock = threading.Lock()

        def work(key):
            block = self.blocks[key]
            members = np.array(offers.index[key])
            here = members[offers.located[members]]
            away = members[~offers.located[members]]
            local = _Best(top, len(offers.items))
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
        if key[0] == "sc":
            relation = np.where(offers.primary_sub[here] == self.sub_ids.get(key[1], -9),
                                SAME_ENTRY, SAME_SUBCHAPTER)
        else:
            relation = offers.feeds[here, self.use_ids[key[1]]]
        ceiling = W_MATERIAL * (0.75 * relation + 0.25 * best_text) + W_QUANTITY
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
        """Cosine of every (offer text, need text) when texts are few enough (listings
        repeat); otherwise computed pair by pair."""
        width = len(self.vocab)
        self.o_tokens, self.n_tokens = offers.tokens(width), self.needs.tokens(width)
        size = self.o_tokens.shape[0] * self.n_tokens.shape[0]
        self.table = None
        if size <= self.TABLE:
            # Stored already quantised to millionths (as `text_similarity` rounds), in
            # uint32: half the memory of float64, and the same values to the last digit.
            product = (self.o_tokens @ self.n_tokens.T).tocsr()
            millionths = np.floor(product.data * 1e6 + 0.5).astype(np.uint32)
            self.table = sparse.csr_matrix((millionths, product.indices, product.indptr),
                                           shape=product.shape).toarray()
        self.flat_table = self.table.ravel() if self.table is not None else None
        self.best_text = self.table.max(axis=1) / 1e6 if self.table is not None and \
            self.table.shape[1] else np.ones(self.o_tokens.shape[0])

    def _text(self, a, b):
        if self.table is not None:
            return self.flat_table[a * self.table.shape[1] + b] / 1e6
        return np.asarray(self.o_tokens[a].multiply(self.n_tokens[b]).sum(axis=1)).ravel()

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
        named = np.flatnonzero(needs.use0[ni] != needs.no_use)
        if len(named):
            at = ni[named]
            row = oi[named] * offers.feeds.shape[1]
            flat = offers.feeds.ravel()
            best = r[named]
            for column in (needs.use0, needs.use1, needs.use2):
                best = np.maximum(best, flat[row + column[at]])
            r[named] = best
        valid = r > 0
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
        s = W_MATERIAL * (0.75 * r + 0.25 * t) + W_QUANTITY * q + W_DISTANCE * d
        if offers.any_hazardous:
            s = np.where(offers.hazardous[oi] & ~needs.accepts[ni], s * HAZARD_FACTOR, s)
        return np.where(valid, np.floor(s * 10_000.0 + 0.5) / 10_000.0, -1.0)


class _Best:
    """The running top K per offer, ordered like the naive scorer: score, then need order."""

    def __init__(self, top, count):
        self.top = top
        self.floor = np.full(count, -1.0)      # each offer's K-th best so far
        self.o = np.empty(0, dtype=np.int64)
        self.n = np.empty(0, dtype=np.int64)
        self.s = np.empty(0)
        self.pending = []
        self.size = 0

    def add(self, o, n, s):
        keep = s >= self.floor[o]              # cannot enter an offer's top K otherwise
        if not keep.all():
            o, n, s = o[keep], n[keep], s[keep]
        if len(o):
            self.pending.append((o, n, s))
            self.size += len(o)
            if self.size > 4_000_000:
                self._reduce()

    def _reduce(self):
        """Keep each offer's best K: one int64 key per pair (offer, 1 − score, need) sorts
        them the naive scorer's way."""
        if not self.pending:
            return
        o = np.concatenate([self.o] + [p[0] for p in self.pending])
        n = np.concatenate([self.n] + [p[1] for p in self.pending])
        s = np.concatenate([self.s] + [p[2] for p in self.pending])
        self.pending, self.size = [], 0
        inverse = 10_000 - np.rint(s * 10_000).astype(np.int64)
        key = np.sort((o << 38) | (inverse << 24) | n)
        key = key[np.r_[True, key[1:] != key[:-1]]]
        o = key >> 38
        starts = np.flatnonzero(np.r_[True, o[1:] != o[:-1]])
        rank_in = np.arange(len(o)) - np.repeat(starts, np.diff(np.r_[starts, len(o)]))
        kth = key[rank_in == self.top - 1]
        owners = kth >> 38
        self.floor[owners] = np.maximum(self.floor[owners],
                                        (10_000 - ((kth >> 24) & ((1 << 14) - 1))) / 10_000)
        key = key[rank_in < self.top]
        self.o = key >> 38
        self.n = key & ((1 << 24) - 1)
        self.s = (10_000 - ((key >> 24) & ((1 << 14) - 1))) / 10_000

    def flush(self):
        self._reduce()

    def kth_of(self, offers):
        """The K-th best score so far of the given offers (−1 while fewer than K)."""
        self._reduce()
        out = np.full(len(offers), -1.0)
        if len(self.o):
            starts = np.flatnonzero(np.r_[True, self.o[1:] != self.o[:-1]])
            sizes = np.diff(np.r_[starts, len(self.o)])
            full = starts[sizes == self.top] + self.top - 1
            if len(full):
                owners = self.o[full]
                pos = np.minimum(np.searchsorted(owners, offers), len(full) - 1)
                hit = owners[pos] == offers
                out[hit] = self.s[full][pos[hit]]
        return out

    def kth(self, count):
        """Each offer's K-th best score so far (−1 while it has fewer than K)."""
        self._reduce()
        out = np.full(count, -1.0)
        if len(self.o):
            starts = np.flatnonzero(np.r_[True, self.o[1:] != self.o[:-1]])
            sizes = np.diff(np.r_[starts, len(self.o)])
            full = sizes == self.top
            last = starts + sizes - 1
            out[self.o[last[full]]] = self.s[last[full]]
        return out

    def result(self):
        self._reduce()
        out = {}
        for o, n, s in zip(self.o.tolist(), self.n.tolist(), self.s.tolist(), strict=True):
            out.setdefault(o, []).append((n, s))
        return out


def rank(offers, needs, top=5, lang="fr"):
    """{offer id: [{"need", "score", "reasons"}, …]} for Stream lists."""
    matcher = Matcher(needs)
    found, prepared = matcher.rank(offers, top)
    out = {}
    for i, p in enumerate(prepared.items):
        out[p.id] = [{"need": matcher.needs.items[j].id, "score": s,
                      "reasons": explain(p, matcher.needs.items[j], lang)}
                     for j, s in found.get(i, [])]
    return out


def rank_naive(offers, needs, top=5):
    """Every pair through `score_pair` (the reference the fast path must equal)."""
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
