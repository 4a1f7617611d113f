"""Account lockout after repeated failed logins, the notices it gives, and unlocking."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from casework.accounts.models import User
from casework.core.audit import AuditEntry
from casework.core.models import utcnow
from casework.extensions import db
from tests.conftest import Login
from tests.factories import PASSWORD, StationHeadFactory, WorkerFactory

THRESHOLD = 3


def _fail(client: FlaskClient, username: str, times: int) -> None:
    for _attempt in range(times):
        client.post("/login", data={"username": username, "password": "wrong-password"})


def _reloaded(user: User) -> User:
    db.session.expire_all()
    found = db.session.get(User, user.id)
    assert found is not None
    return found


def _locking_app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(LOCKOUT_THRESHOLD=THRESHOLD)


def test_account_locks_after_the_threshold(make_app: Callable[..., Flask]) -> None:
    app = _locking_app(make_app)
    with app.app_context():
        worker = WorkerFactory()
        _fail(app.test_client(), worker.username, THRESHOLD)
        assert _reloaded(worker).locked_until is not None


def test_account_does_not_lock_below_the_threshold(make_app: Callable[..., Flask]) -> None:
    app = _locking_app(make_app)
    with app.app_context():
        worker = WorkerFactory()
        _fail(app.test_client(), worker.username, THRESHOLD - 1)
        response = app.test_client().post(
            "/login", data={"username": worker.username, "password": PASSWORD}
        )
        assert response.status_code == 302


def test_right_password_on_locked_account_is_refused_with_a_notice(
    make_app: Callable[..., Flask],
) -> None:
    app = _locking_app(make_app)
    with app.app_context():
        worker = WorkerFactory()
        _fail(app.test_client(), worker.username, THRESHOLD)
        response = app.test_client().post(
            "/login", data={"username": worker.username, "password": PASSWORD}
        )
        assert response.status_code == 401
        assert "已被锁定" in response.get_data(as_text=True)


def test_wrong_password_on_locked_account_reveals_nothing(make_app: Callable[..., Flask]) -> None:
    app = _locking_app(make_app)
    with app.app_context():
        worker = WorkerFactory()
        _fail(app.test_client(), worker.username, THRESHOLD)
        response = app.test_client().post(
            "/login", data={"username": worker.username, "password": "still-wrong"}
        )
        body = response.get_data(as_text=True)
        assert "已被锁定" not in body
        assert "用户名或密码不正确" in body


def test_lock_runs_out(make_app: Callable[..., Flask]) -> None:
    app = _locking_app(make_app)
    with app.app_context():
        worker = WorkerFactory()
        _fail(app.test_client(), worker.username, THRESHOLD)
        _reloaded(worker).locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
        response = app.test_client().post(
            "/login", data={"username": worker.username, "password": PASSWORD}
        )
        assert response.status_code == 302


def test_owner_is_told_of_failed_attempts_at_next_login(make_app: Callable[..., Flask]) -> None:
    app = _locking_app(make_app)
    with app.app_context():
        worker = WorkerFactory()
        _fail(app.test_client(), worker.username, 2)
        response = app.test_client().post(
            "/login",
            data={"username": worker.username, "password": PASSWORD},
            follow_redirects=True,
        )
        assert "有 2 次密码错误的登录尝试" in response.get_data(as_text=True)


def test_lock_is_audited(make_app: Callable[..., Flask]) -> None:
    app = _locking_app(make_app)
    with app.app_context():
        worker = WorkerFactory()
        _fail(app.test_client(), worker.username, THRESHOLD)
        entry = db.session.scalars(db.select(AuditEntry).filter_by(action="user.locked")).one()
        assert entry.object_id == worker.id


def test_head_sees_the_locked_account_on_the_home_page(make_app: Callable[..., Flask]) -> None:
    app = _locking_app(make_app)
    with app.app_context():
        head = StationHeadFactory()
        worker = WorkerFactory(unit=head.unit)
        _fail(app.test_client(), worker.username, THRESHOLD)
        head_client = app.test_client()
        head_client.post("/login", data={"username": head.username, "password": PASSWORD})
        body = head_client.get("/").get_data(as_text=True)
        assert f"/users/{worker.id}/unlock" in body


def test_head_unlocks_a_locked_account(make_app: Callable[..., Flask]) -> None:
    app = _locking_app(make_app)
    with app.app_context():
        head = StationHeadFactory()
        worker = WorkerFactory(unit=head.unit)
        _fail(app.test_client(), worker.username, THRESHOLD)
        head_client = app.test_client()
        head_client.post("/login", data={"username": head.username, "password": PASSWORD})
        head_client.post(f"/users/{worker.id}/unlock")
        response = app.test_client().post(
            "/login", data={"username": worker.username, "password": PASSWORD}
        )
        assert response.status_code == 302


def test_head_of_another_unit_gets_404_unlocking(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory(locked_until=utcnow() + timedelta(minutes=5))
    login(StationHeadFactory())
    assert client.post(f"/users/{worker.id}/unlock").status_code == 404


def test_worker_cannot_unlock_a_colleague(client: FlaskClient, login: Login) -> None:
    colleague = WorkerFactory(locked_until=utcnow() + timedelta(minutes=5))
    login(WorkerFactory(unit=colleague.unit))
    assert client.post(f"/users/{colleague.id}/unlock").status_code == 404
