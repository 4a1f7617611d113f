"""Logging in and out, failed attempts, and sessions that end."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from casework.accounts.models import User
from casework.config import DefaultConfig
from casework.core.audit import AuditEntry
from casework.extensions import db
from tests.conftest import Login
from tests.factories import PASSWORD, WorkerFactory


def test_login_with_right_password_opens_home_page(client: FlaskClient) -> None:
    worker = WorkerFactory(display_name="王芳")
    response = client.post(
        "/login", data={"username": worker.username, "password": PASSWORD}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "您好，王芳" in response.get_data(as_text=True)


def test_login_ignores_case_of_username(client: FlaskClient) -> None:
    WorkerFactory(username="wangfang")
    response = client.post("/login", data={"username": "WangFang", "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_password_gets_generic_message(client: FlaskClient) -> None:
    worker = WorkerFactory()
    response = client.post("/login", data={"username": worker.username, "password": "wrong-pass"})
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.get_data(as_text=True)


def test_unknown_user_gets_the_same_message(client: FlaskClient) -> None:
    response = client.post("/login", data={"username": "nobody", "password": "whatever-123"})
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.get_data(as_text=True)


def test_disabled_user_cannot_log_in(client: FlaskClient) -> None:
    worker = WorkerFactory(is_active=False)
    response = client.post("/login", data={"username": worker.username, "password": PASSWORD})
    assert response.status_code == 401


def test_failed_login_is_audited_without_the_password(client: FlaskClient) -> None:
    worker = WorkerFactory()
    client.post("/login", data={"username": worker.username, "password": "secret-guess-1"})
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="user.login_failed")).one()
    assert entry.details == {"username": worker.username}


def test_login_keeps_username_on_error(client: FlaskClient) -> None:
    response = client.post("/login", data={"username": "zhangsan", "password": "bad-password"})
    assert 'value="zhangsan"' in response.get_data(as_text=True)


def test_login_redirects_to_safe_next_page(client: FlaskClient) -> None:
    worker = WorkerFactory()
    response = client.post(
        "/login?next=/account/password", data={"username": worker.username, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/account/password"


def test_login_ignores_next_page_on_another_site(client: FlaskClient) -> None:
    worker = WorkerFactory()
    response = client.post(
        "/login?next=//evil.example/x", data={"username": worker.username, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_logout_ends_the_session(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    client.post("/logout")
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logout_by_get_is_not_allowed(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    assert client.get("/logout").status_code == 405


def test_password_change_ends_other_sessions(app: Flask, client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    other_device = app.test_client()
    other_device.post("/login", data={"username": worker.username, "password": PASSWORD})
    login(worker)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a-new-password-1",
            "confirm_password": "a-new-password-1",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302


def test_password_change_needs_current_password(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    login(worker)
    response = client.post(
        "/account/password",
        data={
            "current_password": "not-my-password",
            "new_password": "a-new-password-1",
            "confirm_password": "a-new-password-1",
        },
    )
    assert response.status_code == 422
    assert "当前密码不正确" in response.get_data(as_text=True)


def test_password_change_refuses_short_password(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"},
    )
    assert response.status_code == 422


def test_passwords_are_stored_as_argon2_hashes(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    login(worker)
    client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a-new-password-1",
            "confirm_password": "a-new-password-1",
        },
    )
    stored = db.session.get(User, worker.id)
    assert stored is not None
    db.session.refresh(stored)
    assert stored.password_hash.startswith("$argon2id$")
    assert "a-new-password-1" not in stored.password_hash


def test_a_login_rehashes_the_password_at_production_cost(make_app: Callable[..., Flask]) -> None:
    app = make_app(PASSWORD_HASH_PROFILE=DefaultConfig.PASSWORD_HASH_PROFILE)
    with app.app_context():
        worker = WorkerFactory()
        client = app.test_client()
        client.post("/login", data={"username": worker.username, "password": PASSWORD})
        stored = db.session.get(User, worker.id)
        assert stored is not None
        db.session.refresh(stored)
        assert "$m=65536,t=3,p=4$" in stored.password_hash
