"""Community activity pages: scope, planning, participants and volunteers' hours."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from casework.activities.models import ActivityType, CommunityActivity
from casework.core.clock import local_today
from casework.extensions import db
from casework.volunteers.models import VolunteerAssignment
from tests.audit_helpers import shown_to
from tests.conftest import Login
from tests.factories import (
    ActivityFactory,
    AdminFactory,
    BureauViewerFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    VolunteerFactory,
    WorkerFactory,
)


def activity_form(organiser_id: int, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "健康讲座：老年人防跌倒",
        "held_on": local_today().isoformat(),
        "start_time": "14:30",
        "place": "社区活动室",
        "domain": "community_health",
        "activity_type": "publicity",
        "description": "请社区医生讲解居家防跌倒",
        "participant_count": "35",
        "organiser_id": str(organiser_id),
    }
    data.update(overrides)
    return data


def assignment_count() -> int:
    return db.session.scalar(select(func.count(VolunteerAssignment.id)))


# --- scope ----------------------------------------------------------------------------------


def test_list_shows_only_the_activities_of_the_workers_station(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    ActivityFactory(unit=worker.unit, title="本站义诊")
    ActivityFactory(title="别站清洁日")
    login(worker)
    body = client.get("/activities/").get_data(as_text=True)
    assert "本站义诊" in body
    assert "别站清洁日" not in body


def test_worker_of_another_station_gets_404(client: FlaskClient, login: Login) -> None:
    activity = ActivityFactory()
    login(WorkerFactory())
    assert client.get(f"/activities/{activity.id}").status_code == 404
    assert client.get(f"/activities/{activity.id}/edit").status_code == 404


@pytest.mark.parametrize("factory", [BureauViewerFactory, AdminFactory], ids=["bureau", "admin"])
def test_roles_without_casework_scope_get_403_on_the_list(
    client: FlaskClient, login: Login, factory: Any
) -> None:
    login(factory())
    assert client.get("/activities/").status_code == 403


@pytest.mark.parametrize("factory", [BureauViewerFactory, AdminFactory], ids=["bureau", "admin"])
def test_roles_without_casework_scope_get_404_on_an_activity(
    client: FlaskClient, login: Login, factory: Any
) -> None:
    activity = ActivityFactory()
    login(factory())
    assert client.get(f"/activities/{activity.id}").status_code == 404


def test_tutor_reads_a_supervised_stations_activity_but_cannot_edit_it(
    client: FlaskClient, login: Login
) -> None:
    activity = ActivityFactory()
    login(TutorFactory(supervised_units=[activity.unit]))
    assert client.get(f"/activities/{activity.id}").status_code == 200
    assert client.get(f"/activities/{activity.id}/edit").status_code == 403


def test_tutor_cannot_create_an_activity(client: FlaskClient, login: Login) -> None:
    login(TutorFactory(supervised_units=[StationFactory()]))
    assert client.get("/activities/new").status_code == 403


def test_viewing_an_activity_is_audited(client: FlaskClient, login: Login) -> None:
    activity = ActivityFactory()
    worker = WorkerFactory(unit=activity.unit)
    login(worker)
    client.get(f"/activities/{activity.id}")
    assert ("community_activities", activity.id, activity.unit_id) in shown_to(worker.id)


# --- list ----------------------------------------------------------------------------------


def test_list_filters_by_type(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    ActivityFactory(unit=worker.unit, title="义诊日", activity_type=ActivityType.FREE_CLINIC)
    ActivityFactory(unit=worker.unit, title="楼道清扫", activity_type=ActivityType.CLEAN_UP)
    login(worker)
    body = client.get("/activities/?type=clean_up").get_data(as_text=True)
    assert "楼道清扫" in body
    assert "义诊日" not in body


def test_list_is_newest_first_and_paginated(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    for days in range(26):
        ActivityFactory(
            unit=worker.unit,
            organiser=worker,
            title=f"活动{days:02d}",
            held_on=local_today() - timedelta(days=days),
        )
    login(worker)
    first = client.get("/activities/").get_data(as_text=True)
    second = client.get("/activities/?page=2").get_data(as_text=True)
    assert first.index("活动00") < first.index("活动01")
    assert "活动25" not in first
    assert "活动25" in second


# --- planning --------------------------------------------------------------------------------


def test_worker_plans_an_activity_with_a_colleague_as_organiser(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    colleague = WorkerFactory(unit=worker.unit)
    login(worker)
    response = client.post("/activities/new", data=activity_form(colleague.id))
    activity = db.session.scalar(select(CommunityActivity))
    assert activity is not None
    assert response.status_code == 302
    assert response.headers["Location"] == f"/activities/{activity.id}"
    assert (activity.organiser_id, activity.unit_id) == (colleague.id, worker.unit_id)
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert "14:30" in page  # the local time the worker typed, whatever the database stores


def test_organiser_must_be_a_worker_of_the_unit(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    outsider = WorkerFactory()
    login(worker)
    response = client.post("/activities/new", data=activity_form(outsider.id))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(CommunityActivity.id))) == 0


def test_invalid_activity_keeps_the_input(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    login(worker)
    response = client.post("/activities/new", data=activity_form(worker.id, participant_count="-3"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "健康讲座：老年人防跌倒" in body
    assert "参与人数须在 0 到 100000 之间" in body


def test_station_head_edits_an_activity(client: FlaskClient, login: Login) -> None:
    activity = ActivityFactory()
    login(StationHeadFactory(unit=activity.unit))
    form = activity_form(activity.organiser_id, title="义诊（改期）", start_time="")
    response = client.post(f"/activities/{activity.id}/edit", data=form)
    assert response.status_code == 302
    db.session.refresh(activity)
    assert activity.title == "义诊（改期）"
    assert activity.starts_at is None


# --- participants ----------------------------------------------------------------------------


def test_participants_are_found_by_name_and_registered(client: FlaskClient, login: Login) -> None:
    activity = ActivityFactory()
    person = ServiceUserFactory(unit=activity.unit, name="王秀兰")
    login(WorkerFactory(unit=activity.unit))
    search = client.get(f"/activities/{activity.id}/participants?q=秀兰")
    assert "王秀兰" in search.get_data(as_text=True)
    response = client.post(
        f"/activities/{activity.id}/participants", data={"person_ids": [str(person.id)]}
    )
    assert response.status_code == 302
    db.session.refresh(activity)
    assert [p.id for p in activity.participants] == [person.id]


def test_a_service_user_of_another_unit_cannot_be_registered(
    client: FlaskClient, login: Login
) -> None:
    activity = ActivityFactory()
    outsider = ServiceUserFactory()
    login(WorkerFactory(unit=activity.unit))
    response = client.post(
        f"/activities/{activity.id}/participants", data={"person_ids": [str(outsider.id)]}
    )
    assert response.status_code == 422
    db.session.refresh(activity)
    assert activity.participants == []


# --- volunteers ------------------------------------------------------------------------------


def assign(client: FlaskClient, activity_id: int, volunteer_id: int, **overrides: str) -> Any:
    data = {
        "volunteer_id": str(volunteer_id),
        "served_on": local_today().isoformat(),
        "hours": "3",
        "role": "测量血压",
    }
    data.update(overrides)
    return client.post(f"/activities/{activity_id}/volunteers", data=data)


def test_volunteer_hours_are_logged_on_the_activity(client: FlaskClient, login: Login) -> None:
    activity = ActivityFactory()
    volunteer = VolunteerFactory(unit=activity.unit, name="李志愿")
    login(WorkerFactory(unit=activity.unit))
    response = assign(client, activity.id, volunteer.id, hours="2.5")
    assert response.status_code == 302
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert "李志愿" in page
    assert "2.5" in page


def test_a_volunteer_of_another_unit_cannot_be_assigned(client: FlaskClient, login: Login) -> None:
    activity = ActivityFactory()
    outsider = VolunteerFactory()
    login(WorkerFactory(unit=activity.unit))
    assert assign(client, activity.id, outsider.id).status_code == 422
    assert assignment_count() == 0


@pytest.mark.parametrize("hours", ["nan", "inf", "-Infinity"])
def test_hours_that_are_not_a_number_are_refused(
    client: FlaskClient, login: Login, hours: str
) -> None:
    activity = ActivityFactory()
    volunteer = VolunteerFactory(unit=activity.unit)
    login(WorkerFactory(unit=activity.unit))
    response = assign(client, activity.id, volunteer.id, hours=hours)
    assert response.status_code == 422
    assert "请填写数字" in response.get_data(as_text=True)
    assert assignment_count() == 0


@pytest.mark.parametrize("hours", ["0", "-1", "24.5"])
def test_hours_out_of_range_are_refused(client: FlaskClient, login: Login, hours: str) -> None:
    activity = ActivityFactory()
    volunteer = VolunteerFactory(unit=activity.unit)
    login(WorkerFactory(unit=activity.unit))
    response = assign(client, activity.id, volunteer.id, hours=hours)
    assert response.status_code == 422
    assert "服务时长须大于 0 且不超过 24 小时" in response.get_data(as_text=True)
    assert assignment_count() == 0


def test_tutor_cannot_log_volunteer_hours(client: FlaskClient, login: Login) -> None:
    activity = ActivityFactory()
    volunteer = VolunteerFactory(unit=activity.unit)
    login(TutorFactory(supervised_units=[activity.unit]))
    assert assign(client, activity.id, volunteer.id).status_code == 403
