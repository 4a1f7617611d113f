"""Documents of a project: checked by content, read by the project's readers only."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.core.audit import AuditEntry
from casework.extensions import db
from casework.projects.models import Project, ProjectDocument
from tests.attachments.helpers import pdf_bytes
from tests.conftest import Login
from tests.factories import ProjectFactory, TutorFactory
from tests.projects.conftest import Setting


def _upload(client: FlaskClient, project: Project, content: bytes, name: str) -> int:
    response = client.post(
        f"/projects/{project.id}/documents",
        data={"file": (io.BytesIO(content), name), "description": "服务合同"},
        content_type="multipart/form-data",
    )
    return response.status_code


def test_the_bureau_uploads_the_contract_and_a_covered_head_downloads_it(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(agency=setting.agency, units=[setting.station])
    login(setting.viewer)
    assert _upload(client, project, pdf_bytes(), "合同.pdf") == 302
    document = db.session.scalars(select(ProjectDocument)).one()
    assert document.content_type == "application/pdf"
    client.post("/logout")
    login(setting.head)
    assert "合同.pdf" in client.get(f"/projects/{project.id}").get_data(as_text=True)
    with client.get(f"/projects/{project.id}/documents/{document.id}") as response:
        assert response.status_code == 200
        assert response.data == pdf_bytes()
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_type == "project_documents")
    )
    assert sorted(actions) == ["project.document_add", "project.document_download"]


def test_a_file_that_is_not_a_document_is_refused(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(agency=setting.agency)
    login(setting.viewer)
    assert _upload(client, project, b"MZ\x90\x00 not a document", "setup.pdf") == 422
    assert db.session.scalars(select(ProjectDocument)).first() is None


def test_a_refused_upload_keeps_the_description_beside_the_message(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(agency=setting.agency)
    login(setting.viewer)
    response = client.post(
        f"/projects/{project.id}/documents",
        data={
            "file": (io.BytesIO(b"MZ\x90\x00 not a document"), "setup.pdf"),
            "description": "第二期服务合同扫描件",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "不支持的文件类型" in page
    assert 'value="第二期服务合同扫描件"' in page


def test_outsiders_do_not_find_a_document(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(agency=setting.agency, units=[setting.station])
    login(setting.viewer)
    _upload(client, project, pdf_bytes(), "合同.pdf")
    document = db.session.scalars(select(ProjectDocument)).one()
    client.post("/logout")
    login(TutorFactory(unit=setting.station, supervised_units=[setting.station]))
    assert client.get(f"/projects/{project.id}/documents/{document.id}").status_code == 404


def test_a_document_of_another_project_is_not_found(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(agency=setting.agency)
    other = ProjectFactory(agency=setting.agency)
    login(setting.viewer)
    _upload(client, other, pdf_bytes(), "合同.pdf")
    document = db.session.scalars(select(ProjectDocument)).one()
    assert client.get(f"/projects/{project.id}/documents/{document.id}").status_code == 404


def test_readers_may_not_upload_or_remove(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(agency=setting.agency, units=[setting.station])
    login(setting.viewer)
    _upload(client, project, pdf_bytes(), "合同.pdf")
    document = db.session.scalars(select(ProjectDocument)).one()
    client.post("/logout")
    login(setting.head)
    assert _upload(client, project, pdf_bytes(), "方案.pdf") == 403
    archive = f"/projects/{project.id}/documents/{document.id}/archive"
    assert client.post(archive).status_code == 403


def test_a_removed_document_is_no_longer_listed_or_served(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(agency=setting.agency)
    login(setting.viewer)
    _upload(client, project, pdf_bytes(), "合同.pdf")
    document = db.session.scalars(select(ProjectDocument)).one()
    assert client.post(f"/projects/{project.id}/documents/{document.id}/archive").status_code == 302
    assert "合同.pdf" not in client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert client.get(f"/projects/{project.id}/documents/{document.id}").status_code == 404
