"""Tokens decide who is calling; the pages' rules decide what they may see and do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from casework.api.models import ApiToken, TokenScope
from casework.cases.enums import CaseStatus
from casework.core.audit import AuditEntry
from casework.core.models import utcnow
from casework.extensions import db
from tests.api.conftest import MakeToken, bearer
from tests.factories import (
    CaseFactory,
    TutorFactory,
    WorkerFactory,
    advance_case,
)


def test_a_workers_token_lists_the_cases_of_their_station(
    client: FlaskClient, make_token: MakeToken
) -> None:
    case = CaseFactory()
    CaseFactory()
    response = client.get("/api/v1/cases", headers=bearer(make_token(case.worker)))
    assert [item["number"] for item in response.json["items"]] == [case.number]


def test_a_case_of_another_station_is_not_found(client: FlaskClient, make_token: MakeToken) -> None:
    other = CaseFactory()
    response = client.get(f"/api/v1/cases/{other.id}", headers=bearer(make_token(WorkerFactory())))
    assert (response.status_code, response.json["error"]["code"]) == (404, "not_found")


def test_a_call_without_a_token_is_unauthorised(client: FlaskClient) -> None:
    response = client.get("/api/v1/cases")
    assert (response.status_code, response.json["error"]["code"]) == (401, "unauthorized")


def test_an_unknown_token_is_unauthorised(client: FlaskClient) -> None:
    response = client.get("/api/v1/cases", headers=bearer("cw_not-a-real-token"))
    assert response.status_code == 401


def test_a_revoked_token_is_unauthorised(
    client: FlaskClient, make_token: MakeToken, app: Any
) -> None:
    worker = WorkerFactory()
    secret = make_token(worker)
    token = db.session.scalars(select(ApiToken)).one()
    token.revoked_at = utcnow()
    db.session.commit()
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 401


def test_an_expired_token_is_unauthorised(client: FlaskClient, make_token: MakeToken) -> None:
    secret = make_token(WorkerFactory())
    token = db.session.scalars(select(ApiToken)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 401


def test_a_password_change_voids_the_users_tokens(
    client: FlaskClient, make_token: MakeToken
) -> None:
    worker = WorkerFactory()
    secret = make_token(worker)
    worker.session_version += 1
    db.session.commit()
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 401


def test_a_disabled_users_token_is_unauthorised(client: FlaskClient, make_token: MakeToken) -> None:
    worker = WorkerFactory()
    secret = make_token(worker)
    worker.is_active = False
    db.session.commit()
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 401


def test_a_read_only_token_cannot_take_a_step(client: FlaskClient, make_token: MakeToken) -> None:
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    response = client.post(
        f"/api/v1/cases/{case.id}/steps/start_evaluation",
        json={},
        headers=bearer(make_token(case.worker)),
    )
    assert (response.status_code, response.json["error"]["code"]) == (403, "read_only_token")


def test_a_write_token_takes_a_step_through_the_state_machine(
    client: FlaskClient, make_token: MakeToken
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    response = client.post(
        f"/api/v1/cases/{case.id}/steps/start_evaluation",
        json={},
        headers=bearer(make_token(case.worker, TokenScope.WRITE)),
    )
    assert (response.status_code, response.json["status"]) == (200, "evaluation")


def test_a_step_the_state_machine_does_not_allow_now_is_refused(
    client: FlaskClient, make_token: MakeToken
) -> None:
    case = CaseFactory()
    response = client.post(
        f"/api/v1/cases/{case.id}/steps/start_evaluation",
        json={},
        headers=bearer(make_token(case.worker, TokenScope.WRITE)),
    )
    assert response.status_code in (403, 409)
    db.session.refresh(case)
    assert case.status is CaseStatus.INTAKE


def test_only_the_tutor_approves_a_plan_through_the_api(
    client: FlaskClient, make_token: MakeToken
) -> None:
    case = CaseFactory()
    tutor = TutorFactory(supervised_units=[case.unit])
    advance_case(case, CaseStatus.PLAN_PENDING_APPROVAL, tutor=tutor)
    response = client.post(
        f"/api/v1/cases/{case.id}/steps/approve_plan",
        json={},
        headers=bearer(make_token(case.worker, TokenScope.WRITE)),
    )
    assert response.status_code == 403


def test_the_tutor_approves_a_plan_through_the_api(
    client: FlaskClient, make_token: MakeToken
) -> None:
    case = CaseFactory()
    tutor = TutorFactory(supervised_units=[case.unit])
    advance_case(case, CaseStatus.PLAN_PENDING_APPROVAL, tutor=tutor)
    response = client.post(
        f"/api/v1/cases/{case.id}/steps/approve_plan",
        json={},
        headers=bearer(make_token(tutor, TokenScope.WRITE)),
    )
    assert (response.status_code, response.json["status"]) == (200, "intervention")


def test_reading_a_case_is_audited_with_the_token(
    client: FlaskClient, make_token: MakeToken
) -> None:
    case = CaseFactory()
    client.get(f"/api/v1/cases/{case.id}", headers=bearer(make_token(case.worker)))
    token = db.session.scalars(select(ApiToken)).one()
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "personal_data.view")
    ).one()
    assert (entry.actor_id, entry.details["api_token"]) == (case.worker_id, token.id)


def test_an_api_answer_sets_no_cookie(client: FlaskClient, make_token: MakeToken) -> None:
    case = CaseFactory()
    response = client.get("/api/v1/cases", headers=bearer(make_token(case.worker)))
    assert "Set-Cookie" not in response.headers


def test_a_call_notes_when_the_token_was_last_used(
    client: FlaskClient, make_token: MakeToken
) -> None:
    worker = WorkerFactory()
    client.get("/api/v1/me", headers=bearer(make_token(worker)))
    token = db.session.scalars(select(ApiToken)).one()
    db.session.refresh(token)
    assert token.last_used_at is not None


def test_calls_beyond_the_tokens_limit_get_429(make_app: Any) -> None:
    app = make_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="2 per minute")
    with app.app_context():
        from casework.api import tokens

        made = tokens.create_token(actor=WorkerFactory(), name="x", scope=TokenScope.READ, days=30)
        db.session.commit()
        secret = made.secret
    client = app.test_client()
    statuses = [client.get("/api/v1/me", headers=bearer(secret)).status_code for _call in range(3)]
    assert statuses == [200, 200, 429]


def test_the_limit_is_per_token(make_app: Any) -> None:
    app = make_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="1 per minute")
    with app.app_context():
        from casework.api import tokens

        first, second = (
            tokens.create_token(actor=WorkerFactory(), name="x", scope=TokenScope.READ, days=30)
            for _token in range(2)
        )
        db.session.commit()
        secrets = (first.secret, second.secret)
    client = app.test_client()
    client.get("/api/v1/me", headers=bearer(secrets[0]))
    assert client.get("/api/v1/me", headers=bearer(secrets[1])).status_code == 200
