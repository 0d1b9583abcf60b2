import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from alliage.billing import services
from alliage.billing.models import Invoice
from alliage.billing.pdf import invoice_html
from alliage.billing.tasks import render_invoice_pdf
from tests.conftest import login


def _invoice(cast, org=None, **kwargs):
    return services.invoice_create(organisation=org or cast.acme, lines=[
        services.Line("Adhésion annuelle", 27500), services.Line("Repas", 3000, 2, True),
        services.Line("Don", 10000, 1, False)], **kwargs)


def test_taxes_on_the_subtotal_and_totals(cast):
    invoice = _invoice(cast)
    lines = list(invoice.lines.all())
    # Taxable base 335,00 $: TPS 16,75 $, TVQ 33,416 25 -> 33,42 $, shared among the lines.
    assert [(ln.tps_cents, ln.tvq_cents) for ln in lines] == [(1375, 2743), (300, 599), (0, 0)]
    assert invoice.subtotal_cents == 43500
    assert (invoice.tps_cents, invoice.tvq_cents) == (1675, 3342)
    assert invoice.total_cents == 43500 + 1675 + 3342
    assert invoice.tps_number and invoice.tvq_number


def test_numbers_follow_each_other_without_gaps(cast):
    numbers = [_invoice(cast).number for _ in range(3)]
    seq = [int(n.split("-")[1]) for n in numbers]
    assert seq == [seq[0], seq[0] + 1, seq[0] + 2]


def test_failed_issue_leaves_no_gap(cast, monkeypatch):
    """An issue that fails *after* taking its number rolls the number back with it."""
    first = _invoice(cast)
    taken = []
    real_next_number = services.next_number

    def numbered_then_broken(kind, year):
        taken.append(real_next_number(kind, year))
        raise RuntimeError("disk full while issuing")

    monkeypatch.setattr(services, "next_number", numbered_then_broken)
    with pytest.raises(RuntimeError):
        _invoice(cast)
    monkeypatch.undo()
    # The failed issue did take the next number before failing...
    assert int(taken[0].split("-")[1]) == int(first.number.split("-")[1]) + 1
    # ...and gave it back: the next invoice gets that same number, nothing is half-written.
    second = _invoice(cast)
    assert second.number == taken[0]
    assert not Invoice.objects.filter(number__isnull=True).exists()
    assert Invoice.objects.count() == 2


def test_issued_invoice_cannot_be_issued_again(cast):
    invoice = _invoice(cast)
    with pytest.raises(ValidationError):
        services.invoice_issue(invoice=invoice)


def test_credit_note_cancels_and_balance_follows(cast):
    invoice = _invoice(cast)
    services.payment_record(invoice=invoice, amount_cents=1000, method="cheque")
    with pytest.raises(ValidationError):
        services.credit_note_create(invoice=invoice, reason="")
    with pytest.raises(ValidationError):
        services.payment_record(invoice=invoice, amount_cents=10**9, method="cheque")
    note = services.credit_note_create(invoice=invoice, reason="Erreur", amount_cents=5000)
    assert note.number.startswith("NC")
    invoice.refresh_from_db()
    assert invoice.balance_cents() == invoice.total_cents - 1000 - note.total_cents


def test_provider_payment_is_recorded_once(cast):
    invoice = _invoice(cast)
    a = services.payment_record(invoice=invoice, amount_cents=500, method="online",
                                provider_id="pay_1")
    b = services.payment_record(invoice=invoice, amount_cents=500, method="online",
                                provider_id="pay_1")
    assert a.pk == b.pk and invoice.payments.count() == 1


def test_pdf_in_the_clients_language_with_accents(cast):
    invoice = _invoice(cast, render_pdf=False)
    html = invoice_html(invoice)
    assert "Sous-total (avant taxes)" in html and "Adhésion annuelle" in html
    assert render_invoice_pdf.call(invoice.pk) == "rendered"
    invoice.refresh_from_db()
    assert invoice.pdf.read(5) == b"%PDF-"
    assert render_invoice_pdf.call(invoice.pk) == "exists"
    english = _invoice(cast, language="en")
    assert "Subtotal (before taxes)" in invoice_html(english)


def test_invoice_pdf_is_private_to_its_company(client, cast):
    invoice = _invoice(cast)
    render_invoice_pdf.call(invoice.pk)
    login(client, cast.carol)
    assert client.get(f"/factures/{invoice.pk}.pdf").status_code == 404
    login(client, cast.alice)
    response = client.get(f"/factures/{invoice.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_consecutive_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency are tested on PostgreSQL")
    from tests.people import Cast

    cast = Cast()
    drafts = [services.invoice_create(organisation=cast.acme, issue=False,
                                      lines=[services.Line("x", 100)]) for _ in range(12)]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def issue(draft):
        from django.db import connections

        try:
            barrier.wait()
            services.invoice_issue(invoice=draft, render_pdf=False)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(int(n.split("-")[1]) for n in Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(numbers[0], numbers[0] + len(drafts)))


def test_issued_invoice_amounts_and_lines_cannot_change(cast):
    from alliage.billing.models import IssuedInvoiceError

    invoice = _invoice(cast, render_pdf=False)
    invoice.total_cents = 1
    with pytest.raises(IssuedInvoiceError):
        invoice.save()
    line = invoice.lines.first()
    line.unit_price_cents = 1
    with pytest.raises(IssuedInvoiceError):
        line.save()


def test_billing_stats_for_a_period(cast):
    from datetime import date

    from alliage.billing import stats

    invoice = _invoice(cast, render_pdf=False, on=date(2026, 7, 10))
    services.payment_record(invoice=invoice, amount_cents=1000, method="cheque",
                            received_on=date(2026, 7, 20))
    figures = stats.totals(date(2026, 7, 1), date(2027, 6, 30))
    assert figures["invoiced_total"] == invoice.total_cents
    assert figures["collected"] == 1000
    assert figures["outstanding"] == invoice.total_cents - 1000


def test_a_draft_is_written_in_three_queries_with_its_figures(cast, django_assert_num_queries):
    """Who to bill, the invoice with its figures, its lines: no read-back, no update, no
    savepoint inside the caller's transaction (an order's draft is written under it)."""
    with django_assert_num_queries(3):
        draft = _invoice(cast, issue=False)
    stored = Invoice.objects.get(pk=draft.pk)
    assert stored.is_draft and stored.number is None
    assert (stored.subtotal_cents, stored.tps_cents, stored.tvq_cents) == (43500, 1675, 3342)
    assert stored.total_cents == 43500 + 1675 + 3342
    assert [(ln.position, ln.tps_cents, ln.tvq_cents) for ln in stored.lines.order_by(
        "position")] == [(0, 1375, 2743), (1, 300, 599), (2, 0, 0)]


def test_a_draft_with_bad_lines_writes_nothing_and_leaves_the_transaction_usable(cast):
    from django.db import transaction

    with transaction.atomic():
        with pytest.raises(ValidationError):
            services.invoice_create(organisation=cast.acme, lines=[
                services.Line("Repas", 3000, 0)], issue=False)
        # The caller's transaction goes on (the check ran before any write).
        kept = _invoice(cast, issue=False)
    assert list(Invoice.objects.values_list("pk", flat=True)) == [kept.pk]
