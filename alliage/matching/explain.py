"""A pair's reasons in words (French or English), from the same parts as its score: which
evidence counted (the taxonomy, the words the texts share, the physical facts), and the
pair's confidence."""

from functools import lru_cache

from alliage.matching import utilities
from alliage.matching.scoring import (
    ELSEWHERE_BELOW,
    asks_elsewhere,
    haversine_km,
    quantity_fit,
    relation,
    text_similarity,
)
from alliage.matching.streams import INF
from alliage.matching.taxonomy import display, taxonomy
from alliage.matching.text import stem

HIGH, MEDIUM = 0.6, 0.4


def confidence(score, fallback=False):
    """"high", "medium" or "low" (a candidate without shared evidence is always low)."""
    if fallback or score < MEDIUM:
        return "low"
    return "high" if score >= HIGH else "medium"


def shared_words(o, n, limit=4):
    """The need's words whose stems are among the rare stems both texts hold."""
    from alliage.matching.literal import _WORD, clean

    shared = o.rare & n.rare
    out = []
    for word in _WORD.findall(clean(n.text)):
        if stem(word) in shared and word not in out:
            out.append(word)
    return out[:limit]


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


def explain(o, n, lang="fr", fallback=False):
    """The pair's reasons, in words; `fallback`: a low-confidence candidate proposed only
    because it is within reach (`search.fill`)."""
    fr = lang == "fr"
    _r, found = relation(o, n)
    kind, what = found or (None, None)
    if kind == "pathway":
        reasons = [_relation_text(kind, what.use, what.citation("fr" if fr else "en"), lang)]
    else:
        reasons = [_relation_text(kind, what, "", lang)] if kind else []
    if o.inferred or n.inferred:
        reasons.append("code déduit de la description" if fr else
                       "code inferred from the description")
    t = text_similarity(o, n)
    words = shared_words(o, n)
    if words:
        quoted = ", ".join(f"« {w} »" if fr else f'"{w}"' for w in words)
        reasons.append(f"le besoin emploie les mêmes mots : {quoted}" if fr else
                       f"the need uses the same words: {quoted}")
    if t >= 0.3:
        reasons.append(f"descriptions semblables ({round(t * 100)} %)" if fr else
                       f"similar descriptions ({round(t * 100)}%)")
    if fallback:
        reasons.append("faible confiance : ni voie de valorisation ni mot rare en commun, "
                       "proposé parce qu'il est à portée (les plus proches par les mots "
                       "d'abord)" if fr else "low confidence: no valorisation pathway and no "
                       "rare word in common, proposed because it is within reach (closest "
                       "words first)")
    elif not kind:
        reasons.append("aucune voie de valorisation connue : rapprochement par les mots "
                       "seulement" if fr else "no known valorisation pathway: matched on "
                       "the words only")
    reasons.extend(utilities.shortfalls(o, n, lang))
    if kind and t < ELSEWHERE_BELOW and asks_elsewhere(o, n):
        reasons.append("le besoin semble demander une autre matière" if fr else
                       "the need seems to ask for another material")
    if o.located and n.located:
        km = haversine_km(o, n)
        text = f"{km:.0f} km"
        limit = min(o.max_km, n.max_km)
        if limit < INF:
            text += (f" (maximum {limit:.0f} km)" if fr else f" (limit {limit:.0f} km)")
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
