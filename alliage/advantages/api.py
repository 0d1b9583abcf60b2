"""Member advantages: JSON API under /api/v1/advantages/.

The catalogue is public; group purchases (with their live progress) are for members, and
pledging runs the page's very service (``purchasing.pledge_set``: same lock, same history,
409 once pledges are closed)."""

from datetime import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.params.functions import Path
from pydantic import ConfigDict

from alliage.advantages import purchasing, selectors
from alliage.advantages.models import Advantage, GroupPurchase
from alliage.core.api_support import AUTH, Limit, Offset, responses, viewer
from alliage.core.roles import is_member

router = Router(tags=["advantages"])

Slug = Annotated[str, Path(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$",
                           description="The campaign's slug.")]


class AdvantageOut(Schema):
    slug: str
    kind: str
    name: str
    provider: str
    pricing_rule: str
    price_cents: int = Field(description="Flat: per year; per employee: per employee per "
                                         "year; tiered: 0 (see tiers).")
    tiers: list[dict] = Field(description="Tiered: min_employees, max_employees, price_cents.")
    hours_employee: int
    hours_spouse: int
    hours_child: int
    url: str


class NextTierOut(Schema):
    min_quantity: int
    unit_price_cents: int
    missing: int
    extra_saving_cents: int


class ProgressOut(Schema):
    total: int
    unit_price_cents: int
    saving_now_cents: int
    next: NextTierOut | None


class PurchaseOut(Schema):
    slug: str
    title: str
    supplier: str
    unit: str
    list_price_cents: int
    minimum_quantity: int
    deadline: datetime
    status: str
    final_unit_price_cents: int | None
    progress: ProgressOut
    my_quantity: int | None = Field(description="The caller's company's pledge, if any.")


class PledgeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    quantity: int = Field(ge=0, le=purchasing.MAX_QUANTITY, description="0 withdraws.")


def _advantage_out(a):
    return {"slug": a.slug, "kind": a.kind, "name": a.name, "provider": a.provider,
            "pricing_rule": a.pricing_rule, "price_cents": a.price_cents,
            "tiers": [{"min_employees": t.min_employees, "max_employees": t.max_employees,
                       "price_cents": t.price_cents} for t in a.tiers.all()],
            "hours_employee": a.hours_employee, "hours_spouse": a.hours_spouse,
            "hours_child": a.hours_child, "url": a.get_absolute_url()}


def _purchase_out(p, company):
    pledge = p.pledges.filter(organisation=company).first() if company else None
    progress = purchasing.progress(p)
    if progress["next"]:
        progress["next"] = {k: progress["next"][k] for k in
                            ("min_quantity", "unit_price_cents", "missing",
                             "extra_saving_cents")}
    return {"slug": p.slug, "title": p.title, "supplier": p.supplier, "unit": p.unit,
            "list_price_cents": p.list_price_cents, "minimum_quantity": p.minimum_quantity,
            "deadline": p.deadline, "status": p.status,
            "final_unit_price_cents": p.final_unit_price_cents, "progress": progress,
            "my_quantity": pledge.quantity if pledge else None}


@router.get("/", response=responses(list[AdvantageOut], 401, 422), auth=None,
            summary="The catalogue of programs and partner discounts")
def advantage_list(request, offset: Offset = 0, limit: Limit(50, 200) = 50):
    viewer(request)
    rows = Advantage.objects.active().prefetch_related("tiers").order_by("name_fr", "pk")
    return [_advantage_out(a) for a in rows[offset:offset + limit]]


@router.get("/purchases", response=responses(list[PurchaseOut], 401, 403, 422), auth=AUTH,
            summary="Group purchases (members), with their progress toward the next tier")
def purchase_list(request, offset: Offset = 0, limit: Limit(50, 200) = 50):
    if not is_member(request.user):
        raise PermissionDenied
    company = selectors.acting_company(request.user)
    rows = GroupPurchase.objects.visible().prefetch_related("tiers").order_by("-deadline", "pk")
    return [_purchase_out(p, company) for p in rows[offset:offset + limit]]


@router.put("/purchases/{slug}/pledge", response=responses(PurchaseOut, 401, 403, 404, 409,
                                                            422),
            auth=AUTH, summary="Set the caller's company's pledge (member-company admins)")
def pledge_set(request, slug: Slug, payload: PledgeIn):
    if not is_member(request.user):
        raise PermissionDenied
    purchase = get_object_or_404(GroupPurchase.objects.visible(), slug=slug)
    company = selectors.acting_company(request.user)
    if company is None:
        raise PermissionDenied
    try:
        purchasing.pledge_set(purchase=purchase, organisation=company,
                              quantity=payload.quantity, actor=request.user)
    except purchasing.PledgesClosed as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    return _purchase_out(purchase, company)



