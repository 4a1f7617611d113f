"""One person, one file: an ID number is registered once in the whole organisation."""

from __future__ import annotations

from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from casework.extensions import db
from casework.people import services
from casework.people.models import ServiceUser
from tests.conftest import Login
from tests.factories import (
    ServiceUserFactory,
    StationHeadFactory,
    WorkerFactory,
    make_id_number,
)


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "刘桂兰",
        "gender": "female",
        "birth_date": "",
        "id_number": make_id_number(date(1956, 3, 14), serial=122),
        "consent_basis": "written",
        "consent_given_on": "2026-11-20",
    }
    data.update(overrides)
    return data


def _count() -> int:
    return int(db.session.scalar(select(func.count(ServiceUser.id))) or 0)


def test_an_id_number_registered_at_another_station_names_it_and_creates_nothing(
    client: FlaskClient, login: Login
) -> None:
    elsewhere = ServiceUserFactory()
    head = StationHeadFactory(unit=elsewhere.unit, display_name="王站长")
    login(WorkerFactory())
    response = client.post("/people/new", data=_form(id_number=elsewhere.id_number))
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert elsewhere.unit.name in body
    assert head.display_name in body
    assert _count() == 1


def test_the_notice_about_another_station_does_not_link_to_its_record(
    client: FlaskClient, login: Login
) -> None:
    elsewhere = ServiceUserFactory()
    login(WorkerFactory())
    response = client.post("/people/new", data=_form(id_number=elsewhere.id_number))
    assert f"/people/{elsewhere.id}" not in response.get_data(as_text=True)


def test_confirming_not_a_duplicate_does_not_override_a_registered_id_number(
    client: FlaskClient, login: Login
) -> None:
    elsewhere = ServiceUserFactory()
    login(WorkerFactory())
    response = client.post(
        "/people/new",
        data=_form(id_number=elsewhere.id_number, confirm_not_duplicate="y"),
    )
    assert response.status_code == 409
    assert _count() == 1


def test_the_database_refuses_a_second_record_with_the_same_id_number(app: object) -> None:
    existing = ServiceUserFactory()
    db.session.add(ServiceUser(unit_id=existing.unit_id, name="重复", id_number=existing.id_number))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_record_registered_twice_before_the_rule_stands_outside_it(app: object) -> None:
    existing = ServiceUserFactory()
    ServiceUserFactory(id_number=existing.id_number, id_number_conflict=True)
    assert _count() == 2


def test_changing_an_id_number_to_one_registered_elsewhere_is_refused(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    own_number = person.id_number
    elsewhere = ServiceUserFactory()
    login(worker)
    response = client.post(
        f"/people/{person.id}/edit",
        data=_form(name=person.name, id_number=elsewhere.id_number),
    )
    assert response.status_code == 422
    assert elsewhere.unit.name in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ServiceUser, person.id).id_number == own_number  # type: ignore[union-attr]


def test_correcting_the_number_of_a_record_registered_twice_makes_it_hold_it(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    first = ServiceUserFactory()
    second = ServiceUserFactory(
        unit=worker.unit, id_number=first.id_number, id_number_conflict=True
    )
    login(worker)
    corrected = make_id_number(date(1956, 3, 14), serial=998)
    client.post(f"/people/{second.id}/edit", data=_form(name=second.name, id_number=corrected))
    db.session.expire_all()
    person = db.session.get(ServiceUser, second.id)
    assert person is not None
    assert (person.id_number, person.id_number_conflict) == (corrected, False)


def test_a_record_registered_meanwhile_with_the_same_number_refuses_the_second(
    client: FlaskClient, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another request registered the number after this one's checks looked: the
    # database's unique index refuses the write, and the answer is the same refusal.
    elsewhere = ServiceUserFactory()
    real = services.id_number_holder
    calls = {"n": 0}

    def too_early(id_number: str | None, *, excluding: int | None = None) -> object:
        calls["n"] += 1
        return None if calls["n"] <= 2 else real(id_number, excluding=excluding)

    monkeypatch.setattr(services, "id_number_holder", too_early)
    login(WorkerFactory())
    response = client.post("/people/new", data=_form(id_number=elsewhere.id_number))
    assert response.status_code == 422
    assert elsewhere.unit.name in response.get_data(as_text=True)
    assert _count() == 1
