"""Who may import, and whose pending imports one may open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from casework.extensions import db
from casework.imports.models import ImportKind, ImportRun
from casework.volunteers.models import Volunteer
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)
from tests.imports.helpers import csv_bytes, run_id_of, upload, volunteer

NOT_ALLOWED: dict[str, Callable[[], Any]] = {
    "social_worker": WorkerFactory,
    "tutor": TutorFactory,
    "bureau_viewer": BureauViewerFactory,
}


@pytest.mark.parametrize("role", NOT_ALLOWED)
@pytest.mark.parametrize("path", ["/imports/", "/imports/new", "/imports/template/volunteers.xlsx"])
def test_roles_without_imports_get_403(
    client: FlaskClient, login: Login, role: str, path: str
) -> None:
    login(NOT_ALLOWED[role]())
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", NOT_ALLOWED)
def test_roles_without_imports_cannot_upload(client: FlaskClient, login: Login, role: str) -> None:
    login(NOT_ALLOWED[role]())
    content = csv_bytes(ImportKind.VOLUNTEERS, [volunteer("甲")])
    assert upload(client, ImportKind.VOLUNTEERS, content).status_code == 403
    assert db.session.scalar(select(func.count(ImportRun.id))) == 0


def _pending_import_of(make_app: Callable[..., Any], head: Any) -> int:
    uploader = make_app().test_client()
    uploader.post("/login", data={"username": head.username, "password": "correct-horse-battery"})
    content = csv_bytes(ImportKind.VOLUNTEERS, [volunteer("甲")])
    return run_id_of(upload(uploader, ImportKind.VOLUNTEERS, content))


def test_head_of_another_station_gets_404(
    client: FlaskClient, login: Login, make_app: Callable[..., Any]
) -> None:
    run_id = _pending_import_of(make_app, StationHeadFactory())
    login(StationHeadFactory(unit=StationFactory()))
    assert client.get(f"/imports/{run_id}/preview").status_code == 404
    assert client.get(f"/imports/{run_id}").status_code == 404
    assert client.post(f"/imports/{run_id}/confirm").status_code == 404
    assert client.post(f"/imports/{run_id}/cancel").status_code == 404
    assert db.session.scalar(select(func.count(Volunteer.id))) == 0


def test_a_pending_import_belongs_to_its_uploader_alone(
    client: FlaskClient, login: Login, make_app: Callable[..., Any]
) -> None:
    first = StationHeadFactory()
    run_id = _pending_import_of(make_app, first)
    login(StationHeadFactory(unit=first.unit))
    assert client.get(f"/imports/{run_id}/preview").status_code == 404
    assert client.post(f"/imports/{run_id}/confirm").status_code == 404
    assert client.get(f"/imports/{run_id}").status_code == 200  # the history is the unit's


def test_history_lists_only_the_own_units_imports(
    client: FlaskClient, login: Login, make_app: Callable[..., Any]
) -> None:
    _pending_import_of(make_app, StationHeadFactory())
    head = StationHeadFactory(unit=StationFactory())
    login(head)
    page = client.get("/imports/").get_data(as_text=True)
    assert "还没有导入记录" in page


def test_a_head_cannot_import_into_another_unit(client: FlaskClient, login: Login) -> None:
    other = StationFactory()
    login(StationHeadFactory())
    content = csv_bytes(ImportKind.VOLUNTEERS, [volunteer("甲", unit_code=other.code)])
    forged = upload(client, ImportKind.VOLUNTEERS, content, unit_id=str(other.id))
    assert forged.status_code == 422
    run_id = run_id_of(upload(client, ImportKind.VOLUNTEERS, content))
    page = client.get(f"/imports/{run_id}/preview").get_data(as_text=True)
    assert "不能导入到该单位" in page
    run = db.session.get(ImportRun, run_id)
    assert run is not None
    assert run.unit_id != other.id


def test_admin_imports_into_the_units_the_file_names(client: FlaskClient, login: Login) -> None:
    first, second = StationFactory(), StationFactory()
    login(AdminFactory())
    rows = [volunteer("甲", unit_code=first.code), volunteer("乙", unit_code=second.code)]
    run_id = run_id_of(
        upload(client, ImportKind.VOLUNTEERS, csv_bytes(ImportKind.VOLUNTEERS, rows))
    )
    client.post(f"/imports/{run_id}/confirm")
    rows_written = db.session.execute(select(Volunteer.name, Volunteer.unit_id)).all()
    assert sorted((name, unit_id) for name, unit_id in rows_written) == sorted(
        [("甲", first.id), ("乙", second.id)]
    )


def test_admin_file_without_units_needs_a_chosen_unit(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    login(AdminFactory())
    content = csv_bytes(ImportKind.VOLUNTEERS, [volunteer("甲")])
    run_id = run_id_of(upload(client, ImportKind.VOLUNTEERS, content))
    assert "必填项为空" in client.get(f"/imports/{run_id}/preview").get_data(as_text=True)
    run_id = run_id_of(upload(client, ImportKind.VOLUNTEERS, content, unit_id=str(station.id)))
    client.post(f"/imports/{run_id}/confirm")
    assert db.session.scalar(select(Volunteer.unit_id)) == station.id


def test_menu_shows_imports_to_heads(client: FlaskClient, login: Login) -> None:
    login(StationHeadFactory())
    assert 'href="/imports/"' in client.get("/").get_data(as_text=True)
