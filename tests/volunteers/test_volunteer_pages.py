"""The volunteer registry pages: scope, hours, masked phones, enabling and disabling."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from casework.activities import services as activity_services
from casework.core.clock import local_today
from casework.extensions import db
from casework.volunteers import services as volunteer_services
from casework.volunteers.models import Volunteer, VolunteerCategory
from tests.conftest import Login
from tests.factories import (
    ActivityFactory,
    AdminFactory,
    BureauViewerFactory,
    CaseFactory,
    ServiceUserFactory,
    StationHeadFactory,
    TutorFactory,
    VolunteerFactory,
    WorkerFactory,
    running_group,
)


def log_hours(volunteer: Volunteer, hours: float, **target: Any) -> None:
    if not target:
        target = {"activity": ActivityFactory(unit=volunteer.unit)}
    volunteer_services.assign_volunteer(
        actor=WorkerFactory(unit=volunteer.unit),
        volunteer=volunteer,
        served_on=local_today() - timedelta(days=1),
        hours=hours,
        role="",
        **target,
    )
    db.session.commit()


@contextmanager
def counted_queries(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = db.engines[None]
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


# --- scope ----------------------------------------------------------------------------------


def test_list_shows_only_the_volunteers_of_the_workers_station(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    VolunteerFactory(unit=worker.unit, name="本站志愿者")
    VolunteerFactory(name="别站志愿者")
    login(worker)
    body = client.get("/volunteers/").get_data(as_text=True)
    assert "本站志愿者" in body
    assert "别站志愿者" not in body


def test_worker_of_another_station_gets_404(client: FlaskClient, login: Login) -> None:
    volunteer = VolunteerFactory()
    login(WorkerFactory())
    assert client.get(f"/volunteers/{volunteer.id}").status_code == 404
    assert client.post(f"/volunteers/{volunteer.id}/disable").status_code == 404


@pytest.mark.parametrize("factory", [BureauViewerFactory, AdminFactory], ids=["bureau", "admin"])
def test_roles_without_casework_scope_get_403_on_the_list(
    client: FlaskClient, login: Login, factory: Any
) -> None:
    login(factory())
    assert client.get("/volunteers/").status_code == 403
    assert client.get("/volunteers/new").status_code == 403


@pytest.mark.parametrize("factory", [BureauViewerFactory, AdminFactory], ids=["bureau", "admin"])
def test_roles_without_casework_scope_get_404_on_a_volunteer(
    client: FlaskClient, login: Login, factory: Any
) -> None:
    volunteer = VolunteerFactory()
    login(factory())
    assert client.get(f"/volunteers/{volunteer.id}").status_code == 404


def test_tutor_reads_a_volunteer_with_a_masked_phone_and_cannot_edit(
    client: FlaskClient, login: Login
) -> None:
    volunteer = VolunteerFactory(phone="13912345678")
    login(TutorFactory(supervised_units=[volunteer.unit]))
    body = client.get(f"/volunteers/{volunteer.id}").get_data(as_text=True)
    assert "139****5678" in body
    assert "13912345678" not in body
    assert client.get(f"/volunteers/{volunteer.id}/edit").status_code == 403


def test_staff_of_the_unit_see_the_full_phone_on_the_volunteer_page(
    client: FlaskClient, login: Login
) -> None:
    volunteer = VolunteerFactory(phone="13912345678")
    login(WorkerFactory(unit=volunteer.unit))
    assert "13912345678" in client.get(f"/volunteers/{volunteer.id}").get_data(as_text=True)


# --- list ----------------------------------------------------------------------------------


def test_list_masks_phone_numbers(client: FlaskClient, login: Login) -> None:
    volunteer = VolunteerFactory(phone="13912345678")
    login(WorkerFactory(unit=volunteer.unit))
    body = client.get("/volunteers/").get_data(as_text=True)
    assert "139****5678" in body
    assert "13912345678" not in body


def test_list_filters_by_category(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    VolunteerFactory(unit=worker.unit, name="张医生", category=VolunteerCategory.MEDICAL)
    VolunteerFactory(unit=worker.unit, name="李老师", category=VolunteerCategory.TEACHER)
    login(worker)
    body = client.get("/volunteers/?category=medical").get_data(as_text=True)
    assert "张医生" in body
    assert "李老师" not in body


def test_hours_add_up_across_assignments(client: FlaskClient, login: Login) -> None:
    volunteer = VolunteerFactory()
    log_hours(volunteer, 2.5)
    log_hours(volunteer, 1.5)
    log_hours(volunteer, 3, group=running_group(unit=volunteer.unit))
    login(WorkerFactory(unit=volunteer.unit))
    listing = client.get("/volunteers/").get_data(as_text=True)
    page = client.get(f"/volunteers/{volunteer.id}").get_data(as_text=True)
    assert volunteer_services.volunteer_hours(volunteer) == 7.0
    assert f'data-hours="{volunteer.id}">7<' in listing
    assert '<th class="text-end" id="total-hours">7</th>' in page


def test_list_totals_hours_in_one_query_whatever_the_number_of_volunteers(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    login(worker)

    def queries_for_list() -> int:
        with counted_queries(app) as statements:
            assert client.get("/volunteers/").status_code == 200
        return len(statements)

    log_hours(VolunteerFactory(unit=worker.unit), 1)
    few = queries_for_list()
    for _index in range(4):
        log_hours(VolunteerFactory(unit=worker.unit), 1)
    assert queries_for_list() == few


def test_volunteer_page_shows_nothing_of_cases_or_service_users(
    client: FlaskClient, login: Login
) -> None:
    volunteer = VolunteerFactory()
    person = ServiceUserFactory(unit=volunteer.unit, name="赵桂芳")
    case = CaseFactory(service_user=person)
    activity = ActivityFactory(unit=volunteer.unit, title="重阳节敬老活动")
    activity_services.set_participants(actor=case.worker, activity=activity, people=[person])
    db.session.commit()
    log_hours(volunteer, 2, activity=activity)
    login(case.worker)
    body = client.get(f"/volunteers/{volunteer.id}").get_data(as_text=True)
    assert "重阳节敬老活动" in body
    assert "赵桂芳" not in body
    assert case.number not in body


# --- register, edit, disable -----------------------------------------------------------------


def test_worker_registers_a_volunteer_at_their_station(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    login(worker)
    response = client.post(
        "/volunteers/new",
        data={
            "name": "陈建华",
            "phone": "13800001111",
            "category": "medical",
            "skills": "测量血压",
            "availability": "周六上午",
        },
    )
    volunteer = db.session.scalar(select(Volunteer))
    assert volunteer is not None
    assert response.headers["Location"] == f"/volunteers/{volunteer.id}"
    assert (volunteer.unit_id, volunteer.category) == (worker.unit_id, VolunteerCategory.MEDICAL)


def test_invalid_volunteer_keeps_the_input(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    response = client.post(
        "/volunteers/new", data={"name": "陈建华", "phone": "call me", "category": "medical"}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "陈建华" in body
    assert "请填写有效的电话号码" in body


def test_station_head_edits_a_volunteer(client: FlaskClient, login: Login) -> None:
    volunteer = VolunteerFactory()
    login(StationHeadFactory(unit=volunteer.unit))
    response = client.post(
        f"/volunteers/{volunteer.id}/edit",
        data={"name": "陈建华", "phone": "", "category": "teacher", "availability": "周末"},
    )
    assert response.status_code == 302
    db.session.refresh(volunteer)
    assert (volunteer.name, volunteer.phone, volunteer.availability) == ("陈建华", None, "周末")


def test_disabled_volunteer_is_no_longer_offered_for_activities(
    client: FlaskClient, login: Login
) -> None:
    volunteer = VolunteerFactory(name="停用的志愿者")
    activity = ActivityFactory(unit=volunteer.unit)
    login(WorkerFactory(unit=volunteer.unit))
    assert client.post(f"/volunteers/{volunteer.id}/disable").status_code == 302
    db.session.refresh(volunteer)
    assert volunteer.is_active is False
    assert "停用的志愿者" not in client.get(f"/activities/{activity.id}").get_data(as_text=True)


def test_disabled_volunteer_can_be_enabled_again(client: FlaskClient, login: Login) -> None:
    volunteer = VolunteerFactory(is_active=False)
    login(WorkerFactory(unit=volunteer.unit))
    assert client.post(f"/volunteers/{volunteer.id}/enable").status_code == 302
    db.session.refresh(volunteer)
    assert volunteer.is_active is True


def test_tutor_cannot_disable_a_volunteer(client: FlaskClient, login: Login) -> None:
    volunteer = VolunteerFactory()
    login(TutorFactory(supervised_units=[volunteer.unit]))
    assert client.post(f"/volunteers/{volunteer.id}/disable").status_code == 403
