"""Building a pack: its PDF (contents, page numbers, bookmarks) and its ZIP of originals."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

from flask import Flask
from openpyxl import load_workbook

from casework.attachments import services as attachment_services
from casework.attachments.services import open_attachment
from casework.evidence import build
from casework.evidence.models import PackStatus
from casework.extensions import db
from tests.attachments.helpers import pdf_bytes, upload
from tests.evidence.conftest import Station, built, pdf_of, queue_pack, text_of


def _outline(reader: Any, items: Any, level: int = 1) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for item in items:
        if isinstance(item, list):
            found += _outline(reader, item, level + 1)
        else:
            found.append((level, str(item.title)))
    return found


def test_toc_lists_the_period_cases_and_nothing_else(app: Flask, evidence_station: Station) -> None:
    station = evidence_station
    pack = built(queue_pack(station.head, station.unit, station.period))
    assert pack.status is PackStatus.READY
    reader = pdf_of(pack)
    toc = reader.pages[1].extract_text()
    assert "目录" in toc
    assert station.case_in.number in toc
    assert station.case_after.number not in toc
    assert station.case_elsewhere.number not in toc


def test_pages_are_numbered_in_the_footer(app: Flask, evidence_station: Station) -> None:
    station = evidence_station
    pack = built(queue_pack(station.head, station.unit, station.period))
    reader = pdf_of(pack)
    pages = len(reader.pages)
    assert pack.page_count == pages
    assert f"第 1 页 / 共 {pages} 页" in reader.pages[0].extract_text()
    assert f"第 {pages} 页 / 共 {pages} 页" in reader.pages[-1].extract_text()


def test_each_section_and_case_file_has_a_bookmark(app: Flask, evidence_station: Station) -> None:
    station = evidence_station
    pack = built(queue_pack(station.head, station.unit, station.period))
    reader = pdf_of(pack)
    outline = _outline(reader, reader.outline)
    sections = [title for level, title in outline if level == 1]
    assert len(sections) == 9
    assert sections[1].endswith("个案清单")
    assert sections[2].endswith("个案档案")
    assert [title for level, title in outline if level == 2] == [station.case_in.number]
    assert pack.case_ids == [station.case_in.id]


def test_toc_page_numbers_point_at_the_sections(app: Flask, evidence_station: Station) -> None:
    station = evidence_station
    pack = built(queue_pack(station.head, station.unit, station.period))
    reader = pdf_of(pack)
    toc = reader.pages[1].extract_text()
    line = next(line for line in toc.splitlines() if "个案清单" in line)
    page = int(line.rsplit(".", 1)[-1].strip())
    assert "个案清单" in reader.pages[page - 1].extract_text()


def test_empty_sections_say_so(app: Flask, evidence_station: Station) -> None:
    station = evidence_station
    pack = built(queue_pack(station.head, station.unit, station.period))
    assert "本期无记录" in text_of(pdf_of(pack))


def test_zip_holds_every_attachment_of_the_period_and_no_other(
    app: Flask, evidence_station: Station
) -> None:
    station = evidence_station
    pack = built(queue_pack(station.head, station.unit, station.period))
    assert pack.zip_name is not None
    with zipfile.ZipFile(build.pack_path(pack.zip_name)) as archive:
        names = [name for name in archive.namelist() if not name.endswith(".xlsx")]
        stored = {name.rsplit("/", 1)[-1] for name in names}
        assert stored == {
            f"{station.case_file.id}-服务协议.pdf",
            f"{station.photo.id}-合影.png",
        }
        case_name = next(name for name in names if name.endswith("服务协议.pdf"))
        assert station.case_in.number in case_name
        assert archive.read(case_name) == open_attachment(station.case_file).read_bytes()


def test_zip_holds_the_files_of_the_period_cases_people_beside_their_case(
    app: Flask, evidence_station: Station
) -> None:
    station = evidence_station
    own = attachment_services.store_attachment(
        actor=station.worker,
        file_storage=upload(pdf_bytes(), "低保证明.pdf"),
        person=station.case_in.service_user,
    )
    attachment_services.store_attachment(
        actor=station.case_elsewhere.worker,
        file_storage=upload(pdf_bytes(), "别处的证明.pdf"),
        person=station.case_elsewhere.service_user,
    )
    db.session.commit()
    pack = built(queue_pack(station.head, station.unit, station.period))
    assert pack.zip_name is not None
    with zipfile.ZipFile(build.pack_path(pack.zip_name)) as archive:
        people = [name for name in archive.namelist() if "证明" in name]
    assert [name.split("/")[-2:] for name in people] == [
        [station.case_in.number, f"{own.id}-低保证明.pdf"]
    ]


def test_index_lists_each_file_with_its_sha256(app: Flask, evidence_station: Station) -> None:
    station = evidence_station
    pack = built(queue_pack(station.head, station.unit, station.period))
    assert pack.zip_name is not None
    with zipfile.ZipFile(build.pack_path(pack.zip_name)) as archive:
        index_name = next(name for name in archive.namelist() if name.endswith(".xlsx"))
        workbook = load_workbook(io.BytesIO(archive.read(index_name)))
        files = list(workbook["附件清单"].iter_rows(min_row=2, values_only=True))
        for _section, _record, _original, inner, size, digest in files:
            content = archive.read(inner)
            assert digest == hashlib.sha256(content).hexdigest()
            assert size == len(content)
        assert sorted(row[2] for row in files) == ["合影.png", "服务协议.pdf"]
        contents = [row[1] for row in workbook["PDF 目录"].iter_rows(min_row=2, values_only=True)]
        assert station.case_in.number in contents
