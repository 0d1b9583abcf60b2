"""The supplier finder on SQLite: SQLite's own full-text search (FTS5) finds the texts, as
PostgreSQL's does in ``fulltext`` (decision 0011).

The stored index is the same as PostgreSQL's (``FinderDocument``, ``FinderText``,
``FinderWord``, rebuilt under the ``FinderState`` fingerprint) plus an FTS5 table
``showcase_finder_fts`` (migration 0003, SQLite only) holding each text's platform stems,
its rowid the text's id. A need is read by the same platform code (``finder.read_need``:
accents, FR/EN trade synonyms, typos corrected over the stored vocabulary); each idea
becomes one FTS5 query (its terms as phrases, a word of five letters or more also as a
prefix: "convoy" finds "convoyeur"), and each supplier scores, per idea it covers, the weight
of its best kind of text times the idea's rarity — the same ranking as PostgreSQL's.
"""

from __future__ import annotations

import math

from django.db import connection

from alliage.matching.text import Corrector
from alliage.showcase import finder, fulltext
from alliage.showcase.models import FinderDocument, FinderState, FinderText, FinderWord

TABLE = "showcase_finder_fts"
CODE_PREFIX = fulltext.CODE_PREFIX
_correctors = {}


def ensure(fingerprint, documents):
    """Rebuild the stored index from ``documents()`` unless it was built from ``fingerprint``
    (the same lock and fingerprint as PostgreSQL's, ``fulltext.ensure``)."""
    return fulltext.ensure(fingerprint, documents, rebuild=_rebuild)


def _rebuild(documents):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 (a constant table name)
    FinderText.objects.all().delete()
    FinderDocument.objects.all().delete()
    FinderWord.objects.all().delete()
    rows, texts, vocabulary = fulltext.documents_and_texts(documents)
    FinderDocument.objects.bulk_create(rows)
    made = FinderText.objects.bulk_create([
        FinderText(document=row, kind=kind, text=text, stems=stems, weight=weight)
        for row, kind, text, stems, weight in texts], batch_size=500)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {TABLE} (rowid, terms) VALUES (%s, %s)",  # noqa: S608
                           [(t.pk, t.stems) for t in made])
    FinderWord.objects.bulk_create([FinderWord(word=w[:100]) for w in sorted(vocabulary)],
                                   ignore_conflicts=True, batch_size=500)
    return len(rows)


def _quote(term):
    return '"' + term.replace('"', "") + '"'


def _idea_query(idea):
    """One idea as an FTS5 query: any of its terms (a phrase of stems), a lone word of five
    letters or more also beginning a longer one."""
    parts = []
    for stems in dict.fromkeys(idea.stems):
        stems = [s for s in stems if s]
        if not stems:
            continue
        if len(stems) == 1 and len(stems[0]) >= 5:
            parts.append(_quote(stems[0]) + "*")
        else:
            parts.append(_quote(" ".join(stems)))
    return " OR ".join(parts)


HITS = f"""
SELECT t.id, t.kind, t.text, t.weight, d.organisation_id, d.name, d.latitude, d.longitude
FROM {TABLE} f JOIN showcase_findertext t ON t.id = f.rowid
JOIN showcase_finderdocument d ON d.id = t.document_id
WHERE {TABLE} MATCH %s
"""  # noqa: S608 (constant table name; the query is a parameter)


class Engine:
    """The finder on the stored FTS5 index: ``search`` answers like ``finder.Index.search``."""

    def __init__(self, fingerprint):
        corrector = _correctors.get(fingerprint)
        if corrector is None:
            corrector = Corrector(set(FinderWord.objects.values_list("word", flat=True)))
            _correctors.clear()
            _correctors[fingerprint] = corrector
        self.corrector = corrector

    def search(self, need, *, origin=None, within_km=None, limit=50):
        wanted, corrected = finder.read_need(need, self.corrector)
        wanted = list({idea.key: idea for idea in wanted}.values())
        codes = list(dict.fromkeys(finder.CODE.findall(need)))
        queries = [(idea.key, _idea_query(idea), False) for idea in wanted]
        queries += [(code, _quote(CODE_PREFIX + code) + "*", True) for code in codes]
        documents = FinderState.objects.filter(pk=1).values_list("documents", flat=True) \
            .first() or 1
        best, places = {}, {}               # best[(org, i)] = (weight, -id, kind, text)
        with connection.cursor() as cursor:
            for i, (_label, query, is_code) in enumerate(queries):
                if not query:
                    continue
                cursor.execute(HITS, [query])
                for tid, kind, text, weight, org, name, lat, lon in cursor.fetchall():
                    if (kind == "code") != is_code:
                        continue
                    places[org] = (name, lat, lon)
                    hit = (weight, -tid, kind, text)
                    if (org, i) not in best or hit > best[(org, i)]:
                        best[(org, i)] = hit
        found = {}
        for (_org, i) in best:
            found[i] = found.get(i, 0) + 1
        rarity = {i: math.log(1 + documents / n) for i, n in found.items()}
        per_org = {}
        for (org, i), (weight, _tid, kind, text) in sorted(best.items(), key=lambda x: x[0][1]):
            label = queries[i][0]
            entry = per_org.setdefault(org, {"score": 0.0, "reasons": []})
            entry["score"] += weight * rarity[i]
            entry["reasons"].append((kind, text if kind != "code" else label, label))
        results = []
        for org, entry in per_org.items():
            name, lat, lon = places[org]
            point = (lat, lon) if lat is not None and lon is not None else None
            km = finder.haversine_km(origin, point) if origin and point else None
            if within_km is not None and (km is None or km > within_km):
                continue
            results.append(finder.Result(org, name, round(entry["score"], 4),
                                         len(entry["reasons"]), km, entry["reasons"]))
        results.sort(key=finder.rank_key)
        return results[:limit], corrected
