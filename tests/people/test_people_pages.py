"""Registering service users: search before create, validation, masking."""

from __future__ import annotations

from datetime import date

from flask.testing import FlaskClient

from casework.extensions import db
from casework.people.models import ServiceUser
from tests.conftest import Login
from tests.factories import ServiceUserFactory, WorkerFactory, make_id_number


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "刘桂兰",
        "gender": "female",
        "birth_date": "1956-03-14",
        "id_number": make_id_number(date(1956, 3, 14), serial=122),
        "phone": "13904311234",
        "address": "朝阳区湖西路 18 号",
        "consent_basis": "written",
        "consent_given_on": "2026-11-20",
    }
    data.update(overrides)
    return data


def _count() -> int:
    return int(db.session.scalar(db.select(db.func.count(ServiceUser.id))) or 0)


def test_worker_registers_a_person(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    login(worker)
    response = client.post("/people/new", data=_form())
    person = db.session.scalars(db.select(ServiceUser)).one()
    assert response.headers["Location"] == f"/people/{person.id}"
    assert person.unit_id == worker.unit_id


def test_invalid_id_number_is_refused_and_input_kept(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    response = client.post("/people/new", data=_form(id_number="220102195603141220"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "身份证号无效" in body
    assert "朝阳区湖西路 18 号" in body
    assert _count() == 0


def test_same_id_number_shows_the_possible_duplicate(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    existing = ServiceUserFactory(unit=worker.unit)
    login(worker)
    response = client.post(
        "/people/new", data=_form(name="另一个名字", id_number=existing.id_number, birth_date="")
    )
    assert response.status_code == 409
    assert f"/people/{existing.id}" in response.get_data(as_text=True)
    assert _count() == 1


def test_same_name_and_birth_date_shows_the_possible_duplicate(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    existing = ServiceUserFactory(unit=worker.unit, name="刘桂兰", id_number=None)
    login(worker)
    response = client.post("/people/new", data=_form(id_number=""))
    assert response.status_code == 409
    assert f"/people/{existing.id}" in response.get_data(as_text=True)


def test_confirmed_not_duplicate_is_registered(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    ServiceUserFactory(unit=worker.unit, name="刘桂兰", id_number=None)
    login(worker)
    client.post("/people/new", data=_form(id_number="", confirm_not_duplicate="y"))
    assert _count() == 2


def test_duplicate_search_ignores_other_stations(client: FlaskClient, login: Login) -> None:
    ServiceUserFactory(name="刘桂兰", id_number=None)
    login(WorkerFactory())
    response = client.post("/people/new", data=_form(id_number=""))
    assert response.status_code == 302


def test_list_masks_id_and_phone_numbers(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit, phone="13912345678")
    login(worker)
    body = client.get("/people/").get_data(as_text=True)
    assert person.id_number not in body
    assert person.masked_id_number in body
    assert "139****5678" in body


def test_detail_shows_full_numbers_to_the_stations_worker(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    assert person.id_number in client.get(f"/people/{person.id}").get_data(as_text=True)


def test_person_id_never_appears_in_search_urls(client: FlaskClient, login: Login) -> None:
    """Searching by an ID fragment finds the person without putting PII in links."""
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    body = client.get("/people/", query_string={"q": person.id_number[-6:]}).get_data(as_text=True)
    assert f"/people/{person.id}" in body
    assert person.id_number not in body


def test_household_member_is_added(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    client.post(
        f"/people/{person.id}/household",
        data={"name": "王小明", "relationship": "儿子", "birth_year": 1985, "lives_together": ""},
    )
    assert "王小明" in client.get(f"/people/{person.id}").get_data(as_text=True)
