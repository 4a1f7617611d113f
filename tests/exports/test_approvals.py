"""The two-person rule: a bulk file with full numbers downloads once, after a second person
approves it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.core.audit import AuditEntry
from casework.core.models import utcnow
from casework.exports.models import ApprovalStatus, ExportApproval
from casework.extensions import db
from casework.orgs.models import Unit
from tests.factories import (
    PASSWORD,
    HelpRequestFactory,
    ServiceUserFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)

PURPOSE = "报送街道低保年度复核名单"


@pytest.fixture
def threshold(app: Flask) -> int:
    app.config["EXPORT_APPROVAL_THRESHOLD"] = 2
    return 2


def _client_of(app: Flask, user: Any) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _ask(client: FlaskClient) -> Any:
    return client.post("/exports/people/full", data={"reason": PURPOSE, "format": "csv", "q": ""})


def _station_with_people(count: int) -> Unit:
    worker = WorkerFactory()
    for _ in range(count):
        ServiceUserFactory(unit=worker.unit)
    return worker.unit


def _only_approval() -> ExportApproval:
    db.session.expire_all()
    return db.session.scalars(select(ExportApproval)).one()


def test_a_small_export_downloads_at_once(app: Flask, threshold: int) -> None:
    unit = _station_with_people(2)
    response = _ask(_client_of(app, WorkerFactory(unit=unit)))
    assert response.mimetype == "text/csv"


def test_a_bulk_export_waits_for_approval(app: Flask, threshold: int) -> None:
    unit = _station_with_people(3)
    response = _ask(_client_of(app, WorkerFactory(unit=unit)))
    approval = _only_approval()
    assert response.headers["Location"] == f"/exports/approvals/{approval.id}"
    assert (approval.status, approval.row_count) == (ApprovalStatus.PENDING, 3)


def test_a_pending_export_cannot_be_downloaded(app: Flask, threshold: int) -> None:
    unit = _station_with_people(3)
    worker_client = _client_of(app, WorkerFactory(unit=unit))
    _ask(worker_client)
    response = worker_client.post(f"/exports/approvals/{_only_approval().id}/download")
    assert response.status_code == 409


def test_the_requester_cannot_approve_their_own_export(app: Flask, threshold: int) -> None:
    unit = _station_with_people(3)
    head = StationHeadFactory(unit=unit)
    head_client = _client_of(app, head)
    _ask(head_client)
    response = head_client.post(f"/exports/approvals/{_only_approval().id}/approve")
    assert response.status_code == 403


def test_a_fellow_worker_cannot_approve_where_the_station_has_a_head(
    app: Flask, threshold: int
) -> None:
    unit = _station_with_people(3)
    StationHeadFactory(unit=unit)
    _ask(_client_of(app, WorkerFactory(unit=unit)))
    colleague = _client_of(app, WorkerFactory(unit=unit))
    response = colleague.post(f"/exports/approvals/{_only_approval().id}/approve")
    assert response.status_code == 403


def test_a_worker_may_approve_the_heads_own_export(app: Flask, threshold: int) -> None:
    unit = _station_with_people(3)
    _ask(_client_of(app, StationHeadFactory(unit=unit)))
    worker = _client_of(app, WorkerFactory(unit=unit))
    worker.post(f"/exports/approvals/{_only_approval().id}/approve")
    assert _only_approval().status is ApprovalStatus.APPROVED


def test_the_head_of_another_station_does_not_see_the_request(app: Flask, threshold: int) -> None:
    unit = _station_with_people(3)
    _ask(_client_of(app, WorkerFactory(unit=unit)))
    outsider = _client_of(app, StationHeadFactory())
    assert outsider.get(f"/exports/approvals/{_only_approval().id}").status_code == 404


def test_a_tutor_does_not_see_the_request(app: Flask, threshold: int) -> None:
    unit = _station_with_people(3)
    _ask(_client_of(app, WorkerFactory(unit=unit)))
    tutor = _client_of(app, TutorFactory(supervised_units=[unit]))
    assert tutor.get(f"/exports/approvals/{_only_approval().id}").status_code == 404


def test_the_head_sees_the_request_on_the_home_page(app: Flask, threshold: int) -> None:
    unit = _station_with_people(3)
    head = StationHeadFactory(unit=unit)
    _ask(_client_of(app, WorkerFactory(unit=unit)))
    page = _client_of(app, head).get("/").get_data(as_text=True)
    assert 'id="exports-to-approve"' in page


def _approved(app: Flask) -> FlaskClient:
    unit = _station_with_people(3)
    head = StationHeadFactory(unit=unit)
    worker_client = _client_of(app, WorkerFactory(unit=unit))
    _ask(worker_client)
    _client_of(app, head).post(f"/exports/approvals/{_only_approval().id}/approve")
    return worker_client


def test_an_approved_export_downloads_with_the_full_numbers(app: Flask, threshold: int) -> None:
    worker_client = _approved(app)
    response = worker_client.post(f"/exports/approvals/{_only_approval().id}/download")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 4  # the header and three people


def test_an_approved_export_downloads_only_once(app: Flask, threshold: int) -> None:
    worker_client = _approved(app)
    approval_id = _only_approval().id
    worker_client.post(f"/exports/approvals/{approval_id}/download")
    response = worker_client.post(f"/exports/approvals/{approval_id}/download")
    assert response.status_code == 409


def test_an_approval_lapses_after_its_time(app: Flask, threshold: int) -> None:
    worker_client = _approved(app)
    approval = _only_approval()
    approval.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = worker_client.post(f"/exports/approvals/{approval.id}/download")
    assert response.status_code == 409


def test_only_the_requester_downloads(app: Flask, threshold: int) -> None:
    _approved(app)
    approval = _only_approval()
    head = db.session.get(type(approval.decided_by), approval.decided_by_id)
    response = _client_of(app, head).post(f"/exports/approvals/{approval.id}/download")
    assert response.status_code == 403


def test_request_approval_and_download_are_audited(app: Flask, threshold: int) -> None:
    worker_client = _approved(app)
    worker_client.post(f"/exports/approvals/{_only_approval().id}/download")
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"export.approval_requested", "export.approved", "export.people"} <= actions


def test_a_refusal_needs_a_reason(app: Flask, threshold: int) -> None:
    unit = _station_with_people(3)
    head = StationHeadFactory(unit=unit)
    _ask(_client_of(app, WorkerFactory(unit=unit)))
    response = _client_of(app, head).post(
        f"/exports/approvals/{_only_approval().id}/reject", data={"note": ""}
    )
    assert (response.status_code, _only_approval().status) == (422, ApprovalStatus.PENDING)


def test_a_refused_export_cannot_be_downloaded(app: Flask, threshold: int) -> None:
    unit = _station_with_people(3)
    head = StationHeadFactory(unit=unit)
    worker_client = _client_of(app, WorkerFactory(unit=unit))
    _ask(worker_client)
    approval_id = _only_approval().id
    _client_of(app, head).post(
        f"/exports/approvals/{approval_id}/reject", data={"note": "人数超出用途所需"}
    )
    assert worker_client.post(f"/exports/approvals/{approval_id}/download").status_code == 409


def test_a_masked_export_of_many_people_needs_no_approval(app: Flask, threshold: int) -> None:
    unit = _station_with_people(5)
    client = _client_of(app, WorkerFactory(unit=unit))
    response = client.post("/exports/people", data={"format": "csv", "q": ""})
    assert response.mimetype == "text/csv"


def test_an_approved_request_export_keeps_the_queues_filters(app: Flask, threshold: int) -> None:
    head = StationHeadFactory()
    for _ in range(3):
        HelpRequestFactory(unit=head.unit)
    worker_client = _client_of(app, WorkerFactory(unit=head.unit))
    worker_client.post(
        "/exports/requests/full?status=all", data={"reason": PURPOSE, "format": "csv"}
    )
    approval_id = _only_approval().id
    _client_of(app, head).post(f"/exports/approvals/{approval_id}/approve")
    response = worker_client.post(f"/exports/approvals/{approval_id}/download")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row[5] for row in rows[1:]] == ["13804310000"] * 3


def test_a_tutor_has_no_approvals_page(app: Flask) -> None:
    tutor = _client_of(app, TutorFactory())
    assert tutor.get("/exports/approvals").status_code == 403
