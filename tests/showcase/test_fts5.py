"""The supplier finder on SQLite ranks with SQLite's own full-text search (FTS5, migration
0003), held to the same relevance cases as PostgreSQL's and the Python index (decision 0011)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliage.members.models import Organisation, Tag
from alliage.showcase import embedded, selectors
from alliage.showcase.models import FinderDocument, FinderState, FinderText
from tests.showcase.test_finder import CASES

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5")


def slugs(need, **kwargs):
    return [r["organisation"].slug for r in selectors.find_suppliers(need, **kwargs)[0]]


@on_sqlite
def test_sqlite_answers_with_its_fts5_table(region):
    with CaptureQueriesContext(connection) as queries:
        assert slugs("soudure inox")[0] == "inox-harvey"
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "showcase_finder_fts MATCH" in sql
    listed = Organisation.objects.for_directory().count()
    assert FinderDocument.objects.count() == FinderState.objects.get().documents == listed
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM showcase_finder_fts")
        assert cursor.fetchone()[0] == FinderText.objects.count() > 0


@on_sqlite
@pytest.mark.parametrize(("need", "expected"), CASES)
def test_fts5_and_the_python_index_agree_on_the_first_supplier(region, need, expected):
    fingerprint = selectors.finder_fingerprint()
    embedded.ensure(fingerprint, selectors.finder_documents)
    engine_rows, _ = embedded.Engine(fingerprint).search(need)
    python_rows, _ = selectors.finder_index().search(need)
    assert engine_rows[0].key == python_rows[0].key
    assert Organisation.objects.get(pk=engine_rows[0].key).slug == expected


@on_sqlite
def test_the_stored_index_follows_the_directory(region):
    assert "inox-harvey" in slugs("soudure inox")
    harvey = Organisation.objects.get(slug="inox-harvey")
    harvey.tags.add(Tag.objects.create(name="Découpe au jet d'eau", slug="jet-d-eau"))
    assert slugs("découpe jet d'eau")[0] == "inox-harvey"
    Organisation.objects.filter(pk=harvey.pk).update(is_listed=False)
    assert "inox-harvey" not in slugs("soudure inox")


@on_sqlite
@pytest.mark.parametrize("need", ['"soudure" OR', "NEAR(inox", "*", "soudure AND -inox",
                                  "🙂 ^^ {col}:x", "'; DROP TABLE x; --"])
def test_fts5_operators_in_a_need_are_plain_words(region, need):
    rows, _corrected = selectors.find_suppliers(need)
    assert isinstance(rows, list)
