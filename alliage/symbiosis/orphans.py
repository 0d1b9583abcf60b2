"""Published streams without a match ("orphans"): why the engine found nothing, and the
closest partial candidates with what they lack (issue #22). The member sees them on the
stream's page; staff see every orphan on the symbiosis dashboard, their work list.

Reasons, in the order they are checked:
- ``no_other_side``: no published stream of the other kind from another company;
- ``beyond_reach``: compatible streams exist, all beyond a distance limit (or available at
  other dates) — the closest are listed with the distance and the limit;
- ``unknown_material``: no code given and none inferred, no use named: the engine cannot
  tell what it is;
- ``no_compatible``: nothing of a compatible material, use or wording; the nearest streams
  within reach are listed as low-confidence leads;
- ``pending``: candidates within reach exist but their matches are not computed yet (the
  refresh task has not run): they are listed as such, never as "no reason"."""

import dataclasses
import math

from django.db.models import Q
from django.utils.translation import gettext as _

from alliage.symbiosis.models import Confidentiality, Match, Stream
from alliage.symbiosis.refresh import PLACES


def _message(reason, kind):
    offer = kind == Stream.Kind.OFFER
    if reason == "no_other_side":
        return _("No need published by another company yet.") if offer else \
            _("No offer published by another company yet.")
    if reason == "beyond_reach":
        return _("Compatible needs exist, but beyond the distance limit or at other "
                 "dates.") if offer else _("Compatible offers exist, but beyond the "
                                           "distance limit or at other dates.")
    if reason == "unknown_material":
        return _("The material is not recognised: give its code or describe it in the "
                 "trade's words.")
    if reason == "no_compatible":
        return _("No published need is of a compatible material, use or wording.") \
            if offer else _("No published offer is of a compatible material, use or wording.")
    if reason == "pending":
        return _("Candidates exist: the matches are being computed. Reload the page in a "
                 "moment.")
    return ""


def _pool(kind, *, staff):
    """Published streams of the other kind than `kind` (staff-only ones for staff only)."""
    other = Stream.Kind.NEED if kind == Stream.Kind.OFFER else Stream.Kind.OFFER
    found = Stream.objects.published().filter(kind=other).select_related(*PLACES,
                                                                         "organisation")
    if not staff:
        found = found.exclude(confidentiality=Confidentiality.STAFF)
    return list(found.order_by("pk"))


def _others(stream, pool):
    return [o for o in pool if o.organisation_id != stream.organisation_id]


def _unbound(p):
    """The stream without place or dates: what the pair would be without the hard limits."""
    return dataclasses.replace(p, lat=None, lon=None, start=-math.inf, end=math.inf)


def diagnose(stream, *, staff=False, others=None, limit=3):
    """{"reason", "message", "partial": [{"stream", "missing": [str], "km"}]} for a
    published stream (works for any stream; callers show it when it has no match)."""
    from alliage.matching.engine import haversine_km, prepare, score_pair
    from alliage.symbiosis.blind import distance_band

    if others is None:
        others = _others(stream, _pool(stream.kind, staff=staff))
    if not others:
        return {"reason": "no_other_side",
                "message": _message("no_other_side", stream.kind), "partial": []}
    mine = prepare(stream.engine_stream(coarse=stream.secret_place))
    offer_side = stream.kind == Stream.Kind.OFFER
    reachable, beyond, leads = [], [], []
    for other in others:
        theirs = prepare(other.engine_stream(coarse=other.secret_place))
        o, n = (mine, theirs) if offer_side else (theirs, mine)
        km = haversine_km(o, n) if o.located and n.located else None
        if score_pair(o, n) is not None:
            reachable.append((-score_pair(o, n), other.pk, other,
                              [_("a candidate: its match is being computed")], km))
            continue
        loose = score_pair(_unbound(o), _unbound(n))
        if loose is not None:
            missing = []
            limit_km = min(o.max_km, n.max_km)
            if km is not None and km > limit_km:
                # Members see another company's distance in bands only (blind.py).
                away = f"{round(km)} km" if staff else distance_band(km)
                missing.append(_("%(away)s, beyond the %(limit)s km limit")
                               % {"away": away, "limit": round(limit_km)})
            if o.end < n.start or n.end < o.start:
                missing.append(_("available at other dates"))
            beyond.append((-loose, other.pk, other, missing, km))
        elif km is None or km <= min(o.max_km, n.max_km):
            leads.append((km if km is not None else math.inf, other.pk, other,
                          [_("no shared material, use or words: a lead only")], km))
    if reachable:
        reason, rows = "pending", sorted(reachable)
    elif beyond:
        reason, rows = "beyond_reach", sorted(beyond)
    elif mine.primary is None and not mine.subchapters and not mine.uses and not mine.feeds:
        reason, rows = "unknown_material", sorted(leads)
    else:
        reason, rows = "no_compatible", sorted(leads)
    return {"reason": reason, "message": _message(reason, stream.kind),
            "partial": [{"stream": other, "missing": missing, "km": km}
                        for _key, _pk, other, missing, km in rows[:limit]]}


def orphans(limit=30):
    """Published streams with no current match, oldest first, each with its diagnosis
    (staff's work list on the symbiosis dashboard)."""
    matched = Match.objects.current()
    found = list(Stream.objects.published().exclude(
        Q(pk__in=matched.values("offer_id")) | Q(pk__in=matched.values("need_id")))
        .select_related(*PLACES, "organisation").order_by("published_at", "pk")[:limit])
    pools = {}
    out = []
    for stream in found:
        if stream.kind not in pools:
            pools[stream.kind] = _pool(stream.kind, staff=True)
        out.append((stream, diagnose(stream, staff=True,
                                     others=_others(stream, pools[stream.kind]))))
    return out


def orphan_count():
    matched = Match.objects.current()
    return Stream.objects.published().exclude(
        Q(pk__in=matched.values("offer_id")) | Q(pk__in=matched.values("need_id"))).count()
