"""Billing figures for dashboards and the yearly report."""

from django.db.models import Sum

from alliage.billing.models import CreditNote, Invoice, Payment


def totals(start, end):
    """Invoiced, credited and collected amounts (cents) between two dates, inclusive."""
    invoiced = Invoice.objects.issued().filter(issued_on__range=(start, end)).aggregate(
        subtotal=Sum("subtotal_cents"), total=Sum("total_cents"), tps=Sum("tps_cents"),
        tvq=Sum("tvq_cents"))
    credited = CreditNote.objects.filter(issued_on__range=(start, end)).aggregate(
        total=Sum("total_cents"))["total"] or 0
    collected = Payment.objects.filter(received_on__range=(start, end)).aggregate(
        total=Sum("amount_cents"))["total"] or 0
    outstanding = sum(i.balance_cents() for i in Invoice.objects.open()
                      .filter(issued_on__lte=end).prefetch_related("payments", "credit_notes"))
    return {"invoiced_before_tax": invoiced["subtotal"] or 0,
            "invoiced_total": invoiced["total"] or 0, "tps": invoiced["tps"] or 0,
            "tvq": invoiced["tvq"] or 0, "credited": credited, "collected": collected,
            "outstanding": outstanding}


def for_period(start, end):
    return totals(start, end)
