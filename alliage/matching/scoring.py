"""The scalar reference score of one (offer, need) pair (the naive scorer uses it; the fast
path in `search` must equal it).

Every score is `hazard × (0.55·material + 0.15·quantity + 0.30·distance)`, each part in [0, 1]:
- material = 0.75·relation + 0.25·text, where relation is 1.0 for the same LoW entry, 0.8
  for the same sub-chapter, or the strength of a cited valorisation pathway from the offer's
  material to a use the need names; a pair with no relation is not a match;
- quantity: the share of the need the offer covers (0.5 when unknown, 0.25 across dimensions);
- distance: haversine km against the need's (and offer's) maximum distance, which is a hard
  limit (1 − km / limit; 500 km scale without a limit; 0.5 when a place is unknown);
  (a party whose place is secret is scored from `coarse_point`, the centre of its ~25 km
  grid cell: callers pass that point instead of the real one);
- timing: availability windows that do not overlap exclude the pair;
- hazard: a hazardous offer to a need that does not accept hazardous material × 0.85.
Scores are rounded to 4 decimals.
"""

import math

from alliage.matching.streams import INF

EARTH_KM = 6371.0088
DEFAULT_SCALE_KM = 500.0
W_MATERIAL, W_QUANTITY, W_DISTANCE = 0.55, 0.15, 0.30
SAME_ENTRY, SAME_SUBCHAPTER = 1.0, 0.8
HAZARD_FACTOR = 0.85


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
