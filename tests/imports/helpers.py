"""Building and uploading lists in the import tests."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from flask.testing import FlaskClient

from casework.imports import samples, workbooks
from casework.imports.models import ImportKind

TODAY = date(2026, 11, 1)


def csv_bytes(kind: ImportKind, rows: list[dict[str, str]], encoding: str = "utf-8-sig") -> bytes:
    text = workbooks.to_csv(kind, [samples.as_row(kind, row) for row in rows]).decode("utf-8-sig")
    return text.encode(encoding)


def xlsx_bytes(kind: ImportKind, rows: list[dict[str, str]]) -> bytes:
    return workbooks.to_xlsx(kind, [samples.as_row(kind, row) for row in rows])


def upload(
    client: FlaskClient,
    kind: ImportKind,
    content: bytes,
    name: str = "名单.csv",
    **fields: Any,
) -> Any:
    data: dict[str, Any] = {"kind": kind.value, "file": (io.BytesIO(content), name)}
    if kind is ImportKind.SERVICE_USERS:
        data |= {"consent_basis": "written", "consent_given_on": "2026-11-01"}
    data |= fields
    return client.post("/imports/new", data=data, content_type="multipart/form-data")


def run_id_of(response: Any) -> int:
    """The import id from the redirect to its preview."""
    match = re.search(r"/imports/(\d+)/preview", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


def volunteer(name: str, **values: str) -> dict[str, str]:
    return {"name": name, "category": "社区居民", **values}


def person(name: str, born: date, serial: int, **values: str) -> dict[str, str]:
    return {
        "name": name,
        "id_number": samples.fictitious_id_number(born, serial),
        "phone": "13912345678",
        **values,
    }


def staff(name: str, number: str, **values: str) -> dict[str, str]:
    return {
        "name": name,
        "certificate_level": "助理社会工作师",
        "certificate_number": number,
        "obtained_on": "2020-06-20",
        **values,
    }
