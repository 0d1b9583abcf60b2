"""The supplier finder: needs in French and English, with accents, typos and trade synonyms,
find the member who does it first, and say why (issue #18, relevance tests)."""

import pytest

from alliage.showcase import finder, selectors, stats
from alliage.showcase.models import SupplierSearch
from tests.conftest import text

CASES = [
    ("usinage CNC d'aluminium", "precision-acme"),
    ("machining aluminum parts", "precision-acme"),
    ("USINAGE", "precision-acme"),
    ("usinnage cnc", "precision-acme"),                 # typo
    ("palettes de bois", "palettes-boreal"),
    ("wooden pallets", "palettes-boreal"),
    ("paletes", "palettes-boreal"),                     # typo
    ("réparation de convoyeurs", "convoyeurs-valin"),
    ("reparation convoyeur", "convoyeurs-valin"),       # no accent, singular
    ("conveyor repair", "convoyeurs-valin"),
    ("welding of stainless tanks", "inox-harvey"),
    ("soudure inox", "inox-harvey"),
    ("réservoir en acier inoxydable", "inox-harvey"),
    ("fromage en grains", "fromagerie-peribonka"),
    ("cheese", "fromagerie-peribonka"),
]


@pytest.mark.parametrize(("need", "expected"), CASES)
def test_each_need_finds_its_supplier_first(region, need, expected):
    rows, _corrected = selectors.find_suppliers(need)
    assert rows, need
    assert rows[0]["organisation"].slug == expected, [r["organisation"].slug for r in rows]


def test_a_result_says_why_it_matched(region):
    rows, _ = selectors.find_suppliers("welding of stainless tanks")
    reasons = dict(rows[0]["reasons"])
    assert reasons["Savoir-faire"] == "soudure"
    assert reasons["Produit"] == "Réservoirs en acier inoxydable"
    assert rows[0]["covered"] == rows[0]["wanted"] == 3


def test_a_typo_is_corrected_and_shown(region, client):
    response = client.get("/vitrine/fournisseurs/", {"q": "paletes"})
    assert "palet" in text(response) and "Palettes Boréal" in text(response)
    _rows, corrected = selectors.find_suppliers("paletes")
    assert corrected == {"palet": "palett"}


def test_distance_from_the_buyer_is_given_and_filters(region):
    from alliage.core.models import Municipality

    alma = Municipality.objects.get(slug="alma")
    origin = (float(alma.latitude), float(alma.longitude))
    rows, _ = selectors.find_suppliers("fromage", origin=origin)
    assert rows[0]["distance_km"] < 5
    far, _ = selectors.find_suppliers("palettes", origin=origin, within_km=25)
    assert far == []                       # Saint-Félicien is farther than 25 km from Alma


def test_a_scian_code_finds_its_sector(region):
    rows, _ = selectors.find_suppliers("321")
    assert [r["organisation"].slug for r in rows] == ["palettes-boreal"]


def test_non_members_and_hidden_companies_are_never_offered(region, cast):
    cast.prospect.tags.set([region.pallets.tags.first()])
    cast.prospect.save()
    region.conveyors.is_listed = False
    region.conveyors.save()
    slugs = [r["organisation"].slug for r in selectors.find_suppliers("palettes")[0]]
    assert "prospect-transport" not in slugs
    assert selectors.find_suppliers("convoyeurs")[0] == []


def test_an_unpublished_product_is_not_searched(region):
    for item in region.dairy.products.all():
        item.is_published = False
        item.save()
    rows, _ = selectors.find_suppliers("fromage en grains")
    assert all(kind != "Produit" for row in rows for kind, _text in row["reasons"])
    assert rows[0]["covered"] == 1              # "fromage" by its capability only


def test_the_index_follows_a_new_product(region):
    from tests.showcase.conftest import product

    assert selectors.find_suppliers("gin")[0] == []
    product(region.dairy, "Gin boréal")
    assert selectors.find_suppliers("gin")[0][0]["organisation"] == region.dairy


def test_searches_without_results_are_kept_for_the_association(region, client):
    client.get("/vitrine/fournisseurs/", {"q": "Dentisterie équine"})
    client.get("/vitrine/fournisseurs/", {"q": "dentisterie EQUINE"})
    client.get("/vitrine/fournisseurs/", {"q": "palettes"})
    assert SupplierSearch.objects.count() == 3
    from django.utils import timezone

    figures = stats.yearly(timezone.localdate().year)
    assert figures["searches"] == 3
    assert figures["searches_without_results"] == 2
    [unmet] = figures["unmet_needs"]
    assert unmet["count"] == 2                  # one need, however it was typed
    assert unmet["need"] in ("Dentisterie équine", "dentisterie EQUINE")


def test_the_engine_alone_ranks_by_coverage_then_score_then_distance():
    docs = [finder.Document(1, "B far", (49.0, -72.0), [("capability", "soudure")]),
            finder.Document(2, "A near", (48.43, -71.07), [("capability", "soudure")]),
            finder.Document(3, "C both", None, [("capability", "soudure"),
                                                ("product", "réservoir")])]
    results, _ = finder.Index(docs).search("soudure réservoir", origin=(48.42, -71.06))
    assert [r.key for r in results] == [3, 2, 1]


def test_bad_input_is_a_form_error_not_a_500(region, client):
    assert client.get("/vitrine/fournisseurs/", {"q": "x" * 500}).status_code == 200
    assert client.get("/vitrine/fournisseurs/", {"q": "a\x00b"}).status_code in (200, 400)
    assert client.get("/vitrine/fournisseurs/", {"q": "palettes", "within": "abc",
                                                 "place": "nowhere"}).status_code == 200
