"""Regenerate the sample import lists in casework/fixtures/imports (deterministic).

    .venv/bin/python scripts/make_import_samples.py

The clean lists import without a problem into the demo data (``flask casework seed-demo``)
as ``head1`` (station CC-CQ-HX); the faulty ones show every kind of problem in the preview.
ID numbers use a region code no county has (229901): valid check characters, nobody's number.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casework.imports import samples, workbooks
from casework.imports.models import ImportKind

FOLDER = Path(__file__).resolve().parent.parent / "casework" / "fixtures" / "imports"
STATION = "CC-CQ-HX"  # head1's station in the demo data
OTHER_STATION = "CC-CQ-XJ"


def _staff_errors() -> list[list[str]]:
    good = samples.staff_rows(4, unit_code=STATION, seed=11)
    first = next(samples.rows_as_dicts(ImportKind.STAFF, good[:1]))
    bad = [
        {**first, "name": ""},  # 必填项为空
        {
            **first,
            "name": "错号码",
            "id_number": "229901199001011235",  # wrong check character
            "certificate_number": "YB-E1",
        },
        {
            **first,
            "name": "错日期",
            "id_number": "",
            "employed_since": "2019-13-45",
            "certificate_number": "YB-E2",
        },
        {
            **first,
            "name": "错单位",
            "id_number": "",
            "unit_code": "CC-XX-00",
            "certificate_number": "YB-E3",
        },
        {
            **first,
            "name": "别站",
            "id_number": "",
            "unit_code": OTHER_STATION,
            "certificate_number": "YB-E4",
        },
        {
            **first,
            "name": "错等级",
            "id_number": "",
            "certificate_level": "特级社会工作师",
            "certificate_number": "YB-E5",
        },
        {**first, "name": "缺证号", "id_number": "", "certificate_number": ""},
        {
            **first,
            "name": "错电话",
            "id_number": "",
            "phone": "12ab",
            "certificate_number": "YB-E6",
        },
        # The same ID and certificate number as the first good row: duplicates within the file.
        {**first, "name": "重复行"},
    ]
    return good + [samples.as_row(ImportKind.STAFF, values) for values in bad]


def _volunteer_errors() -> list[list[str]]:
    good = samples.volunteer_rows(4, unit_code=STATION, seed=12)
    first = next(samples.rows_as_dicts(ImportKind.VOLUNTEERS, good[:1]))
    bad = [
        {**first, "name": "", "phone": "13900000001"},
        {**first, "name": "缺类别", "phone": "13900000002", "category": ""},
        {**first, "name": "错类别", "phone": "13900000003", "category": "热心人"},
        {**first, "name": "错电话", "phone": "电话待补"},
        {**first, "name": "错单位", "phone": "13900000004", "unit_code": "CC-XX-00"},
        # A demo volunteer of station 1, given without a phone: a duplicate of an existing one.
        {**first, "name": "孙立新", "phone": ""},
        dict(first),  # the first row again
    ]
    return good + [samples.as_row(ImportKind.VOLUNTEERS, values) for values in bad]


def _service_user_errors() -> list[list[str]]:
    good = samples.service_user_rows(4, unit_code=STATION, seed=13)
    first = next(samples.rows_as_dicts(ImportKind.SERVICE_USERS, good[:1]))
    bad = [
        {**first, "name": "", "id_number": ""},
        {**first, "name": "错号码", "id_number": "229901195603140010"},
        {**first, "name": "错日期", "id_number": "", "birth_date": "1956-02-30"},
        {**first, "name": "日期不符", "birth_date": "1960-01-01"},
        {**first, "name": "错电话", "id_number": "", "phone": "123"},
        {**first, "name": "错单位", "id_number": "", "unit_code": "CC-XX-00"},
        # A demo service user of station 1 (same name and date of birth).
        {**first, "name": "刘淑珍", "id_number": "", "birth_date": "1941-03-12"},
        {**first, "name": "同号码"},  # the first row's ID number again
    ]
    return good + [samples.as_row(ImportKind.SERVICE_USERS, values) for values in bad]


def build() -> dict[str, bytes]:
    """File name → content of every sample."""
    xlsx = workbooks.to_xlsx
    return {
        "staff_clean.xlsx": samples.deterministic_xlsx(
            xlsx(ImportKind.STAFF, samples.staff_rows(12, unit_code=STATION, seed=1))
        ),
        "staff_errors.xlsx": samples.deterministic_xlsx(xlsx(ImportKind.STAFF, _staff_errors())),
        "volunteers_clean.csv": workbooks.to_csv(
            ImportKind.VOLUNTEERS, samples.volunteer_rows(10, unit_code=STATION, seed=2)
        ),
        # Saved as Chinese Excel saves "CSV": GB18030, no byte-order mark.
        "volunteers_errors.csv": workbooks.to_csv(ImportKind.VOLUNTEERS, _volunteer_errors())
        .decode("utf-8-sig")
        .encode("gb18030"),
        "service_users_clean.xlsx": samples.deterministic_xlsx(
            xlsx(ImportKind.SERVICE_USERS, samples.service_user_rows(10, unit_code=STATION, seed=3))
        ),
        "service_users_errors.xlsx": samples.deterministic_xlsx(
            xlsx(ImportKind.SERVICE_USERS, _service_user_errors())
        ),
    }


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, content in build().items():
        (FOLDER / name).write_bytes(content)
        print(f"wrote {FOLDER / name}")


if __name__ == "__main__":
    main()
