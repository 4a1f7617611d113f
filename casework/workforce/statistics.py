"""Workforce figures for a unit subtree: certified workers, posts, registration, training.

The rows behind the figures are read once for all units in scope and counted per unit, so
a unit's subtree and each of its branches add up from the same counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from casework.core.numbers import one_decimal
from casework.extensions import db
from casework.volunteers.models import Volunteer, VolunteerAssignment
from casework.workforce.hours import WARNING_WINDOW_DAYS
from casework.workforce.models import (
    DEGREE_HOURS,
    Certificate,
    CertificateLevel,
    ContinuingEducationEntry,
    EducationKind,
    Post,
    TrainingAttendance,
    TrainingCourse,
    TrainingSession,
    WorkerProfile,
    add_years,
    required_hours,
)


@dataclass
class WorkforceCounts:
    """Additive counts of one unit (or a sum of units)."""

    workers: int = 0
    assistant: int = 0
    intermediate: int = 0
    senior: int = 0
    posts: int = 0
    posts_filled: int = 0
    posts_certified: int = 0
    registration_due: int = 0
    registration_overdue: int = 0
    registered: int = 0
    education_compliant: int = 0
    training_sessions: int = 0
    training_hours: float = 0.0
    trainee_hours: float = 0.0
    volunteers: int = 0
    volunteer_hours: float = 0.0

    @property
    def certified(self) -> int:
        return self.assistant + self.intermediate + self.senior

    def by_level(self, level: CertificateLevel) -> int:
        return int(getattr(self, level.value))

    def add(self, other: WorkforceCounts) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


def total(counts: Iterable[WorkforceCounts]) -> WorkforceCounts:
    result = WorkforceCounts()
    for item in counts:
        result.add(item)
    return result


@dataclass
class _Worker:
    unit_id: int
    level: CertificateLevel | None = None
    obtained_on: date | None = None
    registered_on: date | None = None
    reregistered_on: date | None = None
    entries: list[tuple[EducationKind, date, Decimal, bool]] = field(default_factory=list)


def _period_hours(worker: _Worker, start: date, end: date) -> Decimal:
    hours = Decimal(0)
    degree_counted = False
    for kind, counted_on, entry_hours, degree_completed in worker.entries:
        if not start <= counted_on < end:
            continue
        if kind is EducationKind.DEGREE:
            if degree_completed and not degree_counted:
                hours += DEGREE_HOURS
                degree_counted = True
        else:
            hours += entry_hours
    return hours


def counts_by_unit(
    unit_ids: Sequence[int], *, start: date, end: date, today: date
) -> dict[int, WorkforceCounts]:
    """Counts per unit: people and posts as they are ``today``; training and volunteering in
    [start, end]."""
    counts: dict[int, WorkforceCounts] = defaultdict(WorkforceCounts)
    if not unit_ids:
        return counts
    workers: dict[int, _Worker] = {
        profile_id: _Worker(unit_id)
        for profile_id, unit_id in db.session.execute(
            select(WorkerProfile.id, WorkerProfile.unit_id).where(
                WorkerProfile.unit_id.in_(unit_ids), WorkerProfile.is_active.is_(True)
            )
        )
    }
    active = select(WorkerProfile.id).where(
        WorkerProfile.unit_id.in_(unit_ids), WorkerProfile.is_active.is_(True)
    )
    for profile_id, level, obtained, registered, reregistered in db.session.execute(
        select(
            Certificate.profile_id,
            Certificate.level,
            Certificate.obtained_on,
            Certificate.registered_on,
            Certificate.last_reregistered_on,
        ).where(Certificate.profile_id.in_(active))
    ):
        worker = workers[profile_id]
        if worker.level is None or (level.rank, obtained) > (
            worker.level.rank,
            worker.obtained_on,
        ):
            worker.level, worker.obtained_on = level, obtained
            worker.registered_on, worker.reregistered_on = registered, reregistered
    for profile_id, kind, started, ended, hours, degree in db.session.execute(
        select(
            ContinuingEducationEntry.profile_id,
            ContinuingEducationEntry.kind,
            ContinuingEducationEntry.started_on,
            ContinuingEducationEntry.ended_on,
            ContinuingEducationEntry.hours,
            ContinuingEducationEntry.is_degree_completed,
        ).where(ContinuingEducationEntry.profile_id.in_(active))
    ):
        workers[profile_id].entries.append((kind, ended or started, Decimal(hours), degree))

    window_end = today + timedelta(days=WARNING_WINDOW_DAYS)
    for worker in workers.values():
        unit = counts[worker.unit_id]
        unit.workers += 1
        if worker.level is None or worker.obtained_on is None:
            continue
        setattr(unit, worker.level.value, unit.by_level(worker.level) + 1)
        period_start = worker.reregistered_on or worker.registered_on
        if period_start is None:
            due = add_years(worker.obtained_on, 1)
        else:
            due = add_years(period_start, 3)
            unit.registered += 1
            hours = _period_hours(worker, period_start, due)
            if hours >= required_hours(worker.level):
                unit.education_compliant += 1
        if due < today:
            unit.registration_overdue += 1
        elif due <= window_end:
            unit.registration_due += 1

    for unit_id, required, holder_id in db.session.execute(
        select(Post.unit_id, Post.required_level, Post.holder_profile_id).where(
            Post.unit_id.in_(unit_ids)
        )
    ):
        unit = counts[unit_id]
        unit.posts += 1
        if holder_id is None:
            continue
        unit.posts_filled += 1
        holder = workers.get(holder_id)
        held = holder.level if holder is not None else None
        if held is not None and (required is None or held.rank >= required.rank):
            unit.posts_certified += 1

    held_sessions = (
        select(TrainingSession.id, TrainingSession.hours, TrainingCourse.unit_id)
        .join(TrainingCourse, TrainingCourse.id == TrainingSession.course_id)
        .where(
            TrainingCourse.unit_id.in_(unit_ids),
            TrainingSession.held_on >= start,
            TrainingSession.held_on <= end,
        )
        .subquery()
    )
    for unit_id, sessions, hours in db.session.execute(
        select(held_sessions.c.unit_id, func.count(), func.sum(held_sessions.c.hours)).group_by(
            held_sessions.c.unit_id
        )
    ):
        counts[unit_id].training_sessions += int(sessions)
        counts[unit_id].training_hours += float(hours or 0)
    for unit_id, hours in db.session.execute(
        select(held_sessions.c.unit_id, func.sum(held_sessions.c.hours))
        .join(TrainingAttendance, TrainingAttendance.session_id == held_sessions.c.id)
        .where(TrainingAttendance.is_present.is_(True))
        .group_by(held_sessions.c.unit_id)
    ):
        counts[unit_id].trainee_hours += float(hours or 0)

    for unit_id, number in db.session.execute(
        select(Volunteer.unit_id, func.count())
        .where(Volunteer.unit_id.in_(unit_ids), Volunteer.is_active.is_(True))
        .group_by(Volunteer.unit_id)
    ):
        counts[unit_id].volunteers += int(number)
    for unit_id, volunteer_hours in db.session.execute(
        select(Volunteer.unit_id, func.sum(VolunteerAssignment.hours))
        .join(Volunteer, Volunteer.id == VolunteerAssignment.volunteer_id)
        .where(
            Volunteer.unit_id.in_(unit_ids),
            VolunteerAssignment.served_on >= start,
            VolunteerAssignment.served_on <= end,
        )
        .group_by(Volunteer.unit_id)
    ):
        counts[unit_id].volunteer_hours += float(volunteer_hours or 0)
    return counts


def counts_of(unit_ids: Sequence[int], *, year: int, today: date) -> WorkforceCounts:
    """The units together: people and posts as they are ``today``, training in ``year``."""
    counts = counts_by_unit(unit_ids, start=date(year, 1, 1), end=date(year, 12, 31), today=today)
    return total(counts[unit_id] for unit_id in unit_ids)


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent, one decimal; None when there is no whole."""
    return one_decimal(100 * part / whole) if whole else None
