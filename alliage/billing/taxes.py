"""TPS and TVQ of an invoice or a credit note: pure arithmetic in integer cents.

Each tax is computed once, on the document's taxable subtotal for that rate, and rounded
half-up, so the printed tax is always the rate times the printed base (Revenu Québec checks
exactly that). Rounding each line then adding, as Alliage did before issue #13, drifts by a
cent (450,00 $ in lines of 75,00 $ gave TVQ 44,88 $ instead of 44,89 $).

Lines still carry a tax figure, for information only: the invoice's tax shared among its
taxable lines in proportion to their amounts (largest remainder), so lines always add up to
the invoice and a full credit note can copy them.
"""

from dataclasses import dataclass

from django.conf import settings

from alliage.core.money import tax_cents


@dataclass(frozen=True)
class Taxes:
    subtotal: int
    taxable: int  # the base both taxes are computed on
    tps: int
    tvq: int

    @property
    def total(self) -> int:
        return self.subtotal + self.tps + self.tvq


def on_base(subtotal: int, taxable: int) -> Taxes:
    """The taxes of a document whose ``taxable`` part of ``subtotal`` bears TPS and TVQ."""
    return Taxes(subtotal, taxable, tax_cents(taxable, settings.TPS_RATE_PPM),
                 tax_cents(taxable, settings.TVQ_RATE_PPM))


def of_lines(lines) -> Taxes:
    """The taxes of ``lines``, pairs of (amount in cents, taxable)."""
    lines = list(lines)
    return on_base(sum(a for a, _ in lines), sum(a for a, t in lines if t))


def allocate(total: int, weights: list[int]) -> list[int]:
    """``total`` shared in proportion to ``weights`` (largest remainder; sums to ``total``).

    Ties go to the earlier weight, so the result never depends on anything but the input.
    """
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    shares = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(shares)
    for i in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        shares[i] += 1
    return shares


def line_shares(lines, taxes: Taxes) -> list[tuple[int, int]]:
    """Each line's informational (tps, tvq): the document's taxes over its taxable lines."""
    weights = [a if t else 0 for a, t in lines]
    return list(zip(allocate(taxes.tps, weights), allocate(taxes.tvq, weights), strict=True))


def credit(*, amount: int, invoice: Taxes, credited_subtotal: int, credited_tps: int,
           credited_tvq: int) -> Taxes:
    """The taxes of a credit of ``amount`` (before taxes) on an invoice.

    A credit is taxed on its own base: all of it when the invoice is wholly taxable, none
    when it is exempt, and the invoice's taxable share of it (rounded half-up) when its lines
    are mixed. The credit that brings the credited subtotal to the invoice's takes exactly
    what remains of each tax instead, so credit notes always add up to their invoice, cent
    for cent (even an invoice issued before taxes were computed on the subtotal).
    """
    if invoice.taxable == invoice.subtotal:
        taxable = amount
    else:
        taxable = (2 * amount * invoice.taxable + invoice.subtotal) // (2 * invoice.subtotal)
    if amount + credited_subtotal == invoice.subtotal:
        return Taxes(amount, taxable, invoice.tps - credited_tps, invoice.tvq - credited_tvq)
    return on_base(amount, taxable)
