"""Training plans, courses, sessions and attendance that credits continuing education."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.core.clock import local_today
from casework.extensions import db
from casework.workforce import services
from casework.workforce import training as training_services
from casework.workforce.models import (
    ContinuingEducationEntry,
    CourseFormat,
    CourseKind,
    EducationKind,
    TrainingCourse,
    TrainingPlan,
    WorkerProfile,
)
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    StationHeadFactory,
    TrainingCourseFactory,
    TrainingSessionFactory,
    TutorFactory,
    WorkerFactory,
    WorkerProfileFactory,
)


def _entries(profile: WorkerProfile) -> list[ContinuingEducationEntry]:
    return list(
        db.session.scalars(
            select(ContinuingEducationEntry).where(
                ContinuingEducationEntry.profile_id == profile.id
            )
        )
    )


def test_marking_present_credits_the_session_hours(app: Flask) -> None:
    session = TrainingSessionFactory(hours=Decimal("3.5"))
    profile = WorkerProfileFactory(unit=session.course.unit)
    training_services.mark_attendance(session, profile, is_present=True, actor=AdminFactory())
    db.session.commit()
    [entry] = _entries(profile)
    assert entry.kind is EducationKind.TRAINING
    assert entry.hours == Decimal("3.5")
    assert entry.started_on == session.held_on
    assert entry.title == session.course.title
    assert entry.is_automatic


def test_marking_present_twice_credits_once(app: Flask) -> None:
    session = TrainingSessionFactory()
    profile = WorkerProfileFactory(unit=session.course.unit)
    actor = AdminFactory()
    training_services.mark_attendance(session, profile, is_present=True, actor=actor)
    training_services.mark_attendance(session, profile, is_present=True, actor=actor)
    db.session.commit()
    assert len(_entries(profile)) == 1


def test_marking_absent_removes_the_credit(app: Flask) -> None:
    session = TrainingSessionFactory()
    profile = WorkerProfileFactory(unit=session.course.unit)
    actor = AdminFactory()
    training_services.mark_attendance(session, profile, is_present=True, actor=actor)
    training_services.mark_attendance(session, profile, is_present=False, actor=actor)
    db.session.commit()
    assert _entries(profile) == []


def test_absent_from_the_start_credits_nothing(app: Flask) -> None:
    session = TrainingSessionFactory()
    profile = WorkerProfileFactory(unit=session.course.unit)
    training_services.mark_attendance(session, profile, is_present=False, actor=AdminFactory())
    assert _entries(profile) == []


def test_credited_entry_cannot_be_deleted_by_hand(app: Flask) -> None:
    session = TrainingSessionFactory()
    profile = WorkerProfileFactory(unit=session.course.unit)
    actor = AdminFactory()
    training_services.mark_attendance(session, profile, is_present=True, actor=actor)
    [entry] = _entries(profile)
    with pytest.raises(services.WorkforceError, match="entry_from_attendance"):
        services.remove_education_entry(entry, actor=actor)


def test_future_session_cannot_be_marked_present(app: Flask) -> None:
    session = TrainingSessionFactory(held_on=local_today() + timedelta(days=3))
    profile = WorkerProfileFactory(unit=session.course.unit)
    with pytest.raises(services.WorkforceError, match="session_in_future"):
        training_services.mark_attendance(session, profile, is_present=True, actor=AdminFactory())


def test_attendance_sheet_credits_and_reverses(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    session = TrainingSessionFactory(course=TrainingCourseFactory(unit=head.unit))
    first = WorkerProfileFactory(unit=head.unit)
    second = WorkerProfileFactory(unit=head.unit)
    login(head)
    url = f"/workforce/training/sessions/{session.id}/attendance"
    response = client.post(url, data={"present": [str(first.id), str(second.id)]})
    assert response.status_code == 302
    assert len(_entries(first)) == 1
    assert len(_entries(second)) == 1
    client.post(url, data={"present": [str(first.id)]})
    db.session.expire_all()
    assert len(_entries(first)) == 1
    assert _entries(second) == []


def test_profile_hours_rise_when_attendance_is_recorded(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    session = TrainingSessionFactory(course=TrainingCourseFactory(unit=head.unit), hours=Decimal(4))
    profile = WorkerProfileFactory(unit=head.unit)
    services.add_certificate(
        profile,
        level=services.CertificateLevel.INTERMEDIATE,
        certificate_number="ZZ-1",
        obtained_on=local_today() - timedelta(days=400),
        registered_on=local_today() - timedelta(days=300),
        actor=head,
    )
    db.session.commit()
    login(head)
    before = client.get(f"/workforce/profiles/{profile.id}").get_data(as_text=True)
    assert '<span id="education-hours">0</span>' in before
    client.post(
        f"/workforce/training/sessions/{session.id}/attendance", data={"present": [str(profile.id)]}
    )
    after = client.get(f"/workforce/profiles/{profile.id}").get_data(as_text=True)
    assert '<span id="education-hours">4</span>' in after


def test_tutor_sees_the_sheet_but_may_not_mark(client: FlaskClient, login: Login) -> None:
    session = TrainingSessionFactory()
    profile = WorkerProfileFactory(unit=session.course.unit)
    login(TutorFactory(supervised_units=[session.course.unit]))
    url = f"/workforce/training/sessions/{session.id}/attendance"
    assert client.get(url).status_code == 200
    assert client.post(url, data={"present": [str(profile.id)]}).status_code == 403
    assert _entries(profile) == []


def test_head_of_another_station_gets_404_on_the_sheet(client: FlaskClient, login: Login) -> None:
    session = TrainingSessionFactory()
    login(StationHeadFactory())
    assert client.get(f"/workforce/training/sessions/{session.id}/attendance").status_code == 404


def test_bureau_viewer_gets_403_on_training(client: FlaskClient, login: Login) -> None:
    login(BureauViewerFactory())
    assert client.get("/workforce/training/").status_code == 403


def test_head_creates_a_plan_and_a_course_in_it(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    login(head)
    response = client.post(
        "/workforce/training/plans/new",
        data={"year": local_today().year, "title": "年度培训计划", "notes": ""},
    )
    assert response.status_code == 302
    plan = db.session.scalars(select(TrainingPlan)).one()
    response = client.post(
        f"/workforce/training/courses/new?plan={plan.id}",
        data={
            "plan": str(plan.id),
            "title": "个案管理专题",
            "kind": CourseKind.SPECIALISED.value,
            "format": CourseFormat.THEMATIC_TRAINING.value,
            "trainer": "李老师",
            "partner_kind": "party_school",
            "partner_name": "市委党校",
            "hours": "12",
        },
    )
    assert response.status_code == 302
    course = db.session.scalars(select(TrainingCourse)).one()
    assert (course.plan_id, course.unit_id, course.hours) == (plan.id, head.unit_id, Decimal(12))
    response = client.post(
        f"/workforce/training/courses/{course.id}/sessions/new",
        data={"held_on": local_today().isoformat(), "hours": "3", "place": "会议室"},
    )
    assert response.status_code == 302


def test_worker_may_not_create_plans(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    assert client.get("/workforce/training/plans/new").status_code == 403


def test_worker_sees_the_courses_of_their_unit(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    course = TrainingCourseFactory(unit=worker.unit)
    other = TrainingCourseFactory()
    login(worker)
    assert client.get(f"/workforce/training/courses/{course.id}").status_code == 200
    assert client.get(f"/workforce/training/courses/{other.id}").status_code == 404
