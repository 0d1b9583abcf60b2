"""Streams as the engine reads them: checked input (`Stream`), and what scoring needs,
computed once per stream (`prepare` → `Prepared`): LoW or utility code (given or inferred
from the description), sub-chapters, uses named or fed, the literal evidence (character
4-grams, idf-weighted stems, rare stems), a utility's physical facts, place, yearly
quantity, availability window, hazard."""

import math
from dataclasses import dataclass, field
from functools import lru_cache

from alliage.matching import units, utilities
from alliage.matching.classify import classifier
from alliage.matching.literal import rare_stems, reference
from alliage.matching.taxonomy import normalise_code, taxonomy

CONFIDENT = 0.2        # a suggested code below this confidence is not used
NAMES_MATERIAL = 0.35  # a need names a material: one of its code's trade phrases, this sure
RARE_KEYS = 6          # rare stems per stream that make a pair a candidate
INF = float("inf")


class BadStream(ValueError):
    """Input a stream cannot be read from (the message says which stream and why)."""


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
    utility: str | None = None            # a utility kind (steam, hot_water…) or None
    temperature: float | None = None      # °C, when known (else read from the text)

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
        utility = data.get("utility")
        if utility is not None and utility not in utilities.CODES:
            raise BadStream(f"stream {sid}: unknown utility {utility!r}")
        temperature = data.get("temperature")
        if temperature is not None and (isinstance(temperature, bool) or not isinstance(
                temperature, int | float) or not math.isfinite(temperature)):
            raise BadStream(f"stream {sid}: temperature must be a number")
        return cls(id=sid, description=description, code=code, unit=unit, **values,
                   utility=utility, temperature=temperature,
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
    grams: dict = field(default_factory=dict)   # char 4-gram → L2-normalised TF-IDF weight
    rare: frozenset = field(default=frozenset())  # rare stems (an offer's word keys)
    unexplained: frozenset = field(default=frozenset())  # those its code's words do not
    #                                  hold (a need's word keys: the rest is the taxonomy's)
    named_sub: str | None = None     # the sub-chapter a need confidently names
    grade: int = 0                   # heat grade: 2 steam, 1 hot water or waste heat
    temp: float = math.nan           # °C the text states
    wclass: int = -1                 # water quality class offered
    wneed: int = -1                  # water quality class asked
    utility: str | None = None       # utility kind (see utilities.KINDS)
    text: str = ""                   # the description (reasons quote its words)

    @property
    def located(self):
        return self.lat is not None


def prepare(stream, literal=None):
    """What scoring needs of a stream; `literal`: the corpus's character-gram IDF
    (`literal.Literal.fit`), the taxonomy's own when None. Pairs compare only streams
    prepared with the same one."""
    given = normalise_code(stream.code) or (utilities.CODES.get(stream.utility)
                                            if stream.utility else None)
    description = stream.description or ""
    code, inferred, subchapters, uses, feeds, tokens, coded_hazard, keys, named, rare, \
        unexplained = _material(description, given)
    grade, temp, wclass, wneed, kind = utilities.facts(code, description)
    if stream.temperature is not None:
        temp = float(stream.temperature)
    dimension, per_year = units.per_year(stream.quantity, stream.unit)
    located = stream.lat is not None and stream.lon is not None
    lat = math.radians(stream.lat) if located else None
    hazardous = stream.hazardous if stream.hazardous is not None else coded_hazard
    max_km = stream.max_distance_km if stream.max_distance_km is not None else INF
    max_km = min(max_km, utilities.reach_km(code))
    keys = keys | frozenset(("w", s) for s in unexplained)
    return Prepared(
        id=stream.id, primary=code if code and len(code) == 6 else None,
        subchapters=subchapters, uses=uses, feeds=feeds, tokens=tokens,
        lat=lat, lon=math.radians(stream.lon) if located else None,
        xyz=_unit(lat, math.radians(stream.lon)) if located else (0.0, 0.0, 0.0),
        max_km=max_km, dimension=dimension, per_year=per_year,
        start=stream.available_from if stream.available_from is not None else -INF,
        end=stream.available_until if stream.available_until is not None else INF,
        hazardous=bool(hazardous), accepts_hazardous=stream.accepts_hazardous,
        inferred=inferred, keys=keys, grams=(literal or reference()).vector(description),
        rare=rare, unexplained=unexplained, named_sub=named, grade=grade,
        temp=temp if temp is not None else math.nan, wclass=wclass, wneed=wneed,
        utility=kind, text=description)


@lru_cache(maxsize=100_000)
def _material(description, code):
    """What a stream's description and code say about its material (cached: listings repeat)."""
    tax, clf = taxonomy(), classifier()
    inferred = False
    subchapters = []
    named = None
    if code:
        subchapters.append(code[:4])
    else:
        suggestions = clf.suggest(description, 5) if description else ()
        if suggestions and suggestions[0].confidence >= CONFIDENT:
            code, inferred = suggestions[0].code, True
            if suggestions[0].confidence >= NAMES_MATERIAL and suggestions[0].phrase:
                named = code[:4]
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
    rare = rare_stems(stems, clf.idf, clf.max_idf, RARE_KEYS)
    # A need's rare words that its own code already holds are the taxonomy's evidence (the
    # sub-chapter and pathway keys find those pairs); the others are literal evidence.
    held = clf.terms.get(code, {}) if code else {}
    unexplained = frozenset(s for s in rare if s not in held)
    return code, inferred, subchapters, uses, feeds, tokens, hazardous, keys, named, rare, \
        unexplained


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
    """The keys an offer reaches: its sub-chapters, the uses it feeds, its rare stems."""
    return frozenset([("sc", s) for s in p.subchapters] + [("use", u) for u in p.feeds]
                     + [("w", s) for s in p.rare])


def _unit(lat, lon):
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))
