"""Household files (户档): members, their cases and groups, visible to the unit only."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.extensions import db
from casework.people import households
from casework.people.models import Household, HouseholdPerson, ServiceUser
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    CaseFactory,
    ServiceUserFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)


def _household(worker: Any, *people: tuple[ServiceUser, str]) -> Household:
    household = households.create_household(
        actor=worker, name="刘桂兰户", address="朝阳区湖西路 1 号", notes=None
    )
    for person, relationship in people:
        households.add_member(
            actor=worker, household=household, person=person, relationship=relationship
        )
    db.session.commit()
    return household


def test_a_worker_creates_a_household(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    login(worker)
    client.post("/people/households/new", data={"name": "刘桂兰户", "address": "湖西路 1 号"})
    household = db.session.scalars(select(Household)).one()
    assert (household.name, household.unit_id) == ("刘桂兰户", worker.unit_id)


def test_a_worker_adds_a_person_of_the_unit(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    household = _household(worker)
    login(worker)
    client.post(
        f"/people/households/{household.id}/members",
        data={"person_id": person.id, "relationship": "户主"},
    )
    place = db.session.scalars(select(HouseholdPerson)).one()
    assert (place.service_user_id, place.relationship_to_head) == (person.id, "户主")


def test_the_household_page_shows_the_members_and_their_cases(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    head = ServiceUserFactory(unit=worker.unit, name="刘桂兰")
    child = ServiceUserFactory(unit=worker.unit, name="刘小明")
    case = CaseFactory(service_user=child, worker=worker)
    household = _household(worker, (head, "户主"), (child, "孙子女"))
    login(worker)
    body = client.get(f"/people/households/{household.id}").get_data(as_text=True)
    assert "刘桂兰" in body
    assert "刘小明" in body
    assert case.number in body


def test_a_household_is_found_by_a_members_name(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    member = ServiceUserFactory(unit=worker.unit, name="王德顺")
    household = _household(worker, (member, "配偶"))
    login(worker)
    body = client.get("/people/households/?q=德顺").get_data(as_text=True)
    assert f"/people/households/{household.id}" in body


def test_a_person_of_another_unit_cannot_join(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    household = _household(worker)
    with pytest.raises(households.HouseholdError, match="other_unit"):
        households.add_member(
            actor=worker, household=household, person=ServiceUserFactory(), relationship="户主"
        )


def test_a_person_belongs_to_one_household(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    _household(worker, (person, "户主"))
    second = _household(worker)
    login(worker)
    response = client.post(
        f"/people/households/{second.id}/members",
        data={"person_id": person.id, "relationship": "子女"},
    )
    assert response.status_code == 422
    assert len(db.session.scalars(select(HouseholdPerson)).all()) == 1


def test_an_unknown_relationship_is_refused(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    household = _household(worker)
    login(worker)
    response = client.post(
        f"/people/households/{household.id}/members",
        data={"person_id": person.id, "relationship": "邻居"},
    )
    assert response.status_code == 422


def test_the_supervising_tutor_reads_the_household(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    household = _household(worker)
    login(TutorFactory(supervised_units=[worker.unit]))
    assert client.get(f"/people/households/{household.id}").status_code == 200


@pytest.mark.parametrize(
    "make_user",
    [WorkerFactory, StationHeadFactory, TutorFactory, AdminFactory, BureauViewerFactory],
)
def test_other_units_do_not_see_the_household(
    client: FlaskClient, login: Login, make_user: Any
) -> None:
    household = _household(WorkerFactory())
    login(make_user())
    assert client.get(f"/people/households/{household.id}").status_code == 404


def test_a_worker_of_another_unit_cannot_add_members(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    household = _household(worker)
    outsider = WorkerFactory()
    person = ServiceUserFactory(unit=outsider.unit)
    login(outsider)
    response = client.post(
        f"/people/households/{household.id}/members",
        data={"person_id": person.id, "relationship": "户主"},
    )
    assert response.status_code == 404
    assert db.session.scalars(select(HouseholdPerson)).first() is None


def test_the_supervising_tutor_cannot_change_a_household(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    household = _household(worker)
    login(TutorFactory(supervised_units=[worker.unit]))
    response = client.post(
        f"/people/households/{household.id}/members",
        data={"person_id": person.id, "relationship": "户主"},
    )
    assert response.status_code == 403


def test_the_person_page_links_to_the_household(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    household = _household(worker, (person, "户主"))
    login(worker)
    body = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert f"/people/households/{household.id}" in body


def test_a_huge_person_number_is_refused_without_a_server_error(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    household = _household(worker)
    login(worker)
    response = client.post(
        f"/people/households/{household.id}/members",
        data={"person_id": 2**40, "relationship": "户主"},
    )
    assert response.status_code == 422
