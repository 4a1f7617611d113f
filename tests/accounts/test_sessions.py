"""Server-side sessions: a cookie is only as good as the session record behind it."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from casework.accounts.models import UserSession
from casework.core.models import utcnow
from casework.extensions import db
from tests.conftest import Login
from tests.factories import (
    PASSWORD,
    AdminFactory,
    ServiceUserFactory,
    StationHeadFactory,
    WorkerFactory,
)


def _copy_cookie(source: FlaskClient, target: FlaskClient) -> None:
    cookie = source.get_cookie("casework_session")
    assert cookie is not None
    target.set_cookie("casework_session", cookie.value)


def _only_session() -> UserSession:
    db.session.expire_all()
    return db.session.scalars(db.select(UserSession)).one()


def test_a_copied_cookie_opens_the_page_while_the_session_lives(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    thief = app.test_client()
    _copy_cookie(client, thief)
    assert thief.get(f"/people/{person.id}").status_code == 200


def test_a_copied_cookie_is_dead_after_logout(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    thief = app.test_client()
    _copy_cookie(client, thief)
    client.post("/logout")
    response = thief.get(f"/people/{person.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logout_records_the_end(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    client.post("/logout")
    assert _only_session().ended_reason == "logout"


def test_session_ends_after_idle_timeout(app: Flask, client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    record = _only_session()
    record.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.commit()
    assert client.get("/").status_code == 302


def test_session_survives_shorter_idleness(app: Flask, client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    record = _only_session()
    record.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 1)
    db.session.commit()
    assert client.get("/").status_code == 200


def test_use_moves_the_idle_clock(app: Flask, client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    record = _only_session()
    earlier = utcnow() - timedelta(minutes=5)
    record.last_seen_at = earlier
    db.session.commit()
    client.get("/")
    assert _only_session().last_seen_at.replace(tzinfo=None) > earlier.replace(tzinfo=None)


def test_session_ends_after_absolute_lifetime_however_busy(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    login(WorkerFactory())
    record = _only_session()
    record.created_at = utcnow() - timedelta(hours=app.config["SESSION_MAX_HOURS"], minutes=1)
    db.session.commit()
    assert client.get("/").status_code == 302


def test_admin_ends_all_sessions_of_an_account(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    phone, office = app.test_client(), app.test_client()
    for device in (phone, office):
        device.post("/login", data={"username": worker.username, "password": PASSWORD})
    login(AdminFactory())
    assert client.post(f"/users/{worker.id}/sessions/end").status_code == 302
    assert [phone.get("/").status_code, office.get("/").status_code] == [302, 302]


def test_head_cannot_end_sessions(app: Flask, client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit)
    login(head)
    assert client.post(f"/users/{worker.id}/sessions/end").status_code == 403


def test_disabling_ends_the_session_record(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    worker_client = client.application.test_client()
    worker_client.post("/login", data={"username": worker.username, "password": PASSWORD})
    login(AdminFactory())
    client.post(f"/users/{worker.id}/active")
    db.session.expire_all()
    ended = db.session.scalars(db.select(UserSession).where(UserSession.user_id == worker.id)).one()
    assert ended.ended_reason == "disabled"
