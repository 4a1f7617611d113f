"""Separation of duties: an account an administrator sets up opens no person or case until
a second person (the station head, or another administrator) confirms it."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from casework.accounts.models import User
from casework.core.audit import AuditEntry
from casework.extensions import db
from tests.accounts.helpers import password_link_path, set_password
from tests.conftest import Login
from tests.factories import (
    PASSWORD,
    AdminFactory,
    CaseFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    WorkerFactory,
)

NEW_PASSWORD = "set-by-the-owner-1"


def _admin_creates_worker(client: FlaskClient, unit_id: int, username: str = "newworker") -> str:
    """The administrator creates a social worker; returns the one-time link's path."""
    page = client.post(
        "/users/new",
        data={
            "username": username,
            "display_name": "新社工",
            "role": "social_worker",
            "unit_id": unit_id,
        },
    )
    assert page.status_code == 200
    return password_link_path(page)


def _signed_in_owner(app: Flask, link: str, username: str = "newworker") -> FlaskClient:
    owner = app.test_client()
    set_password(owner, link, NEW_PASSWORD)
    response = owner.post("/login", data={"username": username, "password": NEW_PASSWORD})
    assert response.status_code == 302
    return owner


def _user(username: str) -> User:
    db.session.expire_all()
    return db.session.scalars(db.select(User).filter_by(username=username)).one()


def test_account_created_by_admin_cannot_open_a_person(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    station = StationFactory()
    person = ServiceUserFactory(unit=station)
    login(AdminFactory())
    owner = _signed_in_owner(app, _admin_creates_worker(client, station.id))
    assert owner.get(f"/people/{person.id}").status_code == 403


def test_account_created_by_admin_cannot_open_a_case(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    station = StationFactory()
    case = CaseFactory(service_user__unit=station)
    login(AdminFactory())
    owner = _signed_in_owner(app, _admin_creates_worker(client, station.id))
    assert owner.get(f"/cases/{case.id}").status_code == 403
    assert owner.get(f"/cases/{case.id}/pdf").status_code == 403


def test_pending_account_home_page_says_what_it_waits_for(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    station = StationFactory()
    login(AdminFactory())
    owner = _signed_in_owner(app, _admin_creates_worker(client, station.id))
    response = owner.get("/")
    assert response.status_code == 200
    assert 'id="pending-confirmation"' in response.get_data(as_text=True)


def test_account_created_by_admin_opens_cases_once_the_head_confirms(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    case = CaseFactory(service_user__unit=head.unit)
    login(AdminFactory())
    owner = _signed_in_owner(app, _admin_creates_worker(client, head.unit_id))
    head_client = app.test_client()
    head_client.post("/login", data={"username": head.username, "password": PASSWORD})
    assert head_client.post(f"/users/{_user('newworker').id}/confirm").status_code == 302
    assert owner.get(f"/cases/{case.id}").status_code == 200


def test_head_sees_the_account_waiting_on_their_home_page(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    login(AdminFactory(display_name="管理员甲"))
    _admin_creates_worker(client, head.unit_id)
    head_client = app.test_client()
    head_client.post("/login", data={"username": head.username, "password": PASSWORD})
    body = head_client.get("/").get_data(as_text=True)
    assert 'id="accounts-needing-action"' in body
    assert "newworker" in body
    assert "管理员甲" in body


def test_admin_who_asked_cannot_confirm_the_account(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    login(AdminFactory())
    _admin_creates_worker(client, station.id)
    response = client.post(f"/users/{_user('newworker').id}/confirm")
    assert response.status_code == 403
    assert _user("newworker").is_pending_confirmation


def test_second_admin_confirms_where_the_unit_has_no_head(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    station = StationFactory()
    login(AdminFactory())
    _admin_creates_worker(client, station.id)
    second = app.test_client()
    second.post("/login", data={"username": AdminFactory().username, "password": PASSWORD})
    assert second.post(f"/users/{_user('newworker').id}/confirm").status_code == 302
    assert not _user("newworker").is_pending_confirmation


def test_second_admin_cannot_confirm_where_the_unit_has_a_head(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    login(AdminFactory())
    _admin_creates_worker(client, head.unit_id)
    second = app.test_client()
    second.post("/login", data={"username": AdminFactory().username, "password": PASSWORD})
    assert second.post(f"/users/{_user('newworker').id}/confirm").status_code == 403


def test_head_of_another_unit_gets_404_confirming(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    station = StationFactory()
    login(AdminFactory())
    _admin_creates_worker(client, station.id)
    stranger = app.test_client()
    stranger.post("/login", data={"username": StationHeadFactory().username, "password": PASSWORD})
    assert stranger.post(f"/users/{_user('newworker').id}/confirm").status_code == 404


def test_worker_cannot_confirm_a_colleague(app: Flask, client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    login(AdminFactory())
    _admin_creates_worker(client, head.unit_id)
    colleague = app.test_client()
    colleague.post(
        "/login", data={"username": WorkerFactory(unit=head.unit).username, "password": PASSWORD}
    )
    assert colleague.post(f"/users/{_user('newworker').id}/confirm").status_code == 404


def test_admin_reset_puts_the_account_on_hold_again(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit)
    case = CaseFactory(worker=worker, service_user__unit=head.unit)
    login(AdminFactory())
    page = client.post(f"/users/{worker.id}/password")
    owner = _signed_in_owner(app, password_link_path(page), worker.username)
    assert owner.get(f"/cases/{case.id}").status_code == 403


def test_head_reset_does_not_need_confirmation(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit)
    case = CaseFactory(worker=worker, service_user__unit=head.unit)
    login(head)
    page = client.post(f"/users/{worker.id}/password")
    owner = _signed_in_owner(app, password_link_path(page), worker.username)
    assert owner.get(f"/cases/{case.id}").status_code == 200


def test_each_step_is_audited(app: Flask, client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    admin = AdminFactory()
    login(admin)
    link = _admin_creates_worker(client, head.unit_id)
    set_password(app.test_client(), link, NEW_PASSWORD)
    head_client = app.test_client()
    head_client.post("/login", data={"username": head.username, "password": PASSWORD})
    head_client.post(f"/users/{_user('newworker').id}/confirm")
    actions = [
        (entry.action, entry.actor_id)
        for entry in db.session.scalars(
            db.select(AuditEntry)
            .where(AuditEntry.object_type == "users", AuditEntry.object_id == _user("newworker").id)
            .order_by(AuditEntry.id)
        )
    ]
    assert actions == [
        ("user.create", admin.id),
        ("user.confirmation_requested", admin.id),
        ("user.password_link", admin.id),
        ("user.password_set", _user("newworker").id),
        ("user.confirm", head.id),
    ]


def test_head_reads_the_steps_in_the_audit_log(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    login(AdminFactory())
    _admin_creates_worker(client, head.unit_id)
    head_client = app.test_client()
    head_client.post("/login", data={"username": head.username, "password": PASSWORD})
    body = head_client.get("/audit/").get_data(as_text=True)
    assert "账号待站长确认" in body


def test_an_administrator_made_by_an_administrator_cannot_confirm_accounts(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    station = StationFactory()
    login(AdminFactory())
    _admin_creates_worker(client, station.id)
    page = client.post(
        "/users/new",
        data={
            "username": "second-admin",
            "display_name": "第二管理员",
            "role": "sysadmin",
            "unit_id": station.id,
        },
    )
    accomplice = _signed_in_owner(app, password_link_path(page), "second-admin")
    assert accomplice.post(f"/users/{_user('newworker').id}/confirm").status_code == 403
    assert _user("newworker").is_pending_confirmation


def test_a_new_administrator_is_confirmed_by_another_administrator(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    login(AdminFactory())
    client.post(
        "/users/new",
        data={
            "username": "second-admin",
            "display_name": "第二管理员",
            "role": "sysadmin",
            "unit_id": head.unit_id,
        },
    )
    head_client = app.test_client()
    head_client.post("/login", data={"username": head.username, "password": PASSWORD})
    assert head_client.post(f"/users/{_user('second-admin').id}/confirm").status_code == 403
    other = app.test_client()
    other.post("/login", data={"username": AdminFactory().username, "password": PASSWORD})
    assert other.post(f"/users/{_user('second-admin').id}/confirm").status_code == 302
