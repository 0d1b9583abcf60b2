import pytest
from django.utils import translation

from alliage.core.money import format_money, format_rate, parse_cents, tax_cents, taxed


def test_taxes_on_an_amount_are_rounded_half_up():
    # 9.975 % of 10.00 $ is 0.9975 $ -> 1.00 $; 5 % of 0.10 $ is 0.005 $ -> 0.01 $.
    assert tax_cents(1000, 99750) == 100
    assert tax_cents(10, 50000) == 1
    line = taxed(27500)
    assert (line.tps, line.tvq, line.total) == (1375, 2743, 31618)


def test_exempt_line_has_no_tax():
    assert taxed(5000, taxable=False).total == 5000


def test_french_money_format():
    text = format_money(123456, "fr-ca")
    assert text.replace("\u00a0", " ") == "1 234,56 $"


def test_english_money_format():
    assert format_money(123456, "en") == "$1,234.56"


def test_active_language_decides_the_format():
    with translation.override("fr-ca"):
        assert format_money(100).endswith("$")
    with translation.override("en"):
        assert format_money(100).startswith("$")


@pytest.mark.parametrize("text,cents", [("1 234,56", 123456), ("1234.5", 123450), ("12", 1200),
                                        ("12,00 $", 1200)])
def test_parse_money(text, cents):
    assert parse_cents(text) == cents


@pytest.mark.parametrize("text", ["abc", "1.234", ""])
def test_parse_rejects_non_money(text):
    with pytest.raises(ValueError):
        parse_cents(text)


def test_rate_display():
    assert format_rate(99750, "fr-ca") == "9,975\u00a0%"
    assert format_rate(50000, "en") == "5%"
