"""The downloadable templates: an XLSX with a sheet explaining each column, and a CSV."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from casework.core import exports
from casework.imports.columns import COLUMNS
from casework.imports.models import ImportKind

# Sheet titles are part of the file, like the headers (Chinese in every locale).
SHEET_TITLES = {
    ImportKind.STAFF: "社工人员及证书",
    ImportKind.VOLUNTEERS: "志愿者",
    ImportKind.SERVICE_USERS: "服务对象",
}
FILE_NAMES = {
    ImportKind.STAFF: "staff",
    ImportKind.VOLUNTEERS: "volunteers",
    ImportKind.SERVICE_USERS: "service-users",
}
NOTES_TITLE = "填写说明"
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
# Rows formatted as text, so that Excel keeps ID numbers and phone numbers as typed.
TEXT_ROWS = 2000
TEXT_COLUMNS = frozenset({"id_number", "phone", "certificate_number", "registration_number"})


def _width(text: str) -> int:
    return sum(2 if ord(character) > 0x2E80 else 1 for character in text) + 4


def to_xlsx(kind: ImportKind, rows: Sequence[Sequence[str]] = ()) -> bytes:
    """The list's workbook: headers (required ones shaded), ``rows``, and the notes sheet."""
    columns = COLUMNS[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLES[kind]
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = REQUIRED_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(_width(column.header), 14)
    for row_number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=index, value=value)
            cell.data_type = "s"
            cell.number_format = "@"
    for index, column in enumerate(columns, start=1):
        if column.key not in TEXT_COLUMNS:
            continue
        for row_number in range(len(rows) + 2, max(TEXT_ROWS, len(rows) + 2)):
            sheet.cell(row=row_number, column=index).number_format = "@"
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(NOTES_TITLE)
    for index, header in enumerate(("列名", "是否必填", "填写说明", "示例"), start=1):
        notes.cell(row=1, column=index, value=header).font = Font(bold=True)
    for row_number, column in enumerate(columns, start=2):
        notes.cell(row=row_number, column=1, value=column.header)
        notes.cell(row=row_number, column=2, value="必填" if column.required else "选填")
        notes.cell(row=row_number, column=3, value=column.note)
        notes.cell(row=row_number, column=4, value=column.example).data_type = "s"
    general = len(columns) + 3
    notes.cell(row=general, column=1, value="说明").font = Font(bold=True)
    notes.cell(
        row=general,
        column=3,
        value="请在第一个工作表中从第 2 行起每行填写一人，不要修改第 1 行的列名；"
        "黄色底色的列为必填。日期写作 2020-03-01。也可另存为 CSV（UTF-8 或 GB18030 编码）上传。",
    )
    for letter, width in (("A", 18), ("B", 10), ("C", 80), ("D", 20)):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(kind: ImportKind, rows: Sequence[Sequence[str]] = ()) -> bytes:
    """The list as CSV in UTF-8 with a byte-order mark (what Excel on Chinese Windows opens)."""
    data = exports.Table(headers=[column.header for column in COLUMNS[kind]])
    for row in rows:
        data.add(list(row))
    return exports.to_csv(data)
