"""Symbiosis API: streams and matches with the same confidentiality as the pages."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from alliage.core.api_support import AUTH, Limit, ObjectId, Offset, responses, viewer
from alliage.core.roles import is_staff
from alliage.symbiosis.models import Stream, Synergy
from alliage.symbiosis.selectors import managed_ids, visible_streams

router = Router(tags=["symbiosis"])


class StreamOut(Schema):
    id: int
    kind: str
    title: str
    low_code: str
    utility: str = Field(description="Energy or water flow (steam, hot_water, cooling_water…); "
                         "empty for a material.")
    quantity: float | None
    unit: str
    organisation: str | None
    status: str


class MatchOut(Schema):
    offer: int
    need: int
    score: float = Field(description=(
        "The score in [0, 1], as the stream page shows it: to the hundredth once both "
        "companies accepted an introduction (and for staff), to the tenth while the match "
        "is blind (a finer score would give the distance between the companies away)."))
    blind: bool = Field(description=(
        "The counterpart is unnamed: the score and the reasons (distance in bands, "
        "coverage to the nearest ten percent) are rounded."))
    confidence: str = Field(description="high, medium or low (from the score shown)")
    reasons: list[str]
    counterpart: str | None


class SynergyOut(Schema):
    id: int
    supplier: str
    receiver: str
    material: str
    tonnes_per_year: float
    energy_mwh_per_year: float
    water_m3_per_year: float
    started_on: str


def _out(stream, user, mine):
    hide = stream.hidden_owner and not is_staff(user) and stream.organisation_id not in mine
    return {"id": stream.pk, "kind": stream.kind, "title": stream.title,
            "low_code": stream.low_code, "utility": stream.utility, "unit": stream.unit,
            "status": stream.status,
            "quantity": float(stream.quantity) if stream.quantity is not None else None,
            "organisation": None if hide else str(stream.organisation)}


@router.get("/streams", response=responses(list[StreamOut], 401, 422), auth=None,
            summary="Published offers and needs the caller may see")
def stream_list(request, kind: Stream.Kind | None = None, offset: Offset = 0,
                limit: Limit(100, 500) = 100):
    user = viewer(request)
    mine = managed_ids(user)
    streams = visible_streams(user).filter(status=Stream.Status.PUBLISHED).select_related(
        "organisation")
    if kind:
        streams = streams.filter(kind=kind)
    return [_out(s, user, mine) for s in streams[offset:offset + limit]]


@router.get("/streams/{stream_id}/matches",
            response=responses(list[MatchOut], 401, 404, 422), auth=AUTH,
            summary="Matches of one of the caller's streams (blind: no counterpart name)")
def stream_matches(request, stream_id: ObjectId):
    """Another company's stream is not found (404), as on the pages: a 403 would tell
    that the id exists."""
    user = request.auth
    staff = is_staff(user)
    streams = Stream.objects.all() if staff else Stream.objects.filter(
        organisation_id__in=managed_ids(user))
    stream = get_object_or_404(streams, pk=stream_id)
    field = "offer" if stream.kind == Stream.Kind.OFFER else "need"
    out = []
    from alliage.symbiosis.services import matches_for

    for m in matches_for(stream, staff=staff).select_related(
            "offer__organisation", "need__organisation").prefetch_related("introductions"):
        other = m.need if field == "offer" else m.offer
        out.append({"offer": m.offer_id, "need": m.need_id,
                    "score": m.score_for(staff=staff) / 100,    # rounded while blind
                    "blind": m.blind_for(staff=staff), "confidence": m.confidence,
                    "reasons": m.reasons_for(staff=staff),
                    "counterpart": str(other.organisation) if staff else None})
    return out


@router.get("/synergies", response=responses(list[SynergyOut], 401, 403), auth=AUTH,
            summary="Synergies (staff)")
def synergy_list(request):
    if not is_staff(request.auth):
        raise PermissionDenied
    return [{"id": s.pk, "supplier": str(s.supplier), "receiver": str(s.receiver),
             "material": s.material, "tonnes_per_year": float(s.tonnes_per_year),
             "energy_mwh_per_year": float(s.energy_mwh_per_year),
             "water_m3_per_year": float(s.water_m3_per_year),
             "started_on": s.started_on.isoformat()}
            for s in Synergy.objects.select_related("supplier", "receiver")]


@router.post("/streams/{stream_id}/publish", response=responses(StreamOut, 401, 403, 404, 422),
             auth=AUTH, summary="Publish (or extend) one of the caller's company's streams")
def stream_publish(request, stream_id: ObjectId):
    """The page's action: matches are computed in the background once published. Another
    company's stream is not found (404)."""
    from alliage.symbiosis import services

    user = request.user
    mine = managed_ids(user)
    stream = get_object_or_404(Stream, pk=stream_id, organisation_id__in=mine)
    services.stream_publish(stream=stream, actor=user)
    stream.refresh_from_db()
    return _out(stream, user, mine)
