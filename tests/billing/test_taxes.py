"""TPS and TVQ on the invoice's taxable subtotal, credit notes mirroring their invoice, and
issued invoices keeping their figures (issue #13, "Taxes and the accountant")."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliage.billing import services, taxes
from alliage.billing.models import CreditNote, Invoice, InvoiceLine
from alliage.billing.pdf import invoice_html

SIX_LINES_OF_75 = [services.Line(f"Atelier {i}", 7500) for i in range(6)]


def _figures(doc):
    return doc.subtotal_cents, doc.tps_cents, doc.tvq_cents, doc.total_cents


def test_the_450_dollar_invoice_shows_tvq_44_89(cast):
    # Six lines of 75,00 $: per line TVQ is 7,48 $, six times 44,88 $; 9,975 % of 450,00 $
    # is 44,886 25 $ -> 44,89 $.
    invoice = services.invoice_create(organisation=cast.acme, lines=SIX_LINES_OF_75,
                                      render_pdf=False)
    assert _figures(invoice) == (45000, 2250, 4489, 51739)
    assert sum(ln.tvq_cents for ln in invoice.lines.all()) == 4489  # lines add up
    html = invoice_html(invoice).replace("\u00a0", " ")
    assert "44,89 $" in html and "44,88 $" not in html


def test_mixed_lines_tax_only_the_taxable_subtotal(cast):
    invoice = services.invoice_create(organisation=cast.acme, render_pdf=False, lines=[
        services.Line("Adhésion annuelle", 27500), services.Line("Repas", 3333, 3),
        services.Line("Don", 10000, 1, False)])
    # Taxable base 275,00 + 99,99 = 374,99 $: TPS 18,749 5 -> 18,75; TVQ 37,405 25 -> 37,41.
    assert invoice.taxable_subtotal_cents == 37499
    assert _figures(invoice) == (47499, 1875, 3741, 47499 + 1875 + 3741)
    exempt = invoice.lines.get(taxable=False)
    assert (exempt.tps_cents, exempt.tvq_cents) == (0, 0)
    assert "Montant taxable" in invoice_html(invoice)


def test_many_small_lines_are_not_rounded_one_by_one(cast):
    # 100 lines of 0,10 $: each line's 0,005 $ of TPS would round up to 0,01 $ (1,00 $);
    # 5 % of 10,00 $ is 0,50 $.
    lines = [services.Line(f"Vis {i}", 10) for i in range(100)]
    invoice = services.invoice_create(organisation=cast.acme, lines=lines, render_pdf=False)
    assert _figures(invoice) == (1000, 50, 100, 1150)
    assert sum(ln.tps_cents for ln in invoice.lines.all()) == 50


def test_exempt_invoice_has_no_tax(cast):
    invoice = services.invoice_create(organisation=cast.acme, render_pdf=False,
                                      lines=[services.Line("Don", 10000, 1, False)])
    assert _figures(invoice) == (10000, 0, 0, 10000)


def test_full_credit_note_is_the_exact_opposite_of_its_invoice(cast):
    invoice = services.invoice_create(organisation=cast.acme, lines=SIX_LINES_OF_75,
                                      render_pdf=False)
    note = services.credit_note_create(invoice=invoice, reason="Annulé")
    assert _figures(note) == _figures(invoice)
    assert sum(ln.tvq_cents for ln in note.lines.all()) == 4489
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.CANCELLED and invoice.balance_cents() == 0


def test_partial_credit_is_taxed_on_its_base_and_the_last_one_takes_the_rest(cast):
    invoice = services.invoice_create(organisation=cast.acme, lines=SIX_LINES_OF_75,
                                      render_pdf=False)
    first = services.credit_note_create(invoice=invoice, reason="Un atelier",
                                        amount_cents=7500)
    # 5 % and 9,975 % of 75,00 $: 3,75 $ and 7,481 25 $ -> 7,48 $.
    assert _figures(first) == (7500, 375, 748, 8623)
    rest = services.credit_note_create(invoice=invoice, reason="Le reste",
                                       amount_cents=37500)
    assert (first.tps_cents + rest.tps_cents, first.tvq_cents + rest.tvq_cents) == (2250, 4489)
    invoice.refresh_from_db()
    assert invoice.balance_cents() == 0 and invoice.status == Invoice.Status.CANCELLED


def test_partial_credit_on_mixed_lines_taxes_the_taxable_share(cast):
    invoice = services.invoice_create(organisation=cast.acme, render_pdf=False, lines=[
        services.Line("Formation", 20000), services.Line("Don", 20000, 1, False)])
    note = services.credit_note_create(invoice=invoice, reason="Moitié", amount_cents=10000)
    # Half of the invoice is taxable: 50,00 $ of the 100,00 $ credited bear the taxes.
    assert _figures(note) == (10000, 250, 499, 10749)


def test_partial_credit_beyond_what_remains_is_refused(cast):
    from django.core.exceptions import ValidationError

    invoice = services.invoice_create(organisation=cast.acme, lines=SIX_LINES_OF_75,
                                      render_pdf=False)
    services.credit_note_create(invoice=invoice, reason="Un atelier", amount_cents=40000)
    with pytest.raises(ValidationError):
        services.credit_note_create(invoice=invoice, reason="Trop", amount_cents=7500)


def _issued_with_per_line_taxes(cast):
    """An invoice issued before issue #13: taxes rounded per line (44,88 $ of TVQ)."""
    invoice = services.invoice_create(organisation=cast.acme, lines=SIX_LINES_OF_75,
                                      render_pdf=False)
    # What the old code stored; update() is how history looks in the database, not a service.
    Invoice.objects.filter(pk=invoice.pk).update(tvq_cents=4488, total_cents=51738)
    InvoiceLine.objects.filter(invoice=invoice).update(tps_cents=375, tvq_cents=748)
    invoice.refresh_from_db()
    return invoice


def test_an_issued_invoice_keeps_its_figures(cast):
    old = _issued_with_per_line_taxes(cast)
    services.invoice_create(organisation=cast.acme, lines=SIX_LINES_OF_75, render_pdf=False)
    services.payment_record(invoice=old, amount_cents=1000, method="cheque")
    old.refresh_from_db()
    assert _figures(old) == (45000, 2250, 4488, 51738)
    assert old.balance_cents() == 51738 - 1000
    assert "44,88" in invoice_html(old)  # the figure the client was sent


def test_credit_notes_mirror_an_invoice_issued_with_per_line_taxes(cast):
    old = _issued_with_per_line_taxes(cast)
    assert _figures(services.credit_note_create(invoice=old, reason="Annulé")) == \
        (45000, 2250, 4488, 51738)
    other = _issued_with_per_line_taxes(cast)
    services.credit_note_create(invoice=other, reason="Un", amount_cents=7500)
    services.credit_note_create(invoice=other, reason="Reste", amount_cents=37500)
    notes = CreditNote.objects.filter(invoice=other)
    assert sum(n.tvq_cents for n in notes) == 4488 and sum(n.total_cents for n in notes) == 51738


def test_a_draft_from_before_is_brought_to_the_rule_when_issued(cast):
    draft = services.invoice_create(organisation=cast.acme, lines=SIX_LINES_OF_75, issue=False)
    Invoice.objects.filter(pk=draft.pk).update(tvq_cents=4488, total_cents=51738)
    InvoiceLine.objects.filter(invoice=draft).update(tvq_cents=748)
    issued = services.invoice_issue(invoice=draft, render_pdf=False, on=date(2026, 7, 2))
    assert _figures(issued) == (45000, 2250, 4489, 51739)
    assert sum(ln.tvq_cents for ln in issued.lines.all()) == 4489


@given(st.lists(st.tuples(st.integers(0, 10**7), st.booleans()), min_size=1, max_size=30))
def test_taxes_are_the_rate_times_the_base_and_lines_add_up(lines):
    figures = taxes.of_lines(lines)
    base = sum(a for a, t in lines if t)
    assert figures.tps == taxes.on_base(base, base).tps
    assert abs(figures.tps * 1_000_000 - base * 50_000) <= 500_000  # within half a cent
    assert abs(figures.tvq * 1_000_000 - base * 99_750) <= 500_000
    shares = taxes.line_shares(lines, figures)
    assert sum(s[0] for s in shares) == figures.tps and sum(s[1] for s in shares) == figures.tvq
    assert all(s == (0, 0) for s, (_, t) in zip(shares, lines, strict=True) if not t)


def test_half_cents_round_up():
    # 9,975 % of 2,00 $ is 0,1995 $ -> 0,20 $; 5 % of 0,10 $ is 0,005 $ -> 0,01 $.
    assert taxes.on_base(200, 200).tvq == 20
    assert taxes.on_base(10, 10).tps == 1
