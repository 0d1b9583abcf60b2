"""The supplier finder's ranking: pure Python, no Django (documents in, ranked results out).

A buyer's need ("usinage CNC d'aluminium", "welding of stainless tanks") is read with the
platform's bilingual normalisation (``alliage.matching.text``: accents, case, plurals, stop
words, typo correction by trigrams), then each word or phrase becomes an *idea* through the
FR/EN trade synonyms (``data/trade_synonyms.txt``), so "soudure" finds a "welding" shop and
"palettes" a "pallet" maker. Each supplier is a document of labelled texts (its products,
capabilities, SCIAN sectors, certifications, description, name); an idea found in a text
scores the weight of its kind times the idea's rarity (idf), once per idea at its best place.

Suppliers are ranked by how many of the need's ideas they cover, then by score, then by
distance, then by name; each result carries the reasons it matched (kind, text, idea) and
the words that were corrected.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from alliage.matching.text import Corrector, fold, words

WEIGHTS = {"product": 3.0, "capability": 3.0, "sector": 2.0, "certification": 2.0,
           "name": 1.5, "product_description": 1.0, "description": 1.0}
MAX_PHRASE = 3
SYNONYMS = Path(__file__).parent / "data" / "trade_synonyms.txt"
CODE = re.compile(r"\b(\d{3,6})\b")


@lru_cache(maxsize=1)
def _synonyms():
    """{stems tuple: idea} and {idea: (its terms' stems, its terms as written)} from the
    synonyms file; an idea is its line's first term."""
    table, lines = {}, {}
    for line in SYNONYMS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        terms = [t.strip() for t in line.split("|") if t.strip()]
        idea = " ".join(words(terms[0]))
        stems_of, written = lines.setdefault(idea, ([], []))
        for term in terms:
            stems = words(term)
            if stems:
                table.setdefault(stems, idea)
                stems_of.append(stems)
                written.append(term)
    return table, lines


def _phrases():
    return _synonyms()[0]


@dataclass
class Idea:
    """One idea of a need: its key, and what a full-text engine may look for: the stems of
    each of its terms (the platform's normalisation) and the terms as written."""

    key: str
    stems: list
    written: list


_TOKEN = re.compile(r"[a-z0-9]+")


def read_need(text, corrector=None):
    """The ideas of ``text`` in order, and {typed stem: corrected stem} for typos.

    Phrases of the synonyms file win over their words ("acier inoxydable" is one idea);
    a word no phrase knows is its own idea.
    """
    tokens = []                                   # (as typed, stem), stop words dropped
    for token in _TOKEN.findall(fold(text).replace("'", " ")):
        stems = words(token)
        if stems:
            tokens.append((token, stems[0]))
    corrected = {}
    if corrector is not None:
        for i, (token, s) in enumerate(tokens):
            fixed = corrector.correct(s)
            if fixed != s:
                corrected[s] = fixed
                tokens[i] = (token, fixed)
    table, lines = _synonyms()
    stems = [s for _t, s in tokens]
    out, i = [], 0
    while i < len(stems):
        for size in range(min(MAX_PHRASE, len(stems) - i), 0, -1):
            chunk = tuple(stems[i:i + size])
            if size == 1 or chunk in table:
                break
        typed = " ".join(t for t, _s in tokens[i:i + size])
        if chunk in table:
            key = table[chunk]
            known_stems, known_written = lines[key]
            out.append(Idea(key, list(known_stems), [*known_written, typed]))
        else:
            out.append(Idea(chunk[0], [chunk], [typed]))
        i += size
    return out, corrected


def ideas(text, corrector=None):
    """The ideas' keys of ``text`` in order, and the corrected words (``read_need``)."""
    found, corrected = read_need(text, corrector)
    return [idea.key for idea in found], corrected


@dataclass
class Document:
    """One supplier: an id, where it is (lat, lon or None) and its labelled texts."""

    key: int
    name: str
    point: tuple | None = None
    texts: list = field(default_factory=list)          # [(kind, text)]
    sector_codes: tuple = ()


@dataclass
class Result:
    key: int
    name: str
    score: float
    covered: int                       # how many of the need's ideas it has
    distance_km: float | None
    reasons: list                      # [(kind, text, idea)] best place of each idea


def haversine_km(a, b):
    """Great-circle distance between two (lat, lon) points, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + \
        math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


class Index:
    """The documents' ideas, their rarity, and a corrector over their vocabulary."""

    def __init__(self, documents):
        self.documents = list(documents)
        self.places = []                              # per document: {idea: (weight, kind, text)}
        frequency = {}
        vocabulary = {s for stems in _phrases() for s in stems}
        for doc in self.documents:
            best = {}
            for kind, text in doc.texts:
                vocabulary.update(words(text))
                for idea in set(ideas(text)[0]):
                    weight = WEIGHTS[kind]
                    if idea not in best or weight > best[idea][0]:
                        best[idea] = (weight, kind, text)
            self.places.append(best)
            for idea in best:
                frequency[idea] = frequency.get(idea, 0) + 1
        n = max(1, len(self.documents))
        self.idf = {idea: math.log(1 + n / count) for idea, count in frequency.items()}
        self.corrector = Corrector(vocabulary)

    def search(self, need, *, origin=None, within_km=None, limit=50):
        """Ranked results for the need (text), optionally from ``origin`` (lat, lon)."""
        wanted, corrected = ideas(need, self.corrector)
        wanted = list(dict.fromkeys(wanted))
        codes = CODE.findall(need)
        results = []
        for doc, places in zip(self.documents, self.places, strict=True):
            reasons, score = [], 0.0
            for idea in wanted:
                place = places.get(idea) or _prefix_place(idea, places)
                if place is not None:
                    weight, kind, text = place
                    score += weight * self.idf.get(idea, 1.0)
                    reasons.append((kind, text, idea))
            for code in codes:
                if any(c.startswith(code) for c in doc.sector_codes):
                    score += WEIGHTS["sector"] * 2
                    reasons.append(("code", code, code))
            if not reasons:
                continue
            km = haversine_km(origin, doc.point) if origin and doc.point else None
            if within_km is not None and (km is None or km > within_km):
                continue
            results.append(Result(doc.key, doc.name, round(score, 4), len(reasons), km,
                                  reasons))
        results.sort(key=rank_key)
        return results[:limit], corrected


def rank_key(result):
    """Coverage of the need first, then score, then distance (unknown last), then name."""
    return (-result.covered, -result.score,
            result.distance_km if result.distance_km is not None else 1e9,
            result.name.lower(), result.key)


def _prefix_place(idea, places):
    """A document idea that begins with the searched one or is its beginning, both at least
    five letters ("convoy" for "convoyeur"): the best such place, or None."""
    if len(idea) < 5 or " " in idea:
        return None
    found = None
    for other, place in places.items():
        shorter = min(len(idea), len(other))
        prefix = other.startswith(idea) or idea.startswith(other)
        if shorter >= 5 and " " not in other and prefix and (found is None
                                                             or place[0] > found[0]):
            found = place
    return found
