"""The supplier finder on PostgreSQL ranks with PostgreSQL's own full-text search (French and
English stemming without accents, trigram typo correction); SQLite ranks with its FTS5
(tests/showcase/test_fts5.py). Both are held to the same relevance cases (decision 0011)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliage.members.models import MemberStatus, Organisation, Tag
from alliage.showcase import fulltext, selectors
from alliage.showcase.models import FinderDocument, FinderState, FinderText
from tests.showcase.test_finder import CASES

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="PostgreSQL full-text search")


def slugs(need, **kwargs):
    return [r["organisation"].slug for r in selectors.find_suppliers(need, **kwargs)[0]]


@on_postgresql
def test_postgresql_answers_with_its_full_text_search(region):
    with CaptureQueriesContext(connection) as queries:
        assert slugs("soudure inox")[0] == "inox-harvey"
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "@@" in sql and "phraseto_tsquery('alliage_fr'" in sql
    listed = Organisation.objects.for_directory().count()
    assert FinderDocument.objects.count() == FinderState.objects.get().documents == listed
    assert not FinderText.objects.filter(vector__isnull=True).exists()


@on_postgresql
def test_the_configurations_stem_french_and_english_without_accents(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('alliage_fr', 'Réparations ÉLECTRIQUES'), "
                       "to_tsvector('alliage_en', 'Welding tanks')")
        french, english = cursor.fetchone()
    assert french == "'electr':2 'repar':1"
    assert english == "'tank':2 'weld':1"


@on_postgresql
@pytest.mark.parametrize(("need", "expected"), CASES)
def test_full_text_and_the_python_index_agree_on_the_first_supplier(region, need, expected):
    fulltext.ensure(selectors.finder_fingerprint(), selectors.finder_documents)
    engine_rows, _ = fulltext.Engine().search(need)
    python_rows, _ = selectors.finder_index().search(need)
    assert engine_rows[0].key == python_rows[0].key
    assert Organisation.objects.get(pk=engine_rows[0].key).slug == expected


@on_postgresql
def test_french_stemming_finds_what_the_light_stemmer_misses(region):
    """"réparateur" is no synonym and the platform's light stemmer keeps it apart from
    "réparation"; PostgreSQL's French stemmer reads both as "repar"."""
    [row, *_] = selectors.find_suppliers("réparateur de moteurs")[0]
    assert row["organisation"].slug == "convoyeurs-valin"
    assert row["covered"] == row["wanted"] == 2
    assert ("Savoir-faire", "réparation de moteurs") in row["reasons"]
    python = selectors.finder_index().search("réparateur de moteurs")[0]
    assert python[0].covered == 1                   # the fallback finds "moteur" only


@on_postgresql
def test_a_typo_is_corrected_by_trigrams_in_the_database(region):
    rows, corrected = selectors.find_suppliers("paletes")
    assert corrected == {"palet": "palett"}
    assert rows[0]["organisation"].slug == "palettes-boreal"
    _rows, corrected = selectors.find_suppliers("usinnage")
    assert corrected == {"usinnag": "usinag"}


def test_the_stored_index_follows_the_directory(region):
    """A capability added, a company that stops being a member: the next search knows it
    (on PostgreSQL the stored index is rebuilt; on SQLite the Python index)."""
    assert "convoyeurs-valin" not in slugs("hydraulique")
    region.conveyors.tags.add(Tag.objects.create(name="hydraulique", slug="hydraulique"))
    assert slugs("hydraulique") == ["convoyeurs-valin"]
    # A status written by an update (no signal, no updated_at) still changes the fingerprint.
    Organisation.objects.filter(pk=region.conveyors.pk).update(member_status=MemberStatus.NONE)
    assert slugs("hydraulique") == []


def test_a_search_without_any_word_finds_nothing_and_never_fails(region):
    for need in ("", "   ", "de la", "'", "!!!", "é" * 300):
        assert selectors.find_suppliers(need)[0] == []


@on_postgresql
def test_two_rebuilds_at_once_leave_one_index(region):
    """The state row is locked while the index is rebuilt: a second caller with the same
    fingerprint finds it built and does nothing."""
    fingerprint = selectors.finder_fingerprint()
    assert fulltext.ensure(fingerprint, selectors.finder_documents) is True
    assert fulltext.ensure(fingerprint, selectors.finder_documents) is False
    assert FinderDocument.objects.count() == Organisation.objects.for_directory().count()
