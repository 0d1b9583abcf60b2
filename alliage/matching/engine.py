"""The engine's public names in one place (callers import from here).

Score (offer, need) pairs with their reasons; rank the top K needs of every offer:
- `streams`: `Stream` (checked input, `BadStream`), `prepare` → `Prepared`;
- `scoring`: the scalar reference `score_pair` and its parts (the formula is there);
- `explain`: a pair's reasons in words;
- `search`: `Matcher`, the blocked and vectorised top K equal to `rank_naive`; `rank`;
- `literal`: what the texts say alike; `utilities`: energy and water flows' physical facts;
- `recall`: low-confidence needs within reach when an offer has fewer than K candidates.
Ties go to the need listed first.
"""

from alliage.matching.explain import explain
from alliage.matching.scoring import coarse_point, haversine_km, score_pair, text_similarity
from alliage.matching.search import Matcher, rank, rank_naive
from alliage.matching.streams import BadStream, Prepared, Stream, prepare

__all__ = ["BadStream", "Matcher", "Prepared", "Stream", "coarse_point", "explain",
           "haversine_km", "prepare", "rank", "rank_naive", "score_pair", "text_similarity"]
