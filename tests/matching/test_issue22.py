"""Issue #22: literal evidence with the taxonomy, utilities, recall first, code suggestions a
member can trust, evaluation sets against a plain TF-IDF baseline."""

import json
import re
import subprocess
import sys

import pytest

from alliage.matching.classify import suggest, suggestions
from alliage.matching.engine import Matcher, Stream, prepare, rank, rank_naive, score_pair
from alliage.matching.evaluation import (
    SET_NAMES,
    evaluate_all,
    evaluate_classifier,
    is_energy_or_water,
    load,
    sets,
)
from alliage.matching.literal import plain_baseline


def _rank(offers, needs, top=5):
    return rank([Stream(id=i, description=d) for i, d in offers],
                [Stream(id=i, description=d) for i, d in needs], top=top)


def test_a_need_naming_the_material_ranks_first_without_any_pathway():
    # "Nous achetons …" names the offer's material in nearly the same words; the other
    # need fits a pathway of the material's sub-chapter but asks for something else.
    found = _rank([("o", "Granulés de caoutchouc EPDM noir, chutes de joints d'étanchéité")],
                  [("other", "Cimenterie cherche un combustible de substitution"),
                   ("same", "Nous achetons des chutes de joints en caoutchouc EPDM")])
    assert found["o"][0]["need"] == "same"
    assert any("mêmes mots" in r for r in found["o"][0]["reasons"])


def test_a_pathway_whose_need_asks_for_another_material_is_demoted():
    offer = prepare(Stream(id="o", description="Écorces de nos lignes d'écorçage"))
    fuel = prepare(Stream(id="n1", description="Chaufferie cherche du combustible"))
    # Names wood ash by its trade phrase: the fuel pathway alone no longer carries it.
    other = prepare(Stream(id="n2", description="Centrale cherche des cendres de bois comme "
                                                "combustible"))
    assert other.named_sub == "1001"
    assert score_pair(offer, fuel) > score_pair(offer, other)
    reasons = rank([Stream(id="o", description="Écorces de nos lignes d'écorçage")],
                   [Stream(id="n2", description="Centrale cherche des cendres de bois comme "
                                                "combustible")])["o"][0]["reasons"]
    assert "le besoin semble demander une autre matière" in reasons


def test_top_k_is_filled_with_low_confidence_candidates_within_reach():
    offers = [Stream(id="o", description="xyzzy plugh", lat=46.8, lon=-71.2)]
    needs = [Stream(id=f"n{i}", description=f"besoin {i}", lat=46.8 + i / 100, lon=-71.2)
             for i in range(4)] + [
        Stream(id="far", description="autre", lat=49.0, lon=-68.0, max_distance_km=50)]
    found = rank(offers, needs, top=5)["o"]
    # Four needs within reach: all four, nearest first; the one beyond its limit is not.
    assert [m["need"] for m in found] == ["n0", "n1", "n2", "n3"]
    assert {m["confidence"] for m in found} == {"low"}
    assert "faible confiance" in found[0]["reasons"][0]


def test_hard_limits_still_exclude():
    offers = [Stream(id="o", description="bran de scie", lat=46.8, lon=-71.2)]
    needs = [Stream(id="n", description="litière pour poulaillers", lat=48.8, lon=-71.2,
                    max_distance_km=50)]
    assert rank(offers, needs)["o"] == []


def test_steam_need_is_not_met_by_warm_water():
    steam = prepare(Stream(id="n", description="Usine cherche de la vapeur à 120 °C"))
    water = prepare(Stream(id="o1", description="Eau de refroidissement tiède à 40 °C"))
    surplus = prepare(Stream(id="o2", description="Vapeur basse pression excédentaire 150 °C"))
    assert score_pair(surplus, steam) > score_pair(water, steam)
    found = rank([Stream(id="o1", description="Eau de refroidissement tiède à 40 °C")],
                 [Stream(id="n", description="Usine cherche de la vapeur à 120 °C")])["o1"]
    assert any("température insuffisante" in r or "besoin de vapeur" in r
               for r in found[0]["reasons"])


def test_heat_travels_a_few_km_not_100():
    offer = Stream(id="o", description="chaleur fatale de nos fours", lat=46.0, lon=-72.0)
    near = Stream(id="near", description="serre cherche du chauffage", lat=46.05, lon=-72.0)
    far = Stream(id="far", description="serre cherche du chauffage", lat=46.9, lon=-72.0)
    found = [m["need"] for m in rank([offer], [near, far])["o"]
             if m["confidence"] != "low"]
    assert found == ["near"]


@pytest.mark.parametrize("text,code", [
    ("vapeur basse pression", "R1 01 02"), ("eau de refroidissement tiède", "R1 01 01"),
    ("gaz de torche", "R1 02 01"), ("condensats", "R1 01 02"),
    ("chaleur fatale", "R1 01 01"), ("rejets thermiques", "R1 01 01"),
    ("treated wastewater", "R2 01 02"), ("compressed air", "R3 01 02")])
def test_the_classifier_knows_utility_trade_words(text, code):
    assert suggest(text, 1)[0].display == code


def test_negated_oil_is_not_an_oily_waste_and_hazardous_is_never_first_silently():
    first = suggestions("copeaux d'aluminium secs, sans huile de coupe", 5)
    assert first[0]["code"] == "12 01 03" and not first[0]["hazardous"]
    assert first[0]["label"] == "limaille et chutes de métaux non ferreux"
    assert any("niés" in w for w in first[0]["why"])
    oily = suggestions("huile de coupe usée", 3, lang="en")
    assert oily[0]["hazardous"] and "mentions" in oily[0]["why"][-1]


@pytest.mark.parametrize("text,code", [
    ("Steam from our smelter's waste heat boilers, available continuously", "R1 01 02"),
    ("Heat from our municipal waste incinerator that the turbine cannot use", "R1 01 01"),
    ("Vapeur produite par les chaudières de notre incinérateur municipal", "R1 01 02"),
])
def test_what_is_offered_counts_more_than_the_plant_it_comes_from(text, code):
    # The words after "from our", "de nos"… describe the source plant, not the stream.
    assert suggest(text, 1)[0].display == code


def test_classifier_test_set_meets_its_goals():
    r = evaluate_classifier()
    assert r["cases"] >= 80
    assert r["hazardous_first"] == []
    assert r["top1"] >= 0.8
    assert r["top3"] >= 0.95


# Regression floors measured on the grown set (107 cases); the goal, recall@5 >= 90 %
# on each outside set, is judged by the benchmark (`checks`) and is not met yet.
FLOORS = {"materials": 0.75, "utilities": 0.45}


def test_every_evaluation_set_beats_the_plain_tfidf_baseline():
    results = evaluate_all()
    assert set(results) == set(SET_NAMES)
    for name, r in results.items():
        assert r["beats_baseline"], (name, r)
        assert r["recall_at_5"] >= FLOORS[name], (name, r["missed"])
    assert results["materials"]["chapter_top1"] >= 0.85
    assert results["utilities"]["chapter_top1"] >= 0.8


def test_the_evaluation_set_holds_100_documented_synergies_25_of_them_energy_or_water():
    cases = load()
    assert len(cases) >= 100
    assert sum(map(is_energy_or_water, cases)) >= 25
    assert len({c["id"] for c in cases}) == len(cases)
    code = re.compile(r"\b\d{2} ?\d{2} ?\d{2}\b|\bR\d\b")
    for c in cases:
        assert c["source"].strip() and c["lang"] in ("fr", "en"), c["id"]
        assert not code.search(c["offer"] + " " + c["need"]), c["id"]   # written without codes
    assert sum(map(len, sets(cases).values())) == len(cases)


def test_the_baseline_is_plain_tfidf():
    # Identical texts first; the baseline knows nothing else.
    assert plain_baseline(["sawdust"], ["wood pellets", "sawdust"], 1) == [[1]]


def test_fast_path_equals_naive_with_utilities_and_literal_candidates():
    texts = ["vapeur basse pression 150 °C", "eau de refroidissement tiède 35 °C",
             "Usine cherche de la vapeur à 120 °C", "serre cherche du chauffage",
             "joints EPDM", "nous achetons des joints EPDM", "eau potable demandée",
             "eaux usées traitées", "gaz de torche", "chaudière au gaz naturel"]
    streams = [Stream(id=f"s{i}", description=texts[i % len(texts)],
                      lat=46 + (i % 7) / 50, lon=-71 - (i % 5) / 50) for i in range(60)]
    offers, needs = [prepare(s) for s in streams[::2]], [prepare(s) for s in streams[1::2]]
    found, _ = Matcher(needs).rank(offers, 5)
    naive = rank_naive(offers, needs, 5)
    for i, o in enumerate(offers):
        assert naive[o.id] == found.get(i, [])


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "alliage.matching", *args],
                          capture_output=True, text=True, check=False)


def test_classify_cli_contract():
    done = _cli("classify", "copeaux d'aluminium secs, sans huile de coupe", "--top", "3",
                "--lang", "fr")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) == {"suggestions"} and len(out["suggestions"]) <= 3
    first = out["suggestions"][0]
    assert set(first) == {"code", "label", "hazardous", "score", "why"}
    assert first["code"] == "12 01 03" and 0 <= first["score"] <= 1
    for bad in (["classify", "", "--top", "3"], ["classify", "x", "--top", "0"],
                ["classify", "x", "--lang", "de"]):
        done = _cli(*bad)
        assert done.returncode == 2 and done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1


def test_a_need_is_classified_by_what_it_asks_not_by_who_asks():
    # The buyer ("Paper mill", "Papetière") and the purpose ("for its paper machine
    # dryers") weigh less than the asked material: steam, not paper-mill sludge.
    for text in ("Paper mill would buy steam for its paper machine dryers",
                 "Papetière voisine achèterait de la vapeur pour ses sécheuses à papier"):
        assert suggest(text, 1)[0].code == "R10102", text
    # An offer is read as before: "récupéré", "collected" are not a buyer's verbs.
    assert suggest("Laitier d'aciérie refroidi à l'air", 1)[0].code == "100201"


def test_a_guessed_code_is_weaker_evidence_than_a_declared_one():
    def pair(code):
        return (prepare(Stream(id="o", description="Drêche de brasserie humide", code=code)),
                prepare(Stream(id="n", description="Ferme cherche de la drêche de brasserie",
                               code=code)))

    declared, guessed = pair("02 07 04"), pair(None)
    # The same entry on both sides, declared by the members or guessed from their words.
    assert guessed[0].inferred and guessed[1].inferred
    assert guessed[0].primary == guessed[1].primary == declared[0].primary
    assert score_pair(*declared) > score_pair(*guessed)


def test_a_need_asking_for_the_material_by_name_outranks_a_pathway_without_shared_words():
    # A cited pathway (animal feed) fits the first need; the second names the offer's
    # material after its verb ("reprend les marcs et les lies").
    found = _rank([("o", "Marcs de raisin et lies de vin de notre cave après les vendanges")],
                  [("feed", "Éleveur de porcs cherche des aliments pour ses porcs"),
                   ("words", "Distillerie vinicole reprend les marcs et les lies de vin")])
    assert [m["need"] for m in found["o"]] == ["words", "feed"]


def test_low_confidence_candidates_come_by_shared_words_before_input_order():
    # No relation and no rare word in common: the need that writes part of the offer's
    # words is proposed first, still as low confidence, the unrelated one after it.
    found = _rank([("o", "zorglub frambulateur")],
                  [("none", "abracadabra"), ("part", "frambulation zorg")], top=2)["o"]
    assert [m["need"] for m in found] == ["part", "none"]
    assert {m["confidence"] for m in found} == {"low"}
    assert found[0]["score"] > found[1]["score"]
