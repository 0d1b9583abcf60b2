"""Invoices API: a company admin's own invoices and payments; staff: all, by period/status."""

import re
from datetime import date
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator

from alliage.billing.models import Invoice, InvoiceLine, Payment
from alliage.core.api_support import AUTH, Limit, ObjectId, Offset, OptionalId, responses
from alliage.core.roles import administered_organisations, is_staff

router = Router(tags=["billing"])

# Issued invoices only (a draft is nobody's business but the association's).
InvoiceStatus = Literal["issued", "paid", "cancelled"]


# A calendar day as written YYYY-MM-DD (pydantic alone would also take "0" as 1970-01-01).
def _iso_day(value):
    if value is None or isinstance(value, date):
        return value
    if not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        raise ValueError("expected a day as YYYY-MM-DD")
    return value


Day = Annotated[date | None, Query(None, description="A day, YYYY-MM-DD."),
                BeforeValidator(_iso_day)]


class PaymentOut(Schema):
    id: int
    received_on: date
    amount_cents: int = Field(description="Negative for a refund.")
    method: str
    reference: str
    provider_id: str


class InvoiceOut(Schema):
    id: int
    number: str
    organisation_id: int
    organisation: str
    issued_on: date
    due_on: date | None
    status: str
    description: str = Field(description="What the invoice is for (its first line).")
    subtotal_cents: int
    tps_cents: int
    tvq_cents: int
    total_cents: int
    credited_cents: int
    paid_cents: int
    balance_cents: int
    pdf_url: str
    payments: list[PaymentOut]


def _visible(user):
    issued = Invoice.objects.issued().select_related("organisation").prefetch_related(
        Prefetch("lines", InvoiceLine.objects.order_by("position", "pk")),
        Prefetch("payments", Payment.objects.order_by("received_on", "pk")), "credit_notes")
    if is_staff(user):
        return issued
    return issued.filter(organisation__in=administered_organisations(user))


def _out(invoice):
    lines = list(invoice.lines.all())
    paid = sum(p.amount_cents for p in invoice.payments.all())
    credited = sum(c.total_cents for c in invoice.credit_notes.all())
    return {"id": invoice.pk, "number": invoice.number,
            "organisation_id": invoice.organisation_id,
            "organisation": invoice.organisation.legal_name, "issued_on": invoice.issued_on,
            "due_on": invoice.due_on, "status": invoice.status,
            "description": lines[0].description if lines else "",
            "subtotal_cents": invoice.subtotal_cents, "tps_cents": invoice.tps_cents,
            "tvq_cents": invoice.tvq_cents, "total_cents": invoice.total_cents,
            "credited_cents": credited, "paid_cents": paid,
            "balance_cents": invoice.total_cents - paid - credited,
            "pdf_url": reverse("members:invoice_pdf", args=[invoice.pk]),
            "payments": [{"id": p.pk, "received_on": p.received_on,
                          "amount_cents": p.amount_cents, "method": p.method,
                          "reference": p.reference, "provider_id": p.provider_id}
                         for p in invoice.payments.all()]}


@router.get("/invoices", response=responses(list[InvoiceOut], 401, 403, 422), auth=AUTH,
            summary="Invoices: a company admin's own; staff: all, by period and status")
def invoice_list(request, status: InvoiceStatus | None = None, issued_from: Day = None,
                 issued_to: Day = None, organisation_id: OptionalId = None,
                 offset: Offset = 0, limit: Limit(50, 200) = 50):
    user = request.user
    if not is_staff(user) and not administered_organisations(user).exists():
        raise PermissionDenied
    rows = _visible(user)
    if status:
        rows = rows.filter(status=status)
    if issued_from:
        rows = rows.filter(issued_on__gte=issued_from)
    if issued_to:
        rows = rows.filter(issued_on__lte=issued_to)
    if organisation_id:
        rows = rows.filter(organisation_id=organisation_id)
    return [_out(i) for i in rows.order_by("-issued_on", "-pk")[offset:offset + limit]]


@router.get("/invoices/{invoice_id}", response=responses(InvoiceOut, 401, 404, 422), auth=AUTH,
            summary="One invoice with its payments (404 when not the caller's)")
def invoice_detail(request, invoice_id: ObjectId):
    return _out(get_object_or_404(_visible(request.user), pk=invoice_id))
