"""Money in integer cents, Québec sales taxes, and locale-aware display.

``taxed`` rounds the tax on one amount half-up to the cent; invoices apply it once to their
taxable subtotal (``billing.taxes``), so the printed tax is the rate times the printed base.
Rates are parts per million so 9.975 % stays exact.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency
from django.conf import settings
from django.utils import translation


def tax_cents(amount_cents: int, rate_ppm: int) -> int:
    """Tax on ``amount_cents`` at ``rate_ppm`` parts per million, rounded half-up."""
    exact = Decimal(amount_cents) * Decimal(rate_ppm) / Decimal(1_000_000)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class TaxedAmount:
    subtotal: int
    tps: int
    tvq: int

    @property
    def total(self) -> int:
        return self.subtotal + self.tps + self.tvq


def taxed(amount_cents: int, *, taxable: bool = True) -> TaxedAmount:
    """TPS and TVQ on one line (both 0 for an exempt line)."""
    if not taxable:
        return TaxedAmount(amount_cents, 0, 0)
    return TaxedAmount(
        amount_cents,
        tax_cents(amount_cents, settings.TPS_RATE_PPM),
        tax_cents(amount_cents, settings.TVQ_RATE_PPM),
    )


def parse_cents(text) -> int:
    """Read "1 234,56", "1234.56" or "12" as cents; ValueError when it is not money."""
    cleaned = str(text).replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    cleaned = cleaned.replace("$", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
        # "Infinity", "1e400" or sixty nines are not money (quantize would raise).
        exact = value.is_finite() and value == value.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(text) from None
    if not exact:
        raise ValueError(text)
    return int(value * 100)


def _babel_locale(language=None):
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    return "fr_CA" if language.startswith("fr") else "en_CA"


def format_money(cents, language=None) -> str:
    """E.g. "1 234,56 $" in French, "$1,234.56" in English (regular spaces)."""
    if cents is None:
        return ""
    text = format_currency(Decimal(cents) / 100, "CAD", locale=_babel_locale(language))
    # One kind of no-break space whatever Babel's CLDR version picks, so amounts never wrap.
    return text.replace("\u202f", "\u00a0")


def format_rate(rate_ppm: int, language=None) -> str:
    """A tax rate such as "9,975 %" (French) or "9.975%" (English)."""
    percent = (Decimal(rate_ppm) / Decimal(10_000)).normalize()
    if _babel_locale(language) == "fr_CA":
        return f"{str(percent).replace('.', ',')}\u00a0%"
    return f"{percent}%"
