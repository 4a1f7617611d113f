"""Training: plans, courses, sessions and attendance, which credits continuing-education hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from casework.accounts.models import User
from casework.core import audit
from casework.core.clock import local_today
from casework.extensions import db
from casework.orgs.models import Unit
from casework.workforce.models import (
    ContinuingEducationEntry,
    CourseFormat,
    CourseKind,
    EducationKind,
    PartnerKind,
    TrainingAttendance,
    TrainingCourse,
    TrainingPlan,
    TrainingSession,
    WorkerProfile,
)
from casework.workforce.services import MAX_ENTRY_HOURS, WorkforceError, clean_text


def create_plan(
    *, unit: Unit, year: int, title: str, notes: str | None, actor: User
) -> TrainingPlan:
    plan = TrainingPlan(unit_id=unit.id, year=year, title=title.strip(), notes=clean_text(notes))
    db.session.add(plan)
    db.session.flush()
    audit.record("training_plan.create", plan, actor_id=actor.id)
    return plan


def update_plan(
    plan: TrainingPlan, *, year: int, title: str, notes: str | None, actor: User
) -> None:
    plan.year = year
    plan.title = title.strip()
    plan.notes = clean_text(notes)
    audit.record("training_plan.update", plan, actor_id=actor.id)


@dataclass
class CourseDetails:
    title: str
    kind: CourseKind
    format: CourseFormat
    trainer: str | None
    partner_kind: PartnerKind | None
    partner_name: str | None
    hours: Decimal
    plan: TrainingPlan | None


def _apply_course(course: TrainingCourse, details: CourseDetails) -> None:
    if details.plan is not None and details.plan.unit_id != course.unit_id:
        raise WorkforceError("plan_other_unit")
    if details.hours < 0 or details.hours > MAX_ENTRY_HOURS:
        raise WorkforceError("invalid_hours")
    course.title = details.title.strip()
    course.kind = details.kind
    course.format = details.format
    course.trainer = clean_text(details.trainer)
    course.partner_kind = details.partner_kind
    course.partner_name = clean_text(details.partner_name)
    course.hours = details.hours
    course.plan = details.plan
    course.plan_id = details.plan.id if details.plan is not None else None


def create_course(*, unit: Unit, details: CourseDetails, actor: User) -> TrainingCourse:
    course = TrainingCourse(unit_id=unit.id)
    _apply_course(course, details)
    db.session.add(course)
    db.session.flush()
    audit.record("training_course.create", course, actor_id=actor.id)
    return course


def update_course(course: TrainingCourse, *, details: CourseDetails, actor: User) -> None:
    _apply_course(course, details)
    for session in course.sessions:
        for attendance in session.attendance:
            entry = _credited_entry(attendance)
            if entry is not None:
                entry.title = course.title
                entry.provider = course.partner_name
    audit.record("training_course.update", course, actor_id=actor.id)


def add_session(
    course: TrainingCourse,
    *,
    held_on: date,
    hours: Decimal,
    place: str | None,
    actor: User,
) -> TrainingSession:
    if hours <= 0 or hours > 24:
        raise WorkforceError("invalid_session_hours")
    session = TrainingSession(course=course, held_on=held_on, hours=hours, place=clean_text(place))
    db.session.add(session)
    db.session.flush()
    audit.record("training_session.create", session, actor_id=actor.id, unit_id=course.unit_id)
    return session


def _credited_entry(attendance: TrainingAttendance) -> ContinuingEducationEntry | None:
    if attendance.id is None:
        return None
    return db.session.scalars(
        select(ContinuingEducationEntry).where(
            ContinuingEducationEntry.source_attendance_id == attendance.id
        )
    ).first()


def mark_attendance(
    session: TrainingSession, profile: WorkerProfile, *, is_present: bool, actor: User
) -> TrainingAttendance:
    """Mark one attendee; being present credits the session's hours to continuing education."""
    if session.held_on > local_today() and is_present:
        raise WorkforceError("session_in_future")
    attendance = db.session.scalars(
        select(TrainingAttendance).where(
            TrainingAttendance.session_id == session.id,
            TrainingAttendance.profile_id == profile.id,
        )
    ).first()
    if attendance is None:
        attendance = TrainingAttendance(session=session, profile=profile, is_present=False)
        db.session.add(attendance)
    changed = attendance.is_present != is_present or attendance.id is None
    attendance.is_present = is_present
    attendance.recorded_by_id = actor.id
    db.session.flush()
    entry = _credited_entry(attendance)
    course = session.course
    if is_present and entry is None:
        db.session.add(
            ContinuingEducationEntry(
                profile_id=profile.id,
                kind=EducationKind.TRAINING,
                title=course.title,
                provider=course.partner_name,
                started_on=session.held_on,
                ended_on=session.held_on,
                hours=session.hours,
                source_attendance_id=attendance.id,
                created_by_id=actor.id,
            )
        )
    elif not is_present and entry is not None:
        db.session.delete(entry)
    if changed:
        audit.record(
            "training_attendance.mark",
            attendance,
            actor_id=actor.id,
            unit_id=course.unit_id,
            details={"present": is_present},
        )
    db.session.flush()
    return attendance
