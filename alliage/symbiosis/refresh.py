"""Match refresh: one stream scored against the published other side, its matches updated
in place.

Never deletes a match: a pair the refresh no longer finds (the stream changed, expired or
was withdrawn) is marked stale, hidden from match lists but kept with its introductions
and their messages (``Introduction.match`` is PROTECT as well). Called by the
``match_stream`` task and the daily expiry; depends on no other symbiosis service."""

from django.db import transaction

from alliage.symbiosis.models import Match, Stream

KEEP = 10        # matches kept per stream

# What `Stream.map_point` reads, fetched with the streams (no query per stream).
PLACES = ("organisation__park", "organisation__municipality", "site__park",
          "site__municipality")


def _ranked(stream):
    """The stream's best pairs with the published other side, as unsaved Match rows.

    An anonymous listing is placed at the centre of its ~25 km grid cell for everything a
    company sees of its matches: whether a pair matches (the distance limit), its rank,
    score and reasons. Otherwise a company could edit its own limit or site until the pair
    appears or drops out and locate the listing to the kilometre (issue #11, M1). The same
    pair from the real places is kept beside (`exact_score`, `exact_reasons`) for staff
    and for both sides once introduced. Pairs of listings that show their company are
    scored from the real places, as before."""
    from alliage.matching.engine import Matcher, explain, prepare, score_pair

    other_kind = Stream.Kind.NEED if stream.kind == Stream.Kind.OFFER else Stream.Kind.OFFER
    others = list(Stream.objects.published().filter(kind=other_kind).exclude(
        organisation=stream.organisation).select_related(*PLACES))
    if not others:
        return []
    rows = []
    mine = prepare(stream.engine_stream(coarse=stream.secret_place))
    if stream.kind == Stream.Kind.OFFER:
        matcher = Matcher([o.engine_stream(coarse=o.secret_place) for o in others])
        found, side = matcher.rank([mine], KEEP)
        for j, score in found.get(0, []):
            rows.append(Match(offer=stream, need=others[j], score=score,
                              reasons=explain(side.items[0], matcher.needs.items[j])))
    else:
        scored = []
        for other in others:
            offer = prepare(other.engine_stream(coarse=other.secret_place))
            s = score_pair(offer, mine)
            if s is not None:
                scored.append((-s, other.pk, other, offer))
        scored.sort(key=lambda x: (x[0], x[1]))
        for s, _pk, other, offer in scored[:KEEP]:
            rows.append(Match(offer=other, need=stream, score=-s,
                              reasons=explain(offer, mine)))
    for row in rows:
        if row.offer.secret_place or row.need.secret_place:
            offer, need = (prepare(s.engine_stream()) for s in (row.offer, row.need))
            row.exact_score = score_pair(offer, need)
            row.exact_reasons = explain(offer, need)
    return rows


def match_stream_now(stream_id):
    """Match one stream against the published other side, refreshing its matches in place.

    Incremental: only this stream is scored (against every published stream of the
    other kind). Pairs found are inserted or updated (and current again if they were
    stale); the stream's other matches are marked stale, never deleted. Idempotent:
    running it twice gives the same rows. Returns the number of current matches."""
    stream = Stream.objects.select_related(*PLACES).get(pk=stream_id)
    side = "offer" if stream.kind == Stream.Kind.OFFER else "need"
    other = "need" if side == "offer" else "offer"
    with transaction.atomic():
        rows = _ranked(stream) if stream.status == Stream.Status.PUBLISHED else []
        Match.objects.bulk_create(rows, update_conflicts=True,
                                  unique_fields=["offer", "need"],
                                  update_fields=["score", "reasons", "exact_score",
                                                 "exact_reasons", "stale", "computed_at"])
        found = [getattr(row, f"{other}_id") for row in rows]
        Match.objects.filter(**{side: stream}, stale=False).exclude(
            **{f"{other}_id__in": found}).update(stale=True)
    return len(rows)
