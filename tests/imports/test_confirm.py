"""Confirming an import: all valid rows in one transaction, or nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from casework.core.audit import AuditEntry
from casework.extensions import db
from casework.imports import services, validation
from casework.imports.models import ImportKind, ImportRun, ImportStatus
from casework.people.models import ConsentBasis, ServiceUser
from casework.volunteers.models import Volunteer, VolunteerCategory
from casework.workforce.models import Certificate, CertificateLevel, WorkerProfile
from casework.workforce.services import add_certificate, create_profile
from tests.conftest import Login
from tests.factories import StationHeadFactory
from tests.imports.helpers import csv_bytes, person, run_id_of, staff, upload, volunteer

BORN = date(1960, 7, 1)


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _confirm(client: FlaskClient, run_id: int, *, skip_invalid: bool = False) -> object:
    data = {"skip_invalid": "y"} if skip_invalid else {}
    return client.post(f"/imports/{run_id}/confirm", data=data)


def test_confirm_writes_every_staff_row_with_its_certificate(
    client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    login(head)
    rows = [
        staff("甲", "C-1", id_number=person("x", BORN, 3)["id_number"], gender="男"),
        staff("乙", "C-2", certificate_level="社会工作师", registered_on="2021-01-05"),
        {"name": "丙", "education_level": "本科", "is_social_work_major": "是"},
    ]
    run_id = run_id_of(upload(client, ImportKind.STAFF, csv_bytes(ImportKind.STAFF, rows)))
    response = _confirm(client, run_id)
    assert response.status_code == 302
    profiles = {p.name: p for p in db.session.scalars(select(WorkerProfile))}
    assert set(profiles) == {"甲", "乙", "丙"}
    assert all(p.unit_id == head.unit_id for p in profiles.values())
    assert profiles["丙"].is_social_work_major
    assert not profiles["丙"].certificates
    second = profiles["乙"].certificates[0]
    assert second.level is CertificateLevel.INTERMEDIATE
    assert second.registered_on == date(2021, 1, 5)
    run = db.session.get(ImportRun, run_id)
    assert run is not None
    assert run.status is ImportStatus.COMPLETED
    assert (run.created_count, run.skipped_count, run.stored_name) == (3, 0, None)


def test_confirm_records_the_stated_consent_on_each_service_user(
    client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    login(head)
    rows = [person("丁", BORN, 5), person("戊", BORN, 7, gender="")]
    content = csv_bytes(ImportKind.SERVICE_USERS, rows)
    run_id = run_id_of(
        upload(client, ImportKind.SERVICE_USERS, content, consent_basis="legal_duty")
    )
    _confirm(client, run_id)
    people = list(db.session.scalars(select(ServiceUser).order_by(ServiceUser.name)))
    assert len(people) == 2
    for someone in people:
        assert someone.consent_basis is ConsentBasis.LEGAL_DUTY
        assert someone.consent_given_on == date(2026, 11, 1)
        assert someone.consent_recorded_by_id == head.id
        assert someone.created_by_id == head.id
        assert someone.birth_date == BORN  # from the ID number
    audited = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "service_user.create")
    ).all()
    assert len(audited) == 2
    assert all(e.details["import_run_id"] == run_id for e in audited)


def test_confirm_writes_volunteers(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    login(head)
    rows = [volunteer("己", category="教师", phone="13800000001"), volunteer("庚")]
    run_id = run_id_of(
        upload(client, ImportKind.VOLUNTEERS, csv_bytes(ImportKind.VOLUNTEERS, rows))
    )
    _confirm(client, run_id)
    volunteers = {v.name: v for v in db.session.scalars(select(Volunteer))}
    assert volunteers["己"].category is VolunteerCategory.TEACHER
    assert volunteers["庚"].phone is None
    assert volunteers["庚"].unit_id == head.unit_id


def test_rows_with_problems_block_the_import_unless_skipped(
    client: FlaskClient, login: Login
) -> None:
    login(StationHeadFactory())
    rows = [volunteer("好人"), volunteer("", phone="13800000002")]
    run_id = run_id_of(
        upload(client, ImportKind.VOLUNTEERS, csv_bytes(ImportKind.VOLUNTEERS, rows))
    )
    response = _confirm(client, run_id)
    assert response.status_code == 302
    assert "/preview" in response.headers["Location"]
    assert _count(Volunteer) == 0
    run = db.session.get(ImportRun, run_id)
    assert run is not None
    assert run.status is ImportStatus.PENDING


def test_skipped_rows_are_kept_with_reasons_but_no_values(
    client: FlaskClient, login: Login
) -> None:
    login(StationHeadFactory())
    rows = [
        volunteer("好人"),
        volunteer("", phone="13800000002"),
        volunteer("坏电话", phone="电话号码待补"),
    ]
    run_id = run_id_of(
        upload(client, ImportKind.VOLUNTEERS, csv_bytes(ImportKind.VOLUNTEERS, rows))
    )
    _confirm(client, run_id, skip_invalid=True)
    assert [v.name for v in db.session.scalars(select(Volunteer))] == ["好人"]
    run = db.session.get(ImportRun, run_id)
    assert run is not None
    assert (run.created_count, run.skipped_count) == (1, 2)
    assert run.skipped_rows == [
        {"row": 3, "problems": [{"field": "name", "code": "required"}]},
        {"row": 4, "problems": [{"field": "phone", "code": "invalid_phone"}]},
    ]
    stored = json.dumps(run.skipped_rows, ensure_ascii=False)
    assert "13800000002" not in stored
    assert "坏电话" not in stored
    page = client.get(f"/imports/{run_id}").get_data(as_text=True)
    assert "姓名：必填项为空" in page
    assert "联系电话：电话号码无效" in page


def test_a_duplicate_registered_after_the_preview_is_caught_on_confirm(
    client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    login(head)
    run_id = run_id_of(
        upload(client, ImportKind.STAFF, csv_bytes(ImportKind.STAFF, [staff("甲", "RACE-1")]))
    )
    profile = create_profile(unit=head.unit, name="别人", actor=head)
    add_certificate(
        profile,
        level=CertificateLevel.ASSISTANT,
        certificate_number="RACE-1",
        obtained_on=date(2020, 1, 1),
        actor=head,
    )
    db.session.commit()
    response = _confirm(client, run_id)
    assert "/preview" in response.headers["Location"]
    assert _count(WorkerProfile) == 1


def test_a_failure_in_the_middle_of_writing_leaves_nothing(
    client: FlaskClient, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A duplicate the re-check cannot see (a race) makes the database refuse one row."""
    head = StationHeadFactory()
    login(head)
    rows = [staff(f"人{i}", f"MID-{i}") for i in range(6)]
    run_id = run_id_of(upload(client, ImportKind.STAFF, csv_bytes(ImportKind.STAFF, rows)))
    other = create_profile(unit=head.unit, name="别人", actor=head)
    add_certificate(
        other,
        level=CertificateLevel.ASSISTANT,
        certificate_number="MID-3",
        obtained_on=date(2020, 1, 1),
        actor=head,
    )
    db.session.commit()
    # The race: the certificate appears after the confirmation's check has looked.
    monkeypatch.setattr(validation, "existing_certificate_numbers", lambda numbers: set())
    response = _confirm(client, run_id)
    assert response.status_code == 302
    db.session.expire_all()
    assert _count(WorkerProfile) == 1
    assert _count(Certificate) == 1
    run = db.session.get(ImportRun, run_id)
    assert run is not None
    assert run.status is ImportStatus.FAILED
    assert run.created_count == 0
    assert run.stored_name is None
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert "import.failed" in actions
    assert "worker_profile.create" not in {
        e.action
        for e in db.session.scalars(select(AuditEntry))
        if e.details.get("import_run_id") == run_id
    }


def test_a_database_error_rolls_back_every_row(
    client: FlaskClient, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(StationHeadFactory())
    rows = [person(f"人{i}", BORN, 20 + i * 2) for i in range(5)]
    run_id = run_id_of(
        upload(client, ImportKind.SERVICE_USERS, csv_bytes(ImportKind.SERVICE_USERS, rows))
    )
    original = services._write_service_users

    def write_then_break(actor, run, valid):  # type: ignore[no-untyped-def]
        original(actor, run, valid)
        # A second row with the first one's primary key: the database refuses the flush.
        db.session.add(
            ServiceUser(
                id=db.session.scalar(select(func.min(ServiceUser.id))),
                unit_id=run.unit_id,
                name="x",
            )
        )
        db.session.flush()

    monkeypatch.setitem(services.WRITERS, ImportKind.SERVICE_USERS, write_then_break)
    response = _confirm(client, run_id)
    assert response.status_code == 302
    db.session.expire_all()
    assert _count(ServiceUser) == 0
    run = db.session.get(ImportRun, run_id)
    assert run is not None
    assert run.status is ImportStatus.FAILED


def test_cancel_deletes_the_file(client: FlaskClient, login: Login) -> None:
    login(StationHeadFactory())
    run_id = run_id_of(
        upload(client, ImportKind.VOLUNTEERS, csv_bytes(ImportKind.VOLUNTEERS, [volunteer("辛")]))
    )
    run = db.session.get(ImportRun, run_id)
    assert run is not None
    assert run.stored_name is not None
    path = services.stored_path(run.stored_name)
    assert path.is_file()
    assert client.post(f"/imports/{run_id}/cancel").status_code == 302
    db.session.expire_all()
    assert not path.exists()
    assert db.session.get(ImportRun, run_id).status is ImportStatus.CANCELLED  # type: ignore[union-attr]
    assert _count(Volunteer) == 0


def test_an_expired_upload_cannot_be_confirmed(make_app, login: Login) -> None:  # type: ignore[no-untyped-def]
    app = make_app(IMPORT_PENDING_MINUTES=-1)
    client = app.test_client()
    head = StationHeadFactory()
    client.post("/login", data={"username": head.username, "password": "correct-horse-battery"})
    content = csv_bytes(ImportKind.VOLUNTEERS, [volunteer("壬")])
    run_id = run_id_of(upload(client, ImportKind.VOLUNTEERS, content))
    response = _confirm(client, run_id)
    assert response.headers["Location"].endswith(f"/imports/{run_id}")
    with app.app_context():
        assert db.session.get(ImportRun, run_id).status is ImportStatus.EXPIRED  # type: ignore[union-attr]
        assert _count(Volunteer) == 0


def test_upload_and_confirm_are_audited(client: FlaskClient, login: Login) -> None:
    login(StationHeadFactory())
    run_id = run_id_of(
        upload(client, ImportKind.VOLUNTEERS, csv_bytes(ImportKind.VOLUNTEERS, [volunteer("癸")]))
    )
    client.get(f"/imports/{run_id}/preview")
    _confirm(client, run_id)
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == "import_runs", AuditEntry.object_id == run_id)
        .order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == ["import.upload", "import.preview", "import.confirm"]
    assert entries[-1].details == {"kind": "volunteers", "created": 1, "skipped": 0}
    assert "癸" not in json.dumps([e.details for e in entries], ensure_ascii=False)
