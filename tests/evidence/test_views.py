"""The evidence page: who may ask for a pack, and who may download it."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.core.audit import AuditEntry
from casework.evidence.models import EvidencePack, PackStatus
from casework.extensions import db
from tests.conftest import Login
from tests.evidence.conftest import Station, built, queue_pack
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)


def test_head_asks_for_a_pack_of_their_station(
    app: Flask, client: FlaskClient, login: Login, evidence_station: Station
) -> None:
    station = evidence_station
    login(station.head)
    response = client.post(
        "/evidence/",
        data={
            "unit": station.unit.id,
            "start": station.period.start.isoformat(),
            "end": station.period.end.isoformat(),
        },
    )
    assert response.status_code == 302
    pack = db.session.scalars(select(EvidencePack)).one()
    assert pack.status is PackStatus.QUEUED
    assert pack.requested_by_id == station.head.id
    assert not pack.is_aggregate_only
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "evidence.request"))
    assert entry.one().object_id == pack.id


def test_a_period_that_cannot_be_read_is_refused_with_a_message(
    app: Flask, client: FlaskClient, login: Login, evidence_station: Station
) -> None:
    login(evidence_station.head)
    response = client.post(
        "/evidence/", data={"unit": evidence_station.unit.id, "start": "2026-13-01", "end": "x"}
    )
    assert response.status_code == 422
    assert "有效的日期" in response.get_data(as_text=True)
    assert db.session.scalars(select(EvidencePack)).first() is None


def test_a_unit_outside_reach_is_not_found(
    app: Flask, client: FlaskClient, login: Login, evidence_station: Station
) -> None:
    login(evidence_station.head)
    other = evidence_station.case_elsewhere.unit_id
    response = client.post(
        "/evidence/", data={"unit": other, "start": "2026-01-01", "end": "2026-03-31"}
    )
    assert response.status_code == 422
    assert db.session.scalars(select(EvidencePack)).first() is None


def test_the_page_lists_the_users_packs_with_download_links(
    app: Flask, client: FlaskClient, login: Login, evidence_station: Station
) -> None:
    station = evidence_station
    pack = built(queue_pack(station.head, station.unit, station.period))
    login(station.head)
    page = client.get("/evidence/").get_data(as_text=True)
    assert f"/evidence/{pack.id}/pdf" in page
    assert f"/evidence/{pack.id}/zip" in page


def test_a_building_pack_shows_its_progress_and_the_page_refreshes(
    app: Flask, client: FlaskClient, login: Login, evidence_station: Station
) -> None:
    station = evidence_station
    queue_pack(station.head, station.unit, station.period)
    login(station.head)
    page = client.get("/evidence/").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page
    assert "<progress" in page


def test_a_worker_may_not_ask_for_a_pack(
    app: Flask, client: FlaskClient, login: Login, evidence_station: Station
) -> None:
    login(evidence_station.worker)
    assert client.get("/evidence/").status_code == 403


def test_an_administrator_may_not_ask_for_a_pack(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    login(AdminFactory())
    assert client.get("/evidence/").status_code == 403


def test_a_tutor_without_supervised_units_may_not_ask(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    login(TutorFactory())
    assert client.get("/evidence/").status_code == 403


def test_the_requester_downloads_and_the_audit_names_the_cases(
    app: Flask, client: FlaskClient, login: Login, evidence_station: Station
) -> None:
    station = evidence_station
    pack = built(queue_pack(station.head, station.unit, station.period))
    login(station.head)
    response = client.get(f"/evidence/{pack.id}/pdf", buffered=True)
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get(f"/evidence/{pack.id}/zip", buffered=True).data.startswith(b"PK")
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "evidence.download").order_by(AuditEntry.id)
    ).all()
    assert [entry.details["file"] for entry in entries] == ["pdf", "zip"]
    assert entries[0].details["case_ids"] == [station.case_in.id]


def test_nobody_else_downloads_a_pack(
    app: Flask, client: FlaskClient, login: Login, evidence_station: Station
) -> None:
    station = evidence_station
    pack = built(queue_pack(station.head, station.unit, station.period))
    for user in (
        StationHeadFactory(unit=station.unit),
        AdminFactory(),
        station.worker,
        BureauViewerFactory(unit=station.unit.parent.parent),
    ):
        login(user)
        assert client.get(f"/evidence/{pack.id}/pdf").status_code == 404
        assert client.get(f"/evidence/{pack.id}/zip").status_code == 404
        assert client.get(f"/evidence/{pack.id}/status").status_code == 404
        client.post("/logout")


def test_a_huge_id_is_not_found(
    app: Flask, client: FlaskClient, login: Login, evidence_station: Station
) -> None:
    login(evidence_station.head)
    assert client.get("/evidence/99999999999999999999999/pdf").status_code == 404


def test_the_status_answers_as_json(
    app: Flask, client: FlaskClient, login: Login, evidence_station: Station
) -> None:
    station = evidence_station
    pack = queue_pack(station.head, station.unit, station.period)
    login(station.head)
    assert client.get(f"/evidence/{pack.id}/status").get_json()["status"] == "queued"


def test_a_worker_sees_no_menu_entry_a_head_does(
    app: Flask, client: FlaskClient, login: Login, evidence_station: Station
) -> None:
    login(evidence_station.head)
    assert "/evidence/" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login(WorkerFactory(unit=evidence_station.unit))
    assert "/evidence/" not in client.get("/").get_data(as_text=True)
