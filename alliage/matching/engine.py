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


@dataclass
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
    code, inferred, subchapters, uses, feeds, tokens, coded_hazard = _material(
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
        max_km=stream.max_distance_km if stream.max_distance_km is not None else INF,
        dimension=dimension, per_year=per_year,
        start=stream.available_from if stream.available_from is not None else -INF,
        end=stream.available_until if stream.available_until is not None else INF,
        hazardous=bool(hazardous), accepts_hazardous=stream.accepts_hazardous,
        inferred=inferred,
        keys=frozenset([("sc", s) for s in subchapters] + [("use", u) for u in uses]))


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
    weights = {s: clf.idf.get(s, clf.max_idf) for s in set(stems)}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    tokens = {s: w / norm for s, w in weights.items()}
    hazardous = tax.is_hazardous(code) if code and not inferred else False
    return code, inferred, subchapters, uses, feeds, tokens, hazardous


def _uses_named(stems):
    present = set(stems)
    found = []
    for key, phrases in _use_phrases().items():
        if any(all(s in present for s in phrase) for phrase in phrases):
            found.append(key)
    return tuple(found)


_PHRASES = None


def _use_phrases():
    global _PHRASES
    if _PHRASES is None:
        clf = classifier()
        _PHRASES = {key: [p for p in (tuple(clf.stems(w)) for w in use.words) if p]
                    for key, use in taxonomy().uses.items()}
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


def haversine_km(o, n):
    """Great-circle distance, to the metre."""
    a = (math.sin((n.lat - o.lat) / 2) ** 2
         + o.coslat * n.coslat * math.sin((n.lon - o.lon) / 2) ** 2)
    return _q(2 * EARTH_KM * math.asin(math.sqrt(min(a, 1.0))), 1000.0)


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


def explain(o, n, lang="fr"):
    """The pair's reasons, in words."""
    fr = lang == "fr"
    tax = taxonomy()
    reasons = []
    r, (kind, what) = relation(o, n)
    if kind == "same_entry":
        reasons.append(f"même code LoW {display(what)}" if fr else
                        f"same LoW code {display(what)}")
    elif kind == "same_subchapter":
        node = tax.nodes.get(what)
        label = node.label(lang) if node else ""
        reasons.append((f"même sous-chapitre LoW {display(what)}" if fr else
                        f"same LoW sub-chapter {display(what)}") + (f" ({label})" if label
                                                                    else ""))
    elif kind == "pathway":
        use = tax.uses[what.use]
        source = what.source.split(";")[0].strip()
        reasons.append(f"voie de valorisation : {use.label_fr} (source : {source})"
                        if fr else f"valorisation pathway: {use.label_en} "
                        f"(source: {source})")
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
        self.located = ~np.isnan(self.lat)
        self.max_km = np.array([p.max_km for p in self.items])
        self.start = np.array([p.start for p in self.items], dtype=float)
        self.end = np.array([p.end for p in self.items], dtype=float)
        self.hazardous = np.array([p.hazardous for p in self.items], dtype=bool)
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
        n_uses = len(use_ids)
        if role == "need":
            self.uses = np.full((n, 3), n_uses)
            for i, p in enumerate(self.items):
                for j, u in enumerate(p.uses[:3]):
                    self.uses[i, j] = use_ids[u]
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

    PAIRS = 2_000_000          # pairs scored per vectorised step

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
                block["unbounded"] = (unbounded, cKDTree(self.n_xyz[unbounded]))
            self.blocks[key] = block

    def rank(self, offers, top=5):
        """({offer index: [(need index, score), …]}, offers side), best first."""
        from scipy.spatial import cKDTree

        offers = Side([p if isinstance(p, Prepared) else prepare(p) for p in offers],
                      self.vocab, self.use_ids, self.sub_ids, "offer", self.texts)
        self._text_table(offers)
        o_xyz = _xyz(offers)
        best = _Best(top)
        later = []
        for key, members in offers.index.items():
            block = self.blocks.get(key)
            if block is None:
                continue
            members = np.array(members)
            here = members[offers.located[members]]
            away = members[~offers.located[members]]
            if len(here):
                tree = cKDTree(o_xyz[here])
                # Needs with a limit: only those within it (k-d tree per limit bucket).
                for radius, group, needs_tree in block["trees"]:
                    pairs = tree.sparse_distance_matrix(needs_tree, _chord(radius),
                                                        output_type="ndarray")
                    self._score_into(best, offers, here[pairs["i"]], group[pairs["j"]])
                if block["unbounded"] is not None:
                    later.append((here, block["unbounded"]))
            every = np.concatenate([block["elsewhere"]] + [g for _, g, _ in block["trees"]]
                                   + ([block["unbounded"][0]] if block["unbounded"]
                                      is not None else []))
            self._score_dense(best, offers, away, every)
            self._score_dense(best, offers, here, block["elsewhere"])
        # Needs without a limit: only as far as they could still enter an offer's top K
        # (a pair at ≥ R km scores at most 0.70 + 0.30·(1 − R / 500)).
        kth = best.kth(len(offers.items))
        edges = np.array([50.0, 100.0, 200.0, 300.0, 400.0, DEFAULT_SCALE_KM])
        for here, (unbounded, needs_tree) in later:
            reach = np.where(kth[here] > 0.70, DEFAULT_SCALE_KM
                             * (1 - (kth[here] - 0.70) / 0.30), np.inf)
            finite = np.isfinite(reach)
            self._score_dense(best, offers, here[~finite], unbounded)
            cls = np.searchsorted(edges, reach, "left")
            for c, radius in enumerate(edges):
                group = here[finite & (cls == c)]
                if not len(group):
                    continue
                pairs = cKDTree(o_xyz[group]).sparse_distance_matrix(
                    needs_tree, _chord(radius), output_type="ndarray")
                self._score_into(best, offers, group[pairs["i"]], unbounded[pairs["j"]])
        return best.result(), offers

    def _score_dense(self, best, offers, oi, ni):
        if not len(oi) or not len(ni):
            return
        step = max(1, self.PAIRS // len(ni))
        for begin in range(0, len(oi), step):
            chunk = oi[begin:begin + step]
            self._score_into(best, offers, np.repeat(chunk, len(ni)),
                             np.tile(ni, len(chunk)))

    def _score_into(self, best, offers, oi, ni):
        for begin in range(0, len(oi), self.PAIRS):
            o, n = oi[begin:begin + self.PAIRS], ni[begin:begin + self.PAIRS]
            s = self.score_pairs(offers, o, n)
            ok = s >= 0
            best.add(o[ok], n[ok], s[ok])

    TABLE = 25_000_000

    def _text_table(self, offers):
        """Cosine of every (offer text, need text) when texts are few enough (listings
        repeat); otherwise computed pair by pair."""
        width = len(self.vocab)
        self.o_tokens, self.n_tokens = offers.tokens(width), self.needs.tokens(width)
        size = self.o_tokens.shape[0] * self.n_tokens.shape[0]
        self.table = (self.o_tokens @ self.n_tokens.T).toarray() if size <= self.TABLE \
            else None

    def _text(self, a, b):
        if self.table is not None:
            return self.table[a, b]
        return np.asarray(self.o_tokens[a].multiply(self.n_tokens[b]).sum(axis=1)).ravel()

    def score_pairs(self, offers, oi, ni):
        """Scores of the pairs (oi[k], ni[k]) as `score_pair` computes them; −1: no match."""
        needs = self.needs
        r = np.where((offers.primary[oi] == needs.primary[ni]) & (offers.primary[oi] >= 0),
                     SAME_ENTRY, 0.0)
        same_sub = np.zeros(len(oi), dtype=bool)
        for a in range(2):
            for b in range(2):
                same_sub |= offers.subs[oi, a] == needs.subs[ni, b]
        r = np.maximum(r, np.where(same_sub, SAME_SUBCHAPTER, 0.0))
        for j in range(3):
            r = np.maximum(r, offers.feeds[oi, needs.uses[ni, j]])
        valid = (r > 0) & ~((offers.end[oi] < needs.start[ni]) | (needs.end[ni] < offers.start[oi]))
        both = offers.located[oi] & needs.located[ni]
        with np.errstate(invalid="ignore", divide="ignore"):
            a = (np.sin((needs.lat[ni] - offers.lat[oi]) / 2) ** 2
                 + offers.coslat[oi] * needs.coslat[ni]
                 * np.sin((needs.lon[ni] - offers.lon[oi]) / 2) ** 2)
            km = np.floor(2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0))) * 1000.0
                          + 0.5) / 1000.0
            limit = np.minimum(offers.max_km[oi], needs.max_km[ni])
            valid &= ~(both & (km > limit))
            scale = np.where(np.isfinite(limit), limit, DEFAULT_SCALE_KM)
            d = np.where(both, np.maximum(0.0, 1.0 - km / scale), 0.5)
            qo, qn = offers.per_year[oi], needs.per_year[ni]
            ratio = np.where(qn <= 0, 1.0, np.minimum(qo / qn, 1.0))
        known = ~np.isnan(qo) & ~np.isnan(qn)
        q = np.where(known, np.where(offers.dim[oi] == needs.dim[ni], ratio, 0.25), 0.5)
        t = np.floor(self._text(offers.text[oi], needs.text[ni]) * 1e6 + 0.5) / 1e6
        s = W_MATERIAL * (0.75 * r + 0.25 * t) + W_QUANTITY * q + W_DISTANCE * d
        s = np.where(offers.hazardous[oi] & ~needs.accepts[ni], s * HAZARD_FACTOR, s)
        return np.where(valid, np.floor(s * 10_000.0 + 0.5) / 10_000.0, -1.0)


class _Best:
    """The running top K per offer, ordered like the naive scorer: score, then need order."""

    def __init__(self, top):
        self.top = top
        self.o = np.empty(0, dtype=np.int64)
        self.n = np.empty(0, dtype=np.int64)
        self.s = np.empty(0)
        self.pending = []
        self.size = 0

    def add(self, o, n, s):
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
        key = key[rank_in < self.top]
        self.o = key >> 38
        self.n = key & ((1 << 24) - 1)
        self.s = (10_000 - ((key >> 24) & ((1 << 14) - 1))) / 10_000

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
