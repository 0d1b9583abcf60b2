"""The supplier finder on PostgreSQL: its own full-text search ranks (decision 0011).

Each listed member is stored as labelled texts (``FinderText``) whose vector holds three
readings of the text: French and English stemming without accents (the ``alliage_fr`` and
``alliage_en`` configurations of migration 0002) and the platform's own stems
(``alliage.matching.text``, in the ``simple`` configuration). A need is read by the same
platform code as on SQLite (``finder.read_need``: accents, case, stop words, FR/EN trade
synonyms); each of its ideas becomes one ``tsquery`` (every term of the idea in the three
readings, phrases kept as phrases), typos are corrected with ``pg_trgm`` over the index's
vocabulary, and one SQL query scores every supplier: the ideas it covers, and for each idea
the weight of the best kind of text that matched times the idea's rarity, its reasons
being those texts. Distance and the last tie-breaks are ``finder.rank_key``'s, as on SQLite.

The stored index is rebuilt, under a row lock, when the fingerprint of the data it reads
changes (``selectors.finder_fingerprint``), so every process sees the same index.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from alliage.matching.text import words
from alliage.showcase import finder
from alliage.showcase.models import FinderDocument, FinderState, FinderWord

CODE_PREFIX = "scian"
# Corrector thresholds: the Python Corrector's (``alliage.matching.text``), same trigrams.
MIN_CORRECTED = 4
SIMILARITY = 0.5


def ensure(fingerprint, documents, rebuild=None):
    """Rebuild the stored index from ``documents()`` unless it was built from ``fingerprint``
    (``rebuild``: the database's own way, PostgreSQL's by default)."""
    rebuild = rebuild or _rebuild
    current = FinderState.objects.filter(pk=1).values_list("fingerprint", flat=True).first()
    if current == fingerprint:
        return False
    with transaction.atomic():
        FinderState.objects.bulk_create([FinderState(pk=1)], ignore_conflicts=True)
        state = FinderState.objects.select_for_update().get(pk=1)
        if state.fingerprint == fingerprint:            # another process just built it
            return False
        count = rebuild(documents())
        state.fingerprint, state.documents, state.built_at = fingerprint, count, timezone.now()
        state.save()
    return True


def _rebuild(documents):
    with connection.cursor() as cursor:          # one statement each, no cascade collection
        for table in ("showcase_findertext", "showcase_finderdocument", "showcase_finderword"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a constant table name)
    rows, texts, vocabulary = documents_and_texts(documents)
    FinderDocument.objects.bulk_create(rows)
    # One statement for the texts and their vectors, one for the vocabulary (thousands of
    # rows: the ORM's per-object work would cost more than the database's).
    columns = list(zip(*texts, strict=True)) if texts else [(), (), (), (), ()]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO showcase_findertext (document_id, kind, text, stems, weight, vector) "
            "SELECT d, k, t, s, w, to_tsvector('alliage_fr', t) || to_tsvector('alliage_en', t)"
            " || to_tsvector('simple', s) "
            "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::float8[]) "
            "AS x(d, k, t, s, w)",
            [[r.pk for r in columns[0]], list(columns[1]), list(columns[2]),
             list(columns[3]), list(columns[4])])
        cursor.execute("INSERT INTO showcase_finderword (word) SELECT unnest(%s::text[]) "
                       "ON CONFLICT DO NOTHING", [sorted(w[:100] for w in vocabulary)])
    return len(rows)


def documents_and_texts(documents):
    """The stored index's rows, from the finder's documents: ``FinderDocument`` rows (not
    saved), texts (document, kind, text, platform stems, weight) — the SCIAN codes as one
    "code" text — and the vocabulary (platform stems and the synonyms' words)."""
    vocabulary = {s for stems in finder._phrases() for s in stems}
    rows, texts = [], []
    for doc in documents:
        point = doc.point or (None, None)
        row = FinderDocument(organisation_id=doc.key, name=doc.name[:200], latitude=point[0],
                             longitude=point[1])
        rows.append(row)
        for kind, text in doc.texts:
            stems = words(text)
            vocabulary.update(stems)
            texts.append((row, kind, text, " ".join(stems), finder.WEIGHTS[kind]))
        if doc.sector_codes:
            texts.append((row, "code", " ".join(doc.sector_codes),
                          " ".join(CODE_PREFIX + c for c in doc.sector_codes),
                          finder.WEIGHTS["sector"] * 2))
    return rows, texts, vocabulary


class Corrector:
    """Typo correction by ``pg_trgm`` over the stored vocabulary: a word the index does not
    know becomes the most similar known word of four letters or more (similarity above
    one half, ties to the first in alphabetical order), like the Python corrector."""

    def __init__(self):
        self.known = {}

    def prime(self, stems):
        """Learn in one query which of ``stems`` the vocabulary has."""
        missing = [s for s in stems if s not in self.known]
        if missing:
            found = set(FinderWord.objects.filter(word__in=missing)
                        .values_list("word", flat=True))
            for s in missing:
                self.known[s] = s if s in found or len(s) < MIN_CORRECTED else None

    def correct(self, word):
        self.prime([word])
        if self.known[word] is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT word FROM showcase_finderword WHERE word %% %s "
                    "AND length(word) >= %s AND similarity(word, %s) > %s "
                    "ORDER BY similarity(word, %s) DESC, word LIMIT 1",
                    [word, MIN_CORRECTED, word, SIMILARITY, word])
                row = cursor.fetchone()
            self.known[word] = row[0] if row else word
        return self.known[word]


def _simple_query(stems):
    """The platform stems of one term as a ``simple`` tsquery: a phrase, or one word of five
    letters or more that may begin a longer one ("convoy" finds "convoyeur")."""
    if len(stems) == 1 and len(stems[0]) >= 5:
        return f"{stems[0]}:*"
    return " <-> ".join(stems)


def _idea_sql(idea):
    """(SQL expression, parameters) of one idea's tsquery: any of its terms, read three ways."""
    parts, params = [], []
    for stems in dict.fromkeys(idea.stems):
        parts.append("to_tsquery('simple', %s)")
        params.append(_simple_query(stems))
    for term in dict.fromkeys(t for t in idea.written if t.strip()):
        parts.append("phraseto_tsquery('alliage_fr', %s) || phraseto_tsquery('alliage_en', %s)")
        params += [term, term]
    return " || ".join(parts), params


SEARCH = """
WITH q(i, query, code) AS (VALUES {values}),
hit AS (
  SELECT d.organisation_id AS org, t.kind, t.text, t.weight, q.i,
         row_number() OVER (PARTITION BY d.organisation_id, q.i
                            ORDER BY t.weight DESC, ts_rank(t.vector, q.query) DESC, t.id) AS n
  FROM showcase_findertext t
  JOIN showcase_finderdocument d ON d.id = t.document_id
  JOIN q ON t.vector @@ q.query AND (t.kind = 'code') = q.code
),
best AS (SELECT * FROM hit WHERE n = 1),
rarity AS (SELECT i, ln(1 + %s::float8 / count(*)) AS idf FROM best GROUP BY i)
SELECT b.org, d.name, d.latitude, d.longitude, count(*),
       sum(b.weight * r.idf), array_agg(b.kind ORDER BY b.i), array_agg(b.text ORDER BY b.i),
       array_agg(b.i ORDER BY b.i)
FROM best b JOIN rarity r ON r.i = b.i JOIN showcase_finderdocument d ON d.organisation_id = b.org
GROUP BY b.org, d.name, d.latitude, d.longitude
"""


class Engine:
    """The finder on the stored index: ``search`` answers like ``finder.Index.search``."""

    def __init__(self):
        self.corrector = Corrector()

    def search(self, need, *, origin=None, within_km=None, limit=50):
        self.corrector.prime(list(words(need)))
        wanted, corrected = finder.read_need(need, self.corrector)
        wanted = list({idea.key: idea for idea in wanted}.values())
        codes = list(dict.fromkeys(finder.CODE.findall(need)))
        values, params, labels = [], [], []
        for i, idea in enumerate(wanted):
            sql, p = _idea_sql(idea)
            values.append(f"({i}, {sql}, false)")
            params += p
            labels.append(idea.key)
        for code in codes:
            values.append(f"({len(labels)}, to_tsquery('simple', %s), true)")
            params.append(f"{CODE_PREFIX}{code}:*")
            labels.append(code)
        if not values:
            return [], corrected
        documents = FinderState.objects.filter(pk=1).values_list("documents", flat=True) \
            .first() or 1
        with connection.cursor() as cursor:
            cursor.execute(SEARCH.format(values=", ".join(values)), [*params, documents])
            rows = cursor.fetchall()
        results = []
        for org, name, lat, lon, covered, score, kinds, texts, ideas in rows:
            point = (lat, lon) if lat is not None and lon is not None else None
            km = finder.haversine_km(origin, point) if origin and point else None
            if within_km is not None and (km is None or km > within_km):
                continue
            reasons = [(k, text if k != "code" else labels[i], labels[i])
                       for k, text, i in zip(kinds, texts, ideas, strict=True)]
            results.append(finder.Result(org, name, round(score, 4), covered, km, reasons))
        results.sort(key=finder.rank_key)
        return results[:limit], corrected
