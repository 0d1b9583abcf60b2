"""The scalar reference score of one (offer, need) pair (the naive scorer uses it; the fast
path in `search` must equal it).

Every score is `hazard × (0.55·material + 0.15·quantity + 0.30·distance)`, each part in [0, 1]:
- material joins both sides of the evidence, so that neither alone decides:
  `material = 1 − (1 − 0.85·K)(1 − 0.9·min(1, L / 0.3))`
  - K, knowledge: the taxonomy relation (1.0 same LoW or utility entry, 0.8 same
    sub-chapter — times `GUESSED` when either code was guessed from the description rather
    than declared: a need's guessed code is the classifier's reading of a request, weaker
    evidence than a member's code —, or the strength of a cited valorisation pathway from
    the offer's material to a use the need names), times the physical facts of utilities
    (`utilities.factor`: steam grade, temperature, water class), times 0.6 when the need
    names another material and the texts share next to nothing (a pathway whose need asks
    for something else is demoted);
  - L, literal: 0.6·character 4-gram TF-IDF cosine + 0.4·rare-stem cosine of the
    descriptions (`literal`); a need that names the offer's material in nearly the same
    words scores high without any pathway (L counts fully from `L_FULL` = 0.3: on the
    evaluation sets fewer than 1 % of unrelated pairs reach 0.15);
  a pair is a candidate when K > 0 or the need writes one of the offer's rare stems
  (one its own code's words do not hold: those are the taxonomy's evidence); others are not
  scored here (`search.fill` proposes them last, as low-confidence candidates);
- quantity: the share of the need the offer covers (0.5 when unknown, 0.25 across dimensions);
- distance: haversine km against the need's (and offer's) maximum distance, which is a hard
  limit (1 − km / limit; 500 km scale without a limit; 0.5 when a place is unknown); heat
  and water flows carry their own pipe reach (`utilities.REACH_KM`);
  (a party whose place is secret is scored from `coarse_point`, the centre of its ~25 km
  grid cell: callers pass that point instead of the real one);
- timing: availability windows that do not overlap exclude the pair;
- hazard: a hazardous offer to a need that does not accept hazardous material × 0.85.
Scores are rounded to 4 decimals.
"""

import math

import numpy as np

from alliage.matching import utilities
from alliage.matching.literal import literal_score
from alliage.matching.streams import INF

EARTH_KM = 6371.0088
DEFAULT_SCALE_KM = 500.0
W_MATERIAL, W_QUANTITY, W_DISTANCE = 0.55, 0.15, 0.30
SAME_ENTRY, SAME_SUBCHAPTER = 1.0, 0.8
GUESSED = 0.7             # a code relation when either code was guessed from the text
HAZARD_FACTOR = 0.85
K_WEIGHT, L_WEIGHT, L_FULL = 0.85, 0.9, 0.3
ELSEWHERE, ELSEWHERE_BELOW = 0.6, 0.1      # demotion of a need asking for another material


def relation(o, n):
    """(strength, reason) of the material relation between an offer and a need."""
    guessed = GUESSED if o.inferred or n.inferred else 1.0
    best = (0.0, None)
    if o.primary and o.primary == n.primary:
        best = (SAME_ENTRY * guessed, ("same_entry", o.primary))
    else:
        shared = [s for s in o.subchapters if s in n.subchapters]
        if shared:
            best = (SAME_SUBCHAPTER * guessed, ("same_subchapter", shared[0]))
    for use in n.uses:
        pathway = o.feeds.get(use)
        if pathway and pathway.strength > best[0]:
            best = (pathway.strength, ("pathway", pathway))
    return best


def _q(x, scale):
    """Quantise (both paths do it the same way, so last-bit differences do not matter)."""
    return math.floor(x * scale + 0.5) / scale



def haversine_km(o, n):
    """Great-circle distance to the metre: the haversine formula written with the chord
    between unit vectors (sin²(Δσ/2) = chord² / 4), one arcsine per pair."""
    dx, dy, dz = n.xyz[0] - o.xyz[0], n.xyz[1] - o.xyz[1], n.xyz[2] - o.xyz[2]
    half = math.sqrt(dx * dx + dy * dy + dz * dz) / 2
    return _q(2 * EARTH_KM * math.asin(min(half, 1.0)), 1000.0)


COARSE_CELL_KM = 25.0


def coarse_point(lat, lon, cell_km=COARSE_CELL_KM):
    """The centre of the grid cell, about `cell_km` on each side, that holds (lat, lon).

    A hidden party scored from this point gives back no more than its cell, whatever the
    other side's limit and place (every point of a cell is scored the same). Rows are
    `cell_km` of latitude; each row is cut into cells `cell_km` wide at its middle."""
    step = math.degrees(cell_km / EARTH_KM)
    row = math.floor((lat + 90.0) / step)
    centre_lat = min(-90.0 + (row + 0.5) * step, 90.0)
    width = min(360.0, step / max(math.cos(math.radians(centre_lat)), 1e-9))
    column = math.floor((lon + 180.0) / width)
    centre_lon = -180.0 + (column + 0.5) * width
    if centre_lon > 180.0:
        centre_lon -= 360.0
    return round(centre_lat, 6), round(centre_lon, 6)


def _cosine(a, b):
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(w * large[t] for t, w in small.items() if t in large)


def text_similarity(o, n):
    """Literal evidence L in [0, 1] (see the module's docstring), to the millionth."""
    return _q(literal_score(_cosine(o.grams, n.grams), _cosine(o.tokens, n.tokens)), 1e6)


def material(k, lit):
    """Knowledge and literal evidence joined (either may be a numpy array)."""
    return 1.0 - (1.0 - K_WEIGHT * k) * (1.0 - L_WEIGHT * np.minimum(lit / L_FULL, 1.0))


def asks_elsewhere(o, n):
    """The need confidently names a material the offer's sub-chapters do not hold."""
    return n.named_sub is not None and n.named_sub not in o.subchapters


def knowledge(o, n, r, lit):
    """K: the relation, scaled by the utilities' physical facts and the demotion."""
    k = r * utilities.factor(o, n)
    if lit < ELSEWHERE_BELOW and asks_elsewhere(o, n):
        k *= ELSEWHERE
    return k


def candidate(o, n, r):
    """A relation, or a rare word of the offer that the need writes (and its own code does
    not already hold)."""
    return r > 0 or not o.rare.isdisjoint(n.unexplained)


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
    if not candidate(o, n, r) or o.end < n.start or n.end < o.start:
        return None
    if o.located and n.located:
        km = haversine_km(o, n)
        limit = min(o.max_km, n.max_km)
        if km > limit:
            return None
        d = max(0.0, 1.0 - km / (limit if limit < INF else DEFAULT_SCALE_KM))
    else:
        d = 0.5
    lit = text_similarity(o, n)
    m = float(material(knowledge(o, n, r, lit), lit))
    s = W_MATERIAL * m + W_QUANTITY * quantity_fit(o, n) + W_DISTANCE * d
    if o.hazardous and not n.accepts_hazardous:
        s *= HAZARD_FACTOR
    return _q(s, 10_000.0)
