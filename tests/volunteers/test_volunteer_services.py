"""Volunteers and community activities: registration, hours served, and their rules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from casework.activities import services as activity_services
from casework.activities.models import ActivityType, CommunityActivity
from casework.cases.enums import ServiceDomain
from casework.core.audit import AuditEntry
from casework.core.clock import local_today
from casework.extensions import db
from casework.groups.models import Group
from casework.volunteers import services as volunteer_services
from casework.volunteers.models import Volunteer, VolunteerAssignment, VolunteerCategory
from tests.factories import (
    ActivityFactory,
    ServiceUserFactory,
    StationFactory,
    VolunteerFactory,
    WorkerFactory,
    running_group,
)


@pytest.fixture(autouse=True)
def request_context(app: Flask) -> Iterator[None]:
    """Services run inside a request: outside one, rendering a GroupRuleError message fails."""
    with app.test_request_context():
        yield


def assignment_count() -> int:
    return db.session.scalar(select(func.count(VolunteerAssignment.id)))


def log(
    volunteer: Volunteer,
    *,
    hours: float = 2.0,
    days_ago: int = 1,
    activity: CommunityActivity | None = None,
    group: Group | None = None,
) -> VolunteerAssignment:
    """Log ``hours`` for ``volunteer`` on an activity of the volunteer's unit by default."""
    if activity is None and group is None:
        activity = ActivityFactory(unit=volunteer.unit)
    return volunteer_services.assign_volunteer(
        actor=WorkerFactory(unit=volunteer.unit),
        volunteer=volunteer,
        served_on=local_today() - timedelta(days=days_ago),
        hours=hours,
        role="测量血压",
        activity=activity,
        group=group,
    )


# --- registration --------------------------------------------------------------------------


def test_registering_keeps_the_details_trimmed() -> None:
    station = StationFactory()
    volunteer = volunteer_services.register_volunteer(
        actor=WorkerFactory(unit=station),
        unit=station,
        details=volunteer_services.VolunteerDetails(
            name=" 孙立新 ",
            phone="  ",
            category=VolunteerCategory.MEDICAL,
            skills=" 内科护理，测血压 ",
            availability="周六上午",
        ),
    )
    assert (volunteer.name, volunteer.phone, volunteer.skills, volunteer.is_active) == (
        "孙立新",
        None,
        "内科护理，测血压",
        True,
    )


def test_registration_is_audited() -> None:
    station = StationFactory()
    volunteer = volunteer_services.register_volunteer(
        actor=WorkerFactory(unit=station),
        unit=station,
        details=volunteer_services.VolunteerDetails(
            name="孙立新",
            phone="13604310000",
            category=VolunteerCategory.MEDICAL,
            skills="",
            availability="",
        ),
    )
    db.session.commit()
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "volunteer.create")
    ).one()
    assert (entry.object_id, entry.unit_id) == (volunteer.id, station.id)


def test_a_volunteers_phone_is_masked_for_lists() -> None:
    volunteer = VolunteerFactory(phone="13604315678")
    assert volunteer.masked_phone == "136****5678"


def test_disabling_a_volunteer_is_audited() -> None:
    volunteer = VolunteerFactory()
    volunteer_services.set_volunteer_active(
        actor=WorkerFactory(unit=volunteer.unit), volunteer=volunteer, active=False
    )
    db.session.commit()
    assert not volunteer.is_active
    assert db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.action == "volunteer.disable")
    )


# --- hours ---------------------------------------------------------------------------------


def test_hours_add_up_over_activities_and_groups() -> None:
    volunteer = VolunteerFactory()
    group = running_group(members=0, unit=volunteer.unit)
    log(volunteer, hours=2.5)
    log(volunteer, hours=1.5, group=group)
    log(volunteer, hours=3)
    db.session.commit()
    assert volunteer_services.volunteer_hours(volunteer) == 7.0


def test_hours_are_plain_floats() -> None:
    volunteer = VolunteerFactory()
    assignment = log(volunteer, hours=2.5)
    db.session.commit()
    db.session.expire_all()
    assert type(assignment.hours) is float
    assert type(volunteer_services.volunteer_hours(volunteer)) is float


def test_a_volunteer_without_assignments_has_no_hours() -> None:
    assert volunteer_services.volunteer_hours(VolunteerFactory()) == 0.0


def test_hours_of_one_volunteer_do_not_count_for_another() -> None:
    volunteer = VolunteerFactory()
    colleague = VolunteerFactory(unit=volunteer.unit)
    log(colleague, hours=4)
    assert volunteer_services.volunteer_hours(volunteer) == 0.0


@pytest.mark.parametrize("hours", [0.5, 24])
def test_hours_inside_the_day_are_accepted(hours: float) -> None:
    volunteer = VolunteerFactory()
    assert log(volunteer, hours=hours).hours == hours


@pytest.mark.parametrize("hours", [0, -1, 24.5])
def test_hours_outside_the_day_are_refused(hours: float) -> None:
    volunteer = VolunteerFactory()
    activity = ActivityFactory(unit=volunteer.unit)
    with pytest.raises(volunteer_services.VolunteerRuleError, match="服务时长"):
        log(volunteer, hours=hours, activity=activity)
    assert assignment_count() == 0


def test_a_future_service_date_is_refused() -> None:
    volunteer = VolunteerFactory()
    activity = ActivityFactory(unit=volunteer.unit)
    with pytest.raises(volunteer_services.VolunteerRuleError, match="服务日期"):
        log(volunteer, days_ago=-1, activity=activity)
    assert assignment_count() == 0


def test_service_today_is_accepted() -> None:
    volunteer = VolunteerFactory()
    assert log(volunteer, days_ago=0).served_on == local_today()


def test_another_units_volunteer_is_refused_for_an_activity() -> None:
    volunteer = VolunteerFactory()
    elsewhere = ActivityFactory()
    with pytest.raises(volunteer_services.VolunteerRuleError, match="本单位"):
        log(volunteer, activity=elsewhere)
    assert assignment_count() == 0


def test_another_units_volunteer_is_refused_for_a_group() -> None:
    volunteer = VolunteerFactory()
    elsewhere = running_group(members=0)
    with pytest.raises(volunteer_services.VolunteerRuleError, match="本单位"):
        log(volunteer, group=elsewhere)
    assert assignment_count() == 0


def test_an_inactive_volunteer_is_refused() -> None:
    volunteer = VolunteerFactory(is_active=False)
    activity = ActivityFactory(unit=volunteer.unit)
    with pytest.raises(volunteer_services.VolunteerRuleError, match="停用"):
        log(volunteer, activity=activity)
    assert assignment_count() == 0


def test_both_an_activity_and_a_group_are_refused() -> None:
    volunteer = VolunteerFactory()
    activity = ActivityFactory(unit=volunteer.unit)
    group = running_group(members=0, unit=volunteer.unit)
    with pytest.raises(volunteer_services.VolunteerRuleError, match="一项社区活动或一个小组"):
        log(volunteer, activity=activity, group=group)
    assert assignment_count() == 0


def test_neither_an_activity_nor_a_group_is_refused() -> None:
    volunteer = VolunteerFactory()
    with pytest.raises(volunteer_services.VolunteerRuleError, match="一项社区活动或一个小组"):
        volunteer_services.assign_volunteer(
            actor=WorkerFactory(unit=volunteer.unit),
            volunteer=volunteer,
            served_on=local_today(),
            hours=2,
            role="",
        )
    assert assignment_count() == 0


def test_logged_hours_are_audited_without_personal_data() -> None:
    volunteer = VolunteerFactory()
    assignment = log(volunteer, hours=2.5)
    db.session.commit()
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "volunteer.hours_logged")
    ).one()
    assert entry.details == {"assignment_id": assignment.id, "hours": 2.5}


# --- community activities ------------------------------------------------------------------


def activity_details(**overrides: Any) -> activity_services.ActivityDetails:
    values: dict[str, Any] = {
        "title": " 社区义诊 ",
        "held_on": local_today(),
        "starts_at": None,
        "place": "社区广场",
        "domain": ServiceDomain.COMMUNITY_HEALTH,
        "activity_type": ActivityType.FREE_CLINIC,
        "description": "测量血压、血糖",
        "participant_count": 60,
    }
    values.update(overrides)
    return activity_services.ActivityDetails(**values)


def test_an_activity_is_created_with_its_organiser() -> None:
    station = StationFactory()
    worker = WorkerFactory(unit=station)
    activity = activity_services.create_activity(
        actor=worker, unit=station, organiser=worker, details=activity_details()
    )
    assert (activity.title, activity.organiser_id, activity.unit_id) == (
        "社区义诊",
        worker.id,
        station.id,
    )


def test_an_organiser_from_another_unit_is_refused() -> None:
    station = StationFactory()
    outsider = WorkerFactory()
    with pytest.raises(activity_services.ActivityRuleError, match="本单位"):
        activity_services.create_activity(
            actor=outsider, unit=station, organiser=outsider, details=activity_details()
        )


def test_a_negative_participant_count_is_refused() -> None:
    station = StationFactory()
    worker = WorkerFactory(unit=station)
    with pytest.raises(activity_services.ActivityRuleError, match="参与人数"):
        activity_services.create_activity(
            actor=worker,
            unit=station,
            organiser=worker,
            details=activity_details(participant_count=-1),
        )


def test_registered_participants_raise_a_lower_count() -> None:
    activity = ActivityFactory()
    people = [ServiceUserFactory(unit=activity.unit) for _ in range(3)]
    activity_services.update_activity(
        actor=activity.organiser, activity=activity, details=activity_details(participant_count=1)
    )
    activity_services.set_participants(actor=activity.organiser, activity=activity, people=people)
    assert activity.participant_count == 3


def test_registered_participants_keep_a_higher_count() -> None:
    activity = ActivityFactory()
    people = [ServiceUserFactory(unit=activity.unit)]
    activity_services.set_participants(actor=activity.organiser, activity=activity, people=people)
    assert activity.participant_count == 40


def test_participants_from_another_unit_are_refused() -> None:
    activity = ActivityFactory()
    with pytest.raises(activity_services.ActivityRuleError, match="本单位"):
        activity_services.set_participants(
            actor=activity.organiser, activity=activity, people=[ServiceUserFactory()]
        )
    assert activity.participants == []
