"""One-time links to set one's own password."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.accounts.models import PasswordLink
from casework.core.models import utcnow
from casework.extensions import db
from tests.accounts.helpers import password_link_path, set_password
from tests.conftest import Login
from tests.factories import StationHeadFactory, WorkerFactory


def _reset_link(client: FlaskClient, login: Login) -> tuple[str, str]:
    """A head resets a worker's password; returns the link path and the worker's username."""
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit)
    login(head)
    return password_link_path(client.post(f"/users/{worker.id}/password")), worker.username


def test_link_page_asks_for_the_new_password(app: Flask, client: FlaskClient, login: Login) -> None:
    path, username = _reset_link(client, login)
    response = app.test_client().get(path)
    assert response.status_code == 200
    assert username in response.get_data(as_text=True)


def test_link_works_only_once(app: Flask, client: FlaskClient, login: Login) -> None:
    path, _username = _reset_link(client, login)
    set_password(app.test_client(), path, "first-password-1")
    response = app.test_client().post(
        path, data={"new_password": "second-password", "confirm_password": "second-password"}
    )
    assert response.status_code == 404


def test_expired_link_is_refused(app: Flask, client: FlaskClient, login: Login) -> None:
    path, _username = _reset_link(client, login)
    link = db.session.scalars(db.select(PasswordLink)).one()
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert app.test_client().get(path).status_code == 404


def test_a_new_reset_voids_the_earlier_link(app: Flask, client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit)
    login(head)
    first = password_link_path(client.post(f"/users/{worker.id}/password"))
    client.post(f"/users/{worker.id}/password")
    assert app.test_client().get(first).status_code == 404


def test_unknown_token_is_404(client: FlaskClient) -> None:
    assert client.get("/password/not-a-real-token").status_code == 404


def test_token_is_stored_only_as_a_digest(app: Flask, client: FlaskClient, login: Login) -> None:
    path, _username = _reset_link(client, login)
    token = path.rsplit("/", 1)[-1]
    link = db.session.scalars(db.select(PasswordLink)).one()
    assert token not in link.token_hash


def test_short_password_is_refused_and_link_stays_usable(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    path, _username = _reset_link(client, login)
    owner = app.test_client()
    response = owner.post(path, data={"new_password": "short", "confirm_password": "short"})
    assert response.status_code == 422
    assert owner.get(path).status_code == 200


def test_link_token_is_not_written_to_the_request_log(
    app: Flask, client: FlaskClient, login: Login, caplog: pytest.LogCaptureFixture
) -> None:
    path, _username = _reset_link(client, login)
    token = path.rsplit("/", 1)[-1]
    app.test_client().get(path)
    assert token not in caplog.text
    assert "/password/[redacted]" in caplog.text
