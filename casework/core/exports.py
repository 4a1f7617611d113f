"""Tables for download: CSV (UTF-8 with BOM, for Excel on Chinese Windows) and XLSX.

Every text cell is neutralised against formula injection (OWASP "CSV injection"): in CSV
a cell beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
single quote; in XLSX every text is written as an inline string, never as a formula, and
a dangerous one is marked "quote prefix" so Excel keeps it as text even when edited.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import Response, abort
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from casework.core.clock import local_today

Cell = str | int | float | date | None

FORMATS = ("csv", "xlsx")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BOM = "\ufeff"
# What spreadsheet programs read as the start of a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters that XML 1.0, and so XLSX, cannot hold at all.
ILLEGAL_XML_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_COLUMN_WIDTH = 60


@dataclass
class Table:
    """A header row and data rows: what every export is built as, before its format."""

    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    title: str = ""

    def add(self, row: Sequence[Cell]) -> None:
        self.rows.append(list(row))


def table(headers: Iterable[Any], title: Any = "") -> Table:
    """A new table; lazy (translated) headers and title become plain strings now."""
    return Table(headers=[str(header) for header in headers], title=str(title))


def is_dangerous(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """``=1+1`` → ``'=1+1``: a spreadsheet shows it as text instead of computing it."""
    return "'" + text if is_dangerous(text) else text


def _clean(text: str) -> str:
    """Without the control characters XLSX cannot hold, so both formats carry the same text."""
    return ILLEGAL_XML_CHARACTERS.sub("", text)


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(_clean(value))
    return str(value)


def to_csv(data: Table) -> bytes:
    """The table as CSV in UTF-8 with a byte-order mark, lines ending in CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_text(header) for header in data.headers])
    for row in data.rows:
        writer.writerow([_csv_text(value) for value in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _display_width(value: Cell) -> int:
    text = _csv_text(value)
    # CJK characters take two columns in a spreadsheet's default font.
    return sum(2 if ord(character) > 0x2E80 else 1 for character in text)


def _sheet_title(title: str) -> str:
    cleaned = SHEET_TITLE_FORBIDDEN.sub(" ", title).strip()[:31]
    return cleaned or "Sheet1"


def _write_cell(sheet: Any, row: int, column: int, value: Cell, *, bold: bool = False) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        text = _clean(value)
        # Assigning a str that starts with "=" makes openpyxl write a formula; setting the
        # type afterwards makes it an inline string whatever the text begins with.
        cell.value = text
        cell.data_type = "s"
        if is_dangerous(text):
            cell.quotePrefix = True
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = value
    if bold:
        cell.font = Font(bold=True)


def to_xlsx(data: Table) -> bytes:
    """The table as a one-sheet XLSX workbook with a bold, frozen header row."""
    return to_xlsx_sheets([data])


def to_xlsx_sheets(tables: Sequence[Table]) -> bytes:
    """One sheet per table (named by its title), each with a bold, frozen header row."""
    workbook = Workbook()
    for index, data in enumerate(tables):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = _sheet_title(data.title)
        _fill_sheet(sheet, data)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_sheet(sheet: Any, data: Table) -> None:
    widths = [_display_width(header) for header in data.headers]
    for column, header in enumerate(data.headers, start=1):
        _write_cell(sheet, 1, column, header, bold=True)
    for row_number, row in enumerate(data.rows, start=2):
        for column, value in enumerate(row, start=1):
            _write_cell(sheet, row_number, column, value)
            if column <= len(widths):
                widths[column - 1] = max(widths[column - 1], _display_width(value))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"


def export_format(value: str | None) -> str:
    """The requested format, ``csv`` or ``xlsx``; anything else is a bad request."""
    if value not in FORMATS:
        abort(400)
    return value


def file_name(name: str, fmt: str) -> str:
    """``cases-2026-11-29.csv``: what and when, never whom."""
    return f"{name}-{local_today().isoformat()}.{fmt}"


def send_export(data: Table, name: str, fmt: str) -> Response:
    """The download: the file as an attachment that no cache may keep."""
    body = to_csv(data) if export_format(fmt) == "csv" else to_xlsx(data)
    response = Response(body, content_type=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name(name, fmt)}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
