"""The one way Alliage writes a list to CSV or XLSX.

The project's rule for every export: CSV in UTF-8 with a BOM and ``;`` between fields (what
Excel in French expects), XLSX with a named sheet and typed cells (numbers as numbers, dates
as dates), French headers and translated values in both.

Text typed by company admins or anonymous applicants must never become a live formula in
the spreadsheet ("=HYPERLINK(...)", "=cmd|..."): a text value starting with ``= + - @``, a
tab or a carriage return is written as text. In CSV it gets a leading apostrophe (the
OWASP advice: spreadsheet programs show the text and never evaluate it); in XLSX it is a
string cell with Excel's "quote prefix", so it stays text even when someone edits the
cell. Real numbers are never escaped: a negative amount is a number.
"""

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _

FORMATS = ("csv", "xlsx")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell whose text starts with one of these is read as a formula by Excel, LibreOffice or
# Google Sheets (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One exported column: its (translatable) header and how to read the value."""

    header: Any
    value: Callable[[Any], Any]
    money: bool = False  # amounts in dollars: two decimals in XLSX ("#,##0.00")


MONEY_FORMAT = "#,##0.00"


def is_dangerous(text):
    """True when ``text`` would be evaluated as a formula by a spreadsheet program."""
    return isinstance(text, str) and text.startswith(FORMULA_TRIGGERS)


def escape_text(text):
    """The text as a spreadsheet shows it but never evaluates it (CSV)."""
    return "'" + text if is_dangerous(text) else text


def plain(value):
    """A cell value reduced to str, int, float, Decimal, date, datetime or None.

    Lazy translations and choices become text in the active language; booleans become
    "Yes"/"No"; aware datetimes are converted to local time (spreadsheets have no zones).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple | set):
        return ", ".join(str(plain(v)) for v in value if v not in (None, ""))
    return str(value)


def _csv_cell(value, decimal_comma=True):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, float | Decimal) and decimal_comma:
        return str(value).replace(".", ",")  # French Excel reads "450,00" as a number
    return str(value)


def rows_of(items: Iterable, columns: list[Column]):
    """The header row then one row of plain values per item."""
    yield [str(c.header) for c in columns]
    for item in items:
        yield [plain(c.value(item)) for c in columns]


SEPARATORS = {";": ";", ",": ","}


def csv_separator(request):
    """The separator a download asks for (``?sep=,`` or ``?sep=;``), else the interface's:
    ``;`` with decimal commas in French (what Excel in French reads), ``,`` with decimal
    points in English."""
    default = "," if (getattr(request, "LANGUAGE_CODE", "") or "").startswith("en") else ";"
    return SEPARATORS.get(request.GET.get("sep", default), default)


def write_csv(rows, *, separator=";") -> bytes:
    """CSV bytes: UTF-8 with BOM, every text cell escaped. With ``;`` (the default, what
    Excel in French expects) decimals take a comma, "450,00"; with ``,`` a point."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(v, decimal_comma=separator == ";") for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sheet_title(name):
    """A valid worksheet name (at most 31 characters, none of []:*?/\\)."""
    title = _SHEET_FORBIDDEN.sub(" ", str(name)).strip().strip("'")[:31]
    return title or "Export"


def write_xlsx(rows, *, sheet, money_columns=()) -> bytes:
    """XLSX bytes: one named sheet, a bold header row, typed cells, text never a formula;
    numbers in ``money_columns`` (0-based) shown with two decimals."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = sheet_title(sheet)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
                cell.value = value
                # openpyxl turns any text starting with "=" into a formula: force text.
                cell.data_type = "s"
                if is_dangerous(value):
                    cell.quotePrefix = True
            else:
                cell.value = value
                if isinstance(value, datetime.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
                elif r > 1 and c - 1 in money_columns and isinstance(value, int | float |
                                                                     Decimal):
                    cell.number_format = MONEY_FORMAT
            if r == 1:
                cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_response(items, columns, fmt, *, name, sheet=None, separator=";"):
    """An attachment response with ``items`` as CSV or XLSX; 400 for another format.
    ``separator``: the CSV's (see ``csv_separator``)."""
    if fmt not in FORMATS:
        return HttpResponse(_("Unknown export format."), status=400,
                            content_type="text/plain; charset=utf-8")
    rows = rows_of(items, columns)
    if fmt == "csv":
        response = HttpResponse(write_csv(rows, separator=separator),
                                content_type=CSV_CONTENT_TYPE)
    else:
        money = {i for i, column in enumerate(columns) if column.money}
        response = HttpResponse(write_xlsx(rows, sheet=sheet or name, money_columns=money),
                                content_type=XLSX_CONTENT_TYPE)
    filename = f"{slugify(str(name)) or 'export'}-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
