"""The audit log names records by case number or name, only for readers who may see them."""

from __future__ import annotations

from flask.testing import FlaskClient

from casework.core import audit
from casework.extensions import db
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    CaseFactory,
    GroupFactory,
    ServiceUserFactory,
    StationHeadFactory,
)


def _log(client: FlaskClient, query: str = "") -> str:
    response = client.get(f"/audit/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_head_reads_case_numbers_not_internal_ids(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    head = StationHeadFactory(unit=case.unit)
    audit.record("case.update", case, actor_id=case.worker_id)
    db.session.commit()
    login(head)
    page = _log(client)
    assert f"个案 {case.number}" in page
    assert f'href="/cases/{case.id}"' in page
    assert f"#{case.id}" not in page


def test_the_head_reads_the_name_of_a_person_of_the_station(
    client: FlaskClient, login: Login
) -> None:
    person = ServiceUserFactory(name="刘淑珍")
    head = StationHeadFactory(unit=person.unit)
    audit.record("service_user.update", person, actor_id=head.id)
    db.session.commit()
    login(head)
    assert "服务对象 刘淑珍" in _log(client)


def test_the_administrator_reads_no_name_of_a_person(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory(name="刘淑珍")
    audit.record("service_user.update", person, actor_id=StationHeadFactory(unit=person.unit).id)
    db.session.commit()
    login(AdminFactory())
    page = _log(client)
    assert "刘淑珍" not in page
    assert "服务对象" in page


def test_a_group_step_reads_as_its_label(client: FlaskClient, login: Login) -> None:
    group = GroupFactory()
    from casework.groups import services as group_services

    group_services.take_step(group, "submit_plan", actor=group.facilitator)
    db.session.commit()
    login(StationHeadFactory(unit=group.unit))
    page = _log(client)
    assert "submit_plan" not in page
    assert "提交小组计划书" in page
