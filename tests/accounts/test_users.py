"""Creating, disabling and resetting accounts, in the UI and from the shell."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from casework.accounts.models import Role, User
from casework.core.audit import AuditEntry
from casework.extensions import db
from tests.accounts.helpers import password_link_path, set_password
from tests.conftest import Login
from tests.factories import (
    PASSWORD,
    AdminFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)


def _user(username: str) -> User:
    return db.session.scalars(db.select(User).filter_by(username=username)).one()


def test_admin_creates_a_tutor_supervising_two_stations(client: FlaskClient, login: Login) -> None:
    login(AdminFactory())
    first, second = StationFactory(), StationFactory()
    response = client.post(
        "/users/new",
        data={
            "username": "chenjing",
            "display_name": "陈静",
            "role": "tutor",
            "unit_id": first.id,
            "supervised_unit_ids": [first.id, second.id],
        },
    )
    assert response.status_code == 200
    tutor = _user("chenjing")
    assert tutor.role is Role.TUTOR
    assert {unit.id for unit in tutor.supervised_units} == {first.id, second.id}


def test_created_user_sets_own_password_through_the_link_and_logs_in(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    login(head)
    page = client.post(
        "/users/new",
        data={
            "username": "newworker",
            "display_name": "新社工",
            "role": "social_worker",
            "unit_id": head.unit_id,
        },
    )
    owner = app.test_client()
    set_password(owner, password_link_path(page), "a-long-password")
    response = owner.post("/login", data={"username": "newworker", "password": "a-long-password"})
    assert response.status_code == 302


def test_created_user_has_no_working_password_before_the_link_is_used(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    login(head)
    client.post(
        "/users/new",
        data={
            "username": "newworker",
            "display_name": "新社工",
            "role": "social_worker",
            "unit_id": head.unit_id,
        },
    )
    response = app.test_client().post(
        "/login", data={"username": "newworker", "password": "!unusable"}
    )
    assert response.status_code == 401


def test_station_head_cannot_create_a_tutor(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    login(head)
    response = client.post(
        "/users/new",
        data={
            "username": "sneaky",
            "display_name": "某人",
            "role": "tutor",
            "unit_id": head.unit_id,
        },
    )
    assert response.status_code == 422
    assert db.session.scalar(db.select(User).filter_by(username="sneaky")) is None


def test_station_head_cannot_create_users_in_another_unit(
    client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    other = StationFactory()
    login(head)
    response = client.post(
        "/users/new",
        data={
            "username": "elsewhere",
            "display_name": "某人",
            "role": "social_worker",
            "unit_id": other.id,
        },
    )
    assert response.status_code == 422
    assert db.session.scalar(db.select(User).filter_by(username="elsewhere")) is None


def test_duplicate_username_is_refused_and_input_kept(client: FlaskClient, login: Login) -> None:
    admin = AdminFactory()
    WorkerFactory(username="taken")
    login(admin)
    response = client.post(
        "/users/new",
        data={
            "username": "taken",
            "display_name": "保留的姓名",
            "role": "social_worker",
            "unit_id": admin.unit_id,
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "该用户名已被使用" in body
    assert "保留的姓名" in body


def test_user_list_of_station_head_shows_only_own_unit(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    WorkerFactory(unit=head.unit, username="colleague")
    WorkerFactory(username="stranger")
    login(head)
    body = client.get("/users").get_data(as_text=True)
    assert "colleague" in body
    assert "stranger" not in body


def test_disabling_a_user_ends_their_session(app: Flask, client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit)
    worker_client = app.test_client()
    worker_client.post("/login", data={"username": worker.username, "password": PASSWORD})
    login(head)
    assert client.post(f"/users/{worker.id}/active").status_code == 302
    assert worker_client.get("/").status_code == 302


def test_disabling_is_audited(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit)
    login(head)
    client.post(f"/users/{worker.id}/active")
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="user.disable")).one()
    assert (entry.actor_id, entry.object_id) == (head.id, worker.id)


def test_station_head_gets_404_for_user_of_another_unit(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    stranger = WorkerFactory()
    login(head)
    assert client.post(f"/users/{stranger.id}/active").status_code == 404


def test_station_head_cannot_disable_a_tutor_of_own_unit(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    tutor = TutorFactory(unit=head.unit)
    login(head)
    assert client.post(f"/users/{tutor.id}/active").status_code == 403


def test_admin_cannot_disable_own_account(client: FlaskClient, login: Login) -> None:
    admin = AdminFactory()
    login(admin)
    client.post(f"/users/{admin.id}/active")
    db.session.expire_all()
    assert _user(admin.username).is_active


def test_reset_password_ends_the_owners_sessions(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit)
    worker_client = app.test_client()
    worker_client.post("/login", data={"username": worker.username, "password": PASSWORD})
    login(head)
    client.post(f"/users/{worker.id}/password")
    assert worker_client.get("/").status_code == 302


def test_reset_password_stops_the_old_password(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit)
    login(head)
    client.post(f"/users/{worker.id}/password")
    response = app.test_client().post(
        "/login", data={"username": worker.username, "password": PASSWORD}
    )
    assert response.status_code == 401


def test_reset_password_link_lets_the_owner_set_a_new_one(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit)
    login(head)
    page = client.post(f"/users/{worker.id}/password")
    owner = app.test_client()
    set_password(owner, password_link_path(page), "brand-new-pass")
    response = owner.post(
        "/login", data={"username": worker.username, "password": "brand-new-pass"}
    )
    assert response.status_code == 302


def test_cli_create_user(app: Flask) -> None:
    station = StationFactory(code="HX")
    result = app.test_cli_runner().invoke(
        args=[
            "casework",
            "create-user",
            "--username",
            "wangfang",
            "--name",
            "王芳",
            "--role",
            "social_worker",
            "--unit",
            "HX",
            "--password-stdin",
        ],
        input="a-long-password\n",
    )
    assert result.exit_code == 0, result.output
    assert _user("wangfang").unit_id == station.id


def test_cli_create_user_refuses_unknown_unit(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "casework",
            "create-user",
            "--username",
            "x",
            "--name",
            "某人",
            "--role",
            "social_worker",
            "--unit",
            "NOPE",
            "--password-stdin",
        ],
        input="a-long-password\n",
    )
    assert result.exit_code != 0
    assert "no unit" in result.output
