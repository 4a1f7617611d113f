"""The export formats: CSV with a BOM for Excel, XLSX that holds text as text."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from flask import Flask
from openpyxl import load_workbook
from werkzeug.exceptions import BadRequest

from casework.core.exports import (
    Table,
    export_format,
    neutralise,
    send_export,
    table,
    to_csv,
    to_xlsx,
)

DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://example.com","点击")',
    "+86",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
]


def _sample() -> Table:
    data = table(["姓名", "开案日期", "人数", "时长"], title="个案")
    data.add(["王秀英", date(2026, 11, 29), 3, 1.5])
    data.add(["=1+1", None, 0, 2.5])
    return data


def _csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx_rows(body: bytes) -> list[list[str]]:
    """Cell values as the CSV writes them, to compare the two formats."""

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.date().isoformat()
        return str(value)

    sheet = load_workbook(io.BytesIO(body)).active
    return [[text(cell.value) for cell in row] for row in sheet.iter_rows()]


def test_csv_starts_with_a_bom_and_is_utf8_with_chinese_headers() -> None:
    body = to_csv(_sample())
    assert body.startswith(b"\xef\xbb\xbf")
    assert body[3:].decode("utf-8").splitlines()[0] == "姓名,开案日期,人数,时长"


def test_csv_writes_dates_as_iso_dates() -> None:
    assert _csv_rows(to_csv(_sample()))[1] == ["王秀英", "2026-11-29", "3", "1.5"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_neutralise_prefixes_what_a_spreadsheet_would_compute(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["王秀英", "2026-11-29", "a=b", "", "'quoted"])
def test_neutralise_leaves_ordinary_text_alone(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_cells_that_look_like_formulas_are_neutralised(text: str) -> None:
    data = table(["内容"])
    data.add([text])
    assert _csv_rows(to_csv(data))[1] == ["'" + text]


@pytest.mark.parametrize("text", DANGEROUS)
def test_xlsx_cells_that_look_like_formulas_stay_text(text: str) -> None:
    data = table(["内容"])
    data.add([text])
    cell = load_workbook(io.BytesIO(to_xlsx(data))).active["A2"]
    assert cell.data_type != "f"
    assert cell.data_type == "s"
    assert cell.value == text.replace("\r", "\n")  # XML reads every line end as \n
    assert cell.quotePrefix  # Excel keeps it as text even when the cell is edited


def test_xlsx_has_the_same_rows_as_the_csv() -> None:
    data = _sample()
    assert _xlsx_rows(to_xlsx(data)) == [
        [value.lstrip("'") for value in row] for row in _csv_rows(to_csv(data))
    ]


def test_xlsx_keeps_dates_and_numbers_as_such() -> None:
    sheet = load_workbook(io.BytesIO(to_xlsx(_sample()))).active
    assert sheet["B2"].value.date() == date(2026, 11, 29)
    assert sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet["C2"].value == 3
    assert sheet.title == "个案"


def test_both_formats_drop_control_characters_xlsx_cannot_hold() -> None:
    data = table(["内容"])
    data.add(["a\x01b\x1fc"])
    assert _csv_rows(to_csv(data))[1] == ["abc"]
    assert _xlsx_rows(to_xlsx(data))[1] == ["abc"]


def test_an_unknown_format_is_a_bad_request() -> None:
    with pytest.raises(BadRequest):
        export_format("pdf")


def test_the_download_is_an_attachment_named_by_date_that_no_cache_keeps(app: Flask) -> None:
    with app.test_request_context():
        response = send_export(_sample(), "cases", "xlsx")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="cases-')
    assert disposition.endswith('.xlsx"')
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype.endswith("spreadsheetml.sheet")
