"""Each valorisation pathway's citation has a French form, shown in French reasons
(issue #14, item 17); English readers keep the original citation."""

from alliage.matching.explain import _relation_text
from alliage.matching.taxonomy import taxonomy

ENGLISH_ONLY = (" to ", " as ", "residues", "recycled", "case studies", "Sawmill", "sludge")


def test_every_pathway_has_a_french_citation():
    pathways = taxonomy().pathways
    assert pathways
    for p in pathways:
        assert p.source_fr, p
        assert not any(word in p.source_fr for word in ENGLISH_ONLY), p.source_fr


def test_french_reasons_cite_the_french_form_and_english_the_original():
    wood = next(p for p in taxonomy().pathways if p.source.startswith("Kalundborg Symbiosis "
                                                                      "(symbiosis.dk)"))
    fr = _relation_text("pathway", wood.use, wood.citation("fr"), "fr")
    en = _relation_text("pathway", wood.use, wood.citation("en"), "en")
    assert "résidus de bois vers la centrale à biomasse" in fr and "wood residues" not in fr
    assert fr.startswith("voie de valorisation : ")
    assert "wood residues to Ørsted's Asnæs biomass plant" in en
