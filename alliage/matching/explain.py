"""A pair's reasons in words (French or English), from the same parts as its score."""

from functools import lru_cache

from alliage.matching.scoring import haversine_km, quantity_fit, relation, text_similarity
from alliage.matching.streams import INF
from alliage.matching.taxonomy import display, taxonomy


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
        reasons = [_relation_text(kind, what.use, what.citation("fr" if fr else "en"), lang)]
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
