"""Making, listing and revoking personal API tokens."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from casework.api.models import ApiToken
from casework.core.audit import AuditEntry
from casework.extensions import db
from tests.api.conftest import MakeToken
from tests.conftest import Login
from tests.factories import WorkerFactory


def _make(client: FlaskClient, name: str = "12345 对接") -> str:
    response = client.post(
        "/account/api-tokens/", data={"name": name, "scope": "read", "days": "90"}
    )
    return response.get_data(as_text=True)


def test_a_new_token_is_shown_once(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    page = _make(client)
    assert 'id="new-token"' in page
    assert 'id="new-token"' not in client.get("/account/api-tokens/").get_data(as_text=True)


def test_only_a_hash_of_the_token_is_stored(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    page = _make(client)
    token = db.session.scalars(select(ApiToken)).one()
    assert token.token_hash not in page
    assert token.prefix in page


def test_a_token_needs_a_name_and_keeps_the_choices(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    response = client.post(
        "/account/api-tokens/", data={"name": "", "scope": "write", "days": "365"}
    )
    assert response.status_code == 422
    assert '<option selected value="write">' in response.get_data(as_text=True)
    assert db.session.scalars(select(ApiToken)).all() == []


def test_making_a_token_is_audited(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    login(worker)
    _make(client)
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "api_token.create")
    ).one()
    assert entry.actor_id == worker.id


def test_the_owner_revokes_a_token(
    client: FlaskClient, login: Login, make_token: MakeToken
) -> None:
    worker = WorkerFactory()
    make_token(worker)
    token = db.session.scalars(select(ApiToken)).one()
    login(worker)
    client.post(f"/account/api-tokens/{token.id}/revoke")
    db.session.refresh(token)
    assert token.revoked_at is not None


def test_another_users_token_is_not_found(
    client: FlaskClient, login: Login, make_token: MakeToken
) -> None:
    make_token(WorkerFactory())
    token = db.session.scalars(select(ApiToken)).one()
    login(WorkerFactory())
    assert client.post(f"/account/api-tokens/{token.id}/revoke").status_code == 404


def test_an_account_waiting_for_confirmation_makes_no_token(
    client: FlaskClient, login: Login
) -> None:
    login(WorkerFactory(is_pending_confirmation=True))
    assert client.get("/account/api-tokens/").status_code == 403
