"""Attachments: checked by content, stored under random names, visible only in scope."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from casework.attachments import services
from casework.attachments.models import Attachment
from casework.core.audit import AuditEntry
from casework.extensions import db
from tests.attachments.helpers import pdf_bytes, store_on_case, upload
from tests.conftest import Login
from tests.factories import (
    PASSWORD,
    BureauViewerFactory,
    CaseFactory,
    ServiceUserFactory,
    StationFactory,
    TutorFactory,
    WorkerFactory,
)

# --- minimal real files ------------------------------------------------------------------


def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, image_format)
    return buffer.getvalue()


def png_bytes() -> bytes:
    return image_bytes("PNG")


def jpeg_bytes() -> bytes:
    return image_bytes("JPEG")


# A fixed time stamp: the same document gives the same bytes however slow the test runs.
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def office_bytes(main_part: str, content_type: str, body: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            _entry("[Content_Types].xml"),
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{main_part}" ContentType="{content_type}"/>'
            "</Types>",
        )
        archive.writestr(
            _entry("_rels/.rels"),
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/officeDocument" Target="{main_part}"/>'
            "</Relationships>",
        )
        archive.writestr(_entry(main_part), body)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return office_bytes(
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>服务协议</w:t></w:r></w:p></w:body></w:document>",
    )


def xlsx_bytes() -> bytes:
    return office_bytes(
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheets/></workbook>",
    )


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


# --- helpers -----------------------------------------------------------------------------


def post_file(
    client: FlaskClient, url: str, content: bytes, filename: str, description: str = ""
) -> Any:
    return client.post(
        url,
        data={"file": (io.BytesIO(content), filename), "description": description},
        content_type="multipart/form-data",
    )


def download(client: FlaskClient, attachment_id: int) -> Any:
    """GET the attachment; buffered, so that the file is read and closed."""
    return client.get(f"/attachments/{attachment_id}", buffered=True)


def attachments() -> list[Attachment]:
    return list(db.session.scalars(db.select(Attachment)))


def audit_actions(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).filter_by(action=action)))


def files_in(folder: Path) -> list[Path]:
    return list(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def upload_folder(app: Flask) -> Path:
    return Path(app.config["UPLOAD_FOLDER"])


@pytest.fixture
def in_request(app: Flask) -> Iterator[None]:
    """A request context, so that refusal messages can be translated."""
    with app.test_request_context():
        yield


# --- storing: types by content, size, names ----------------------------------------------


@pytest.mark.parametrize(
    ("filename", "build", "content_type"),
    [
        ("协议.pdf", pdf_bytes, "application/pdf"),
        ("照片.png", png_bytes, "image/png"),
        ("照片.jpg", jpeg_bytes, "image/jpeg"),
        (
            "协议.docx",
            docx_bytes,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "台账.xlsx",
            xlsx_bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_allowed_type_is_stored_with_the_type_its_content_shows(
    app: Flask, filename: str, build: Callable[[], bytes], content_type: str
) -> None:
    attachment = store_on_case(CaseFactory(), build(), filename)
    assert attachment.content_type == content_type


@pytest.mark.usefixtures("in_request")
def test_executable_renamed_to_pdf_is_refused(app: Flask) -> None:
    with pytest.raises(services.AttachmentRejected, match="不支持的文件类型"):
        store_on_case(CaseFactory(), exe_bytes(), "协议.pdf")


@pytest.mark.usefixtures("in_request")
def test_html_named_png_is_refused(app: Flask) -> None:
    with pytest.raises(services.AttachmentRejected, match="不支持的文件类型"):
        store_on_case(CaseFactory(), HTML, "照片.png")


@pytest.mark.usefixtures("in_request")
def test_zip_without_office_content_types_is_refused(app: Flask) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(services.AttachmentRejected, match="不支持的文件类型"):
        store_on_case(CaseFactory(), buffer.getvalue(), "协议.docx")


def test_file_over_the_size_limit_is_refused(make_app: Callable[..., Flask]) -> None:
    with make_app(ATTACHMENT_MAX_BYTES=1024).test_request_context():
        case = CaseFactory()
        with pytest.raises(services.AttachmentRejected, match="文件过大"):
            store_on_case(case, pdf_bytes() + b"\n%" + b"x" * 2048)


@pytest.mark.usefixtures("in_request")
def test_empty_file_is_refused(app: Flask) -> None:
    with pytest.raises(services.AttachmentRejected, match="文件为空"):
        store_on_case(CaseFactory(), b"", "协议.pdf")


@pytest.mark.usefixtures("in_request")
def test_refused_file_leaves_nothing_in_the_upload_folder(app: Flask, upload_folder: Path) -> None:
    with pytest.raises(services.AttachmentRejected):
        store_on_case(CaseFactory(), exe_bytes(), "协议.pdf")
    assert files_in(upload_folder) == []


def test_stored_name_is_random_and_not_the_original(app: Flask) -> None:
    case = CaseFactory()
    first = store_on_case(case, filename="同意书.pdf")
    second = store_on_case(case, filename="同意书.pdf")
    assert re.fullmatch(r"[0-9a-f]{32}", first.stored_name)
    assert first.stored_name != second.stored_name
    assert first.original_name == "同意书.pdf"


def test_file_is_stored_in_the_upload_folder_not_under_static(
    app: Flask, upload_folder: Path
) -> None:
    attachment = store_on_case(CaseFactory())
    stored = (upload_folder / attachment.stored_name).resolve()
    assert stored.read_bytes() == pdf_bytes()
    assert app.static_folder is not None
    assert not stored.is_relative_to(Path(app.static_folder).resolve())


def test_original_name_loses_directories_and_gets_the_extension_of_its_content(
    app: Flask,
) -> None:
    attachment = store_on_case(CaseFactory(), png_bytes(), "..\\..\\scan\u202egnp.html")
    assert attachment.original_name == "scangnp.html.png"


def test_upload_folder_inside_static_is_refused(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    assert app.static_folder is not None
    app.config["UPLOAD_FOLDER"] = str(Path(app.static_folder) / "uploads")
    with app.app_context(), pytest.raises(RuntimeError):
        services.upload_folder()


# --- uploading through the pages ---------------------------------------------------------


def test_worker_uploads_to_their_case_and_returns_to_it(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    login(case.worker)
    response = post_file(client, f"/cases/{case.id}/attachments", pdf_bytes(), "协议.pdf", "签署版")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case.id}")
    assert [(a.case_id, a.description) for a in attachments()] == [(case.id, "签署版")]


def test_worker_uploads_to_a_person_of_their_unit(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory()
    login(WorkerFactory(unit=person.unit))
    response = post_file(client, f"/people/{person.id}/attachments", png_bytes(), "知情同意书.png")
    assert response.status_code == 302
    assert [a.service_user_id for a in attachments()] == [person.id]


def test_refused_upload_returns_to_the_case_with_the_reason(
    client: FlaskClient, login: Login
) -> None:
    case = CaseFactory()
    login(case.worker)
    response = post_file(client, f"/cases/{case.id}/attachments", exe_bytes(), "协议.pdf")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case.id}")
    with client.session_transaction() as session:
        messages = [message for _category, message in session["_flashes"]]
    assert any("不支持的文件类型" in message for message in messages)
    assert attachments() == []


def test_upload_without_a_file_returns_to_the_case(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    login(case.worker)
    response = client.post(f"/cases/{case.id}/attachments", data={"description": "无文件"})
    assert response.status_code == 302
    assert attachments() == []


def test_upload_is_audited_without_the_file_name(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    login(case.worker)
    post_file(client, f"/cases/{case.id}/attachments", pdf_bytes(), "张三同意书.pdf")
    [entry] = audit_actions("attachment.upload")
    assert (entry.actor_id, entry.unit_id, entry.object_id) == (
        case.worker_id,
        case.unit_id,
        attachments()[0].id,
    )
    assert "张三" not in str(entry.details)


def test_worker_of_another_station_gets_404_for_upload(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    login(WorkerFactory(unit=StationFactory()))
    response = post_file(client, f"/cases/{case.id}/attachments", pdf_bytes(), "协议.pdf")
    assert response.status_code == 404
    assert attachments() == []


def test_worker_of_another_station_gets_404_for_upload_to_a_person(
    client: FlaskClient, login: Login
) -> None:
    person = ServiceUserFactory()
    login(WorkerFactory(unit=StationFactory()))
    response = post_file(client, f"/people/{person.id}/attachments", pdf_bytes(), "协议.pdf")
    assert response.status_code == 404


def test_tutor_of_the_unit_may_not_upload(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    login(TutorFactory(supervised_units=[case.unit]))
    response = post_file(client, f"/cases/{case.id}/attachments", pdf_bytes(), "协议.pdf")
    assert response.status_code == 403
    assert attachments() == []


# --- downloading -------------------------------------------------------------------------


def test_worker_of_the_unit_downloads_the_stored_bytes(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    attachment = store_on_case(case, docx_bytes(), "服务协议.docx")
    login(WorkerFactory(unit=case.unit))
    response = download(client, attachment.id)
    assert response.status_code == 200
    assert response.data == docx_bytes()


def test_download_is_an_attachment_under_its_original_name(
    client: FlaskClient, login: Login
) -> None:
    case = CaseFactory()
    attachment = store_on_case(case, filename="同意书.pdf")
    login(case.worker)
    response = download(client, attachment.id)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert quote("同意书.pdf") in disposition
    assert response.mimetype == "application/pdf"


def test_download_is_not_cached_and_not_sniffed(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    attachment = store_on_case(case)
    login(case.worker)
    response = download(client, attachment.id)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_download_is_audited(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    attachment = store_on_case(case)
    login(case.worker)
    download(client, attachment.id)
    [entry] = audit_actions("attachment.download")
    assert (entry.actor_id, entry.object_id, entry.unit_id) == (
        case.worker_id,
        attachment.id,
        case.unit_id,
    )


def test_person_attachment_is_downloaded_by_a_worker_of_the_persons_unit(
    client: FlaskClient, login: Login
) -> None:
    person = ServiceUserFactory()
    worker = WorkerFactory(unit=person.unit)
    attachment = services.store_attachment(
        actor=worker, file_storage=upload(png_bytes(), "身份证.png"), person=person
    )
    db.session.commit()
    login(worker)
    assert download(client, attachment.id).data == png_bytes()


def test_worker_of_another_station_gets_404_for_download(client: FlaskClient, login: Login) -> None:
    attachment = store_on_case(CaseFactory())
    login(WorkerFactory(unit=StationFactory()))
    assert download(client, attachment.id).status_code == 404


def test_bureau_viewer_gets_404_for_download(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    attachment = store_on_case(case)
    login(BureauViewerFactory(unit=case.unit.parent.parent))
    assert download(client, attachment.id).status_code == 404


def test_tutor_of_the_unit_downloads(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    attachment = store_on_case(case)
    login(TutorFactory(supervised_units=[case.unit]))
    response = download(client, attachment.id)
    assert response.status_code == 200
    assert response.data == pdf_bytes()


def test_archived_attachment_answers_404(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    attachment = store_on_case(case)
    services.archive_attachment(actor=case.worker, attachment=attachment)
    db.session.commit()
    login(case.worker)
    assert download(client, attachment.id).status_code == 404


# --- the list on the case page ----------------------------------------------------------


def test_case_page_lists_the_attachment_with_upload_and_delete_for_the_worker(
    client: FlaskClient, login: Login
) -> None:
    case = CaseFactory()
    attachment = store_on_case(case, filename="服务协议.pdf")
    login(case.worker)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "服务协议.pdf" in page
    assert f'href="/attachments/{attachment.id}"' in page
    assert f'action="/attachments/{attachment.id}/archive"' in page
    assert f'action="/cases/{case.id}/attachments"' in page


def test_case_page_offers_the_tutor_download_only(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    attachment = store_on_case(case)
    login(TutorFactory(supervised_units=[case.unit]))
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'href="/attachments/{attachment.id}"' in page
    assert "/archive" not in page
    assert f'action="/cases/{case.id}/attachments"' not in page


def test_person_page_lists_the_persons_attachment(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory()
    worker = WorkerFactory(unit=person.unit)
    services.store_attachment(
        actor=worker, file_storage=upload(png_bytes(), "身份证复印件.png"), person=person
    )
    db.session.commit()
    login(worker)
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "身份证复印件.png" in page


# --- archiving ---------------------------------------------------------------------------


def test_worker_archives_an_attachment_of_their_case(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    attachment = store_on_case(case)
    login(case.worker)
    response = client.post(f"/attachments/{attachment.id}/archive")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case.id}")
    db.session.refresh(attachment)
    assert attachment.is_archived


def test_archiving_is_audited(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    attachment = store_on_case(case)
    login(case.worker)
    client.post(f"/attachments/{attachment.id}/archive")
    [entry] = audit_actions("attachment.archive")
    assert (entry.actor_id, entry.object_id) == (case.worker_id, attachment.id)


def test_tutor_may_not_archive(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    attachment = store_on_case(case)
    login(TutorFactory(supervised_units=[case.unit]))
    assert client.post(f"/attachments/{attachment.id}/archive").status_code == 403


def test_worker_of_another_station_gets_404_for_archive(client: FlaskClient, login: Login) -> None:
    attachment = store_on_case(CaseFactory())
    login(WorkerFactory(unit=StationFactory()))
    assert client.post(f"/attachments/{attachment.id}/archive").status_code == 404


def test_archive_without_csrf_token_is_refused(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        case = CaseFactory()
        username, attachment_id = case.worker.username, store_on_case(case).id
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token[1]})
    assert client.post(f"/attachments/{attachment_id}/archive").status_code == 400
