"""The downloadable templates of each list."""

from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from casework.imports.columns import COLUMNS
from casework.imports.models import ImportKind
from tests.conftest import Login
from tests.factories import StationHeadFactory


@pytest.mark.parametrize("kind", list(ImportKind))
def test_xlsx_template_has_chinese_headers_and_a_notes_sheet(
    client: FlaskClient, login: Login, kind: ImportKind
) -> None:
    login(StationHeadFactory())
    response = client.get(f"/imports/template/{kind.value}.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    headers = next(workbook.worksheets[0].iter_rows(max_row=1, values_only=True))
    assert list(headers) == [column.header for column in COLUMNS[kind]]
    notes = [row[0] for row in workbook["填写说明"].iter_rows(min_row=2, values_only=True)]
    assert "姓名" in notes
    workbook.close()


@pytest.mark.parametrize("kind", list(ImportKind))
def test_csv_template_is_utf8_with_bom(client: FlaskClient, login: Login, kind: ImportKind) -> None:
    login(StationHeadFactory())
    response = client.get(f"/imports/template/{kind.value}.csv")
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    header = response.data.decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == [column.header for column in COLUMNS[kind]]


def test_unknown_template_is_404(client: FlaskClient, login: Login) -> None:
    login(StationHeadFactory())
    assert client.get("/imports/template/cases.xlsx").status_code == 404
    assert client.get("/imports/template/staff.pdf").status_code == 404
