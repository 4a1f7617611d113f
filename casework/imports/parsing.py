"""Reading an uploaded list: XLSX (openpyxl, read-only) or CSV (UTF-8, GB18030, UTF-16).

The file is judged by its content, not by what the browser claims; cell values are turned
into stripped strings or dates and matched to columns by their Chinese headers.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

from casework.core.i18n import listing
from casework.imports.columns import COLUMNS, Column
from casework.imports.models import ImportKind

Value = str | date

XLSX_MAIN_PART = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CONTENT_TYPES_MAX_BYTES = 256 * 1024
# A header may sit below a title line or two; look this far for it.
HEADER_SEARCH_ROWS = 10
# Marks people add to required headers, and invisible characters spreadsheets leave behind.
HEADER_DECORATION = re.compile(r"[\s*＊]|（必填）|\(必填\)")
INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u00a0\u3000]")


class ImportFileRejected(Exception):
    """The file cannot be read as a list of this kind; ``message`` says why."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class SheetRow:
    """One data row: its row number in the spreadsheet and its cells by column key."""

    number: int
    cells: dict[str, Value]


UNSUPPORTED = _l("只能导入 Excel（.xlsx）或 CSV 文件。请使用下载的模板。")


def file_format(path: Path, original_name: str) -> str:
    """``xlsx`` or ``csv``, judged by content and name together; anything else is refused."""
    name = original_name.lower()
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileRejected(
            _l("这是旧版 Excel（.xls）文件。请在 Excel 中“另存为” .xlsx 或 CSV 后再上传。")
        )
    if head.startswith(b"PK\x03\x04"):
        if name.endswith(".xlsx") and _is_xlsx(path):
            return "xlsx"
        raise ImportFileRejected(UNSUPPORTED)
    if head.startswith((b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise ImportFileRejected(UNSUPPORTED)
    if name.endswith((".csv", ".txt")):
        return "csv"
    raise ImportFileRejected(UNSUPPORTED)


def _is_xlsx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive, archive.open("[Content_Types].xml") as member:
            return XLSX_MAIN_PART in member.read(CONTENT_TYPES_MAX_BYTES)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return False


def read_rows(path: Path, fmt: str, kind: ImportKind, *, max_rows: int) -> list[SheetRow]:
    """Every non-empty data row of the file, matched to the columns of ``kind``."""
    lines = _xlsx_lines(path) if fmt == "xlsx" else _csv_lines(path)
    try:
        return _rows(lines, COLUMNS[kind], max_rows)
    finally:
        if hasattr(lines, "close"):
            lines.close()


def _xlsx_lines(path: Path) -> Iterator[Sequence[Any]]:
    from openpyxl import load_workbook

    # A file object: openpyxl refuses a path whose name lacks .xlsx, as stored names do.
    with path.open("rb") as handle:
        try:
            with warnings.catch_warnings():
                # Files saved by Excel or WPS carry extensions openpyxl warns about and ignores.
                warnings.simplefilter("ignore")
                workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # any damage means the same to the user
            raise ImportFileRejected(_l("无法读取这个 Excel 文件，文件可能已损坏。")) from error
        try:
            if not workbook.worksheets:
                raise ImportFileRejected(_l("这个 Excel 文件中没有工作表。"))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield from workbook.worksheets[0].iter_rows(values_only=True)
        finally:
            workbook.close()


def decode_csv(data: bytes) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 (Chinese Excel's "CSV")."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ImportFileRejected(_l("无法识别 CSV 文件的编码。请保存为 UTF-8 或 GB18030 编码的 CSV。"))


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", "\t", ";")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _csv_lines(path: Path) -> Iterator[Sequence[Any]]:
    text = decode_csv(path.read_bytes())
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    except csv.Error as error:
        raise ImportFileRejected(_l("CSV 文件格式有误，无法读取。")) from error


def header_key(text: str) -> str:
    return HEADER_DECORATION.sub("", INVISIBLE.sub("", text))


def _header_map(line: Sequence[Any], columns: Sequence[Column]) -> dict[int, str]:
    by_header = {column.header: column.key for column in columns}
    mapping: dict[int, str] = {}
    for index, cell in enumerate(line):
        key = by_header.get(header_key(str(cell))) if cell is not None else None
        if key is not None and key not in mapping.values():
            mapping[index] = key
    return mapping


def cell_value(raw: Any) -> Value:
    """A cell as a stripped string, or a date; numbers lose a meaningless ``.0``."""
    if raw is None:
        return ""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, time):
        return raw.isoformat()
    return INVISIBLE.sub(" ", str(raw)).strip()


def _rows(
    lines: Iterable[Sequence[Any]], columns: Sequence[Column], max_rows: int
) -> list[SheetRow]:
    mapping: dict[int, str] = {}
    rows: list[SheetRow] = []
    for number, line in enumerate(lines, start=1):
        if not mapping:
            if number > HEADER_SEARCH_ROWS:
                break
            mapping = _header_map(line, columns)
            continue
        cells = {
            key: cell_value(line[index]) for index, key in mapping.items() if index < len(line)
        }
        if not any(value != "" for value in cells.values()):
            continue
        if len(rows) >= max_rows:
            raise ImportFileRejected(
                _l("文件超过 %(limit)d 行。请分成几个文件分别导入。", limit=max_rows)
            )
        rows.append(SheetRow(number=number, cells=cells))
    missing = [
        column.header
        for column in columns
        if column.required and column.key not in mapping.values()
    ]
    if not mapping or missing:
        names = listing(missing or [column.header for column in columns if column.required])
        raise ImportFileRejected(
            _l(
                "文件缺少必填的列：%(columns)s。请使用下载的模板，不要修改第一行的列名。",
                columns=names,
            )
        )
    return rows
