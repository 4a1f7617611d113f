"""A worker's figures for a period, counted from the records they keep.

One function, :func:`worker_figures`, counts everything the summary (工作小结) and the
annual assessment show, with each domain's own definitions:

- cases held by stage: the worker's cases open (在案, ``cases.queries.open_on``) on the
  period's last day, by the stage they were in on that day (their last transition by then);
- cases opened (by ``opened_on``) and closed (closure approved, ``closed_on``, the case
  已结案 or in 回访) in the period;
- service records the worker wrote (``author_id``) of services in the period (``served_on``),
  their hours by service form, and how many were written on time
  (``cases.timeliness.is_written_late``, the one definition of a late record);
- goals evaluated and attained (完全达成 or 基本达成) in the worker's current evaluation
  reports written in the period;
- groups the worker facilitated that ran in the period, and their sessions held (recorded)
  in it; community activities the worker organised held in it;
- supervision sessions the worker attended; training hours attended (present) and
  continuing-education hours counted in the period (``workforce.hours.hours_between``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from casework.accounts.models import User
from casework.activities.models import CommunityActivity
from casework.cases.enums import Attainment, CaseStatus, ServiceForm
from casework.cases.models import Case, CaseTransition, Evaluation, GoalResult, ServiceRecord
from casework.cases.queries import open_on
from casework.cases.timeliness import is_written_late
from casework.core.clock import local_timezone
from casework.core.models import as_utc
from casework.core.numbers import one_decimal
from casework.extensions import db
from casework.groups.models import Group, GroupSession
from casework.supervision.models import SupervisionSession, supervision_workers
from casework.workforce.hours import hours_between
from casework.workforce.models import (
    ContinuingEducationEntry,
    TrainingAttendance,
    TrainingSession,
    WorkerProfile,
)

CLOSED_STATUSES = (CaseStatus.CLOSED, CaseStatus.FOLLOW_UP)
ATTAINED = (Attainment.FULLY_MET, Attainment.MOSTLY_MET)


@dataclass
class WorkerFigures:
    """What one worker did in one period (dates inclusive)."""

    cases_by_stage: dict[CaseStatus, int] = field(default_factory=dict)
    cases_opened: int = 0
    cases_closed: int = 0
    records_by_form: dict[ServiceForm, int] = field(default_factory=dict)
    minutes_by_form: dict[ServiceForm, int] = field(default_factory=dict)
    records_on_time: int = 0
    goals_evaluated: int = 0
    goals_attained: int = 0
    groups_led: int = 0
    sessions_led: int = 0
    activities: int = 0
    supervision_sessions: int = 0
    training_hours: Decimal = Decimal(0)
    education_hours: Decimal = Decimal(0)

    @property
    def cases_held(self) -> int:
        return sum(self.cases_by_stage.values())

    @property
    def records(self) -> int:
        return sum(self.records_by_form.values())

    @property
    def records_late(self) -> int:
        return self.records - self.records_on_time

    @property
    def service_hours(self) -> float:
        return one_decimal(sum(self.minutes_by_form.values()) / 60)

    def hours_by_form(self, form: ServiceForm) -> float:
        return one_decimal(self.minutes_by_form.get(form, 0) / 60)


@dataclass(frozen=True)
class FigureRow:
    """One line of the summary: a figure, its value now and in the previous period."""

    key: str
    label: Any
    value: float | int
    previous: float | int | None = None
    is_part: bool = False  # a breakdown line under the figure above it

    @property
    def difference(self) -> float | int | None:
        if self.previous is None:
            return None
        change = self.value - self.previous
        return one_decimal(change) if isinstance(change, float) else change


def _number(value: Decimal | float | int) -> float | int:
    if isinstance(value, int):
        return value
    return one_decimal(float(value))


def figure_rows(figures: WorkerFigures) -> list[FigureRow]:
    """The figures in the order the summary, the assessment and its PDF show them."""
    rows = [FigureRow("cases.held", _l("在案个案（期末）"), figures.cases_held)]
    rows += [
        FigureRow(f"cases.stage.{status.value}", status.lazy_label, count, is_part=True)
        for status in CaseStatus
        if (count := figures.cases_by_stage.get(status, 0))
    ]
    rows += [
        FigureRow("cases.opened", _l("新开个案"), figures.cases_opened),
        FigureRow("cases.closed", _l("结案个案"), figures.cases_closed),
        FigureRow("records", _l("服务记录"), figures.records),
        FigureRow("records.on_time", _l("按时填写的服务记录"), figures.records_on_time),
        FigureRow("records.late", _l("逾期填写的服务记录"), figures.records_late),
        FigureRow("hours", _l("服务时长（小时）"), figures.service_hours),
    ]
    for form in ServiceForm:
        if figures.records_by_form.get(form):
            rows.append(
                FigureRow(
                    f"records.form.{form.value}",
                    _l("%(form)s：记录数", form=form.lazy_label),
                    figures.records_by_form[form],
                    is_part=True,
                )
            )
            rows.append(
                FigureRow(
                    f"hours.form.{form.value}",
                    _l("%(form)s：时长（小时）", form=form.lazy_label),
                    figures.hours_by_form(form),
                    is_part=True,
                )
            )
    rows += [
        FigureRow("goals.evaluated", _l("评估的服务目标"), figures.goals_evaluated),
        FigureRow("goals.attained", _l("达成的服务目标"), figures.goals_attained),
        FigureRow("groups.led", _l("带领的小组"), figures.groups_led),
        FigureRow("groups.sessions", _l("带领的小组活动节次"), figures.sessions_led),
        FigureRow("activities", _l("组织的社区活动"), figures.activities),
        FigureRow("supervision", _l("接受督导次数"), figures.supervision_sessions),
        FigureRow("training.hours", _l("培训学时"), _number(figures.training_hours)),
        FigureRow("education.hours", _l("继续教育学时"), _number(figures.education_hours)),
    ]
    return rows


def compared_rows(current: WorkerFigures, previous: WorkerFigures) -> list[FigureRow]:
    """The current period's rows with the previous period's value of each beside it."""
    before = {row.key: row.value for row in figure_rows(previous)}
    rows = figure_rows(current)
    keys = {row.key for row in rows}
    # A breakdown line that was non-zero only before still shows, at 0 now.
    for row in figure_rows(previous):
        if row.is_part and row.key not in keys:
            rows.append(FigureRow(row.key, row.label, 0, is_part=True))
    ordered = _in_order(rows)
    return [
        FigureRow(row.key, row.label, row.value, before.get(row.key, 0), row.is_part)
        for row in ordered
    ]


def _in_order(rows: list[FigureRow]) -> list[FigureRow]:
    order = [row.key for row in figure_rows(_every_part())]
    position = {key: index for index, key in enumerate(order)}
    return sorted(rows, key=lambda row: position.get(row.key, len(order)))


def _every_part() -> WorkerFigures:
    return WorkerFigures(
        cases_by_stage=dict.fromkeys(CaseStatus, 1),
        records_by_form=dict.fromkeys(ServiceForm, 1),
    )


def snapshot(figures: WorkerFigures) -> dict[str, float | int]:
    """The figures as plain numbers by key, kept with an annual assessment."""
    return {row.key: row.value for row in figure_rows(figures)}


def snapshot_rows(values: dict[str, Any]) -> list[FigureRow]:
    """An assessment's kept figures as rows, labelled in the reader's language."""
    labels = {row.key: row for row in figure_rows(_every_part())}
    rows = []
    for key, value in values.items():
        known = labels.get(key)
        if known is not None:
            rows.append(FigureRow(key, known.label, value, is_part=known.is_part))
    return _in_order(rows)


def _day_start(day: date) -> datetime:
    """The UTC moment a local day starts."""
    return datetime.combine(day, time(0), local_timezone()).astimezone(UTC)


def worker_figures(worker: User, start: date, end: date) -> WorkerFigures:
    """``worker``'s figures for the days ``start`` to ``end`` (inclusive)."""
    figures = WorkerFigures()
    since, until = _day_start(start), _day_start(end + timedelta(days=1))
    figures.cases_by_stage = _cases_by_stage(worker.id, end, until)
    figures.cases_opened = _count(
        select(func.count(Case.id)).where(
            Case.worker_id == worker.id, Case.opened_on.between(start, end)
        )
    )
    figures.cases_closed = _count(
        select(func.count(Case.id)).where(
            Case.worker_id == worker.id,
            Case.status.in_(CLOSED_STATUSES),
            Case.closed_on.between(start, end),
        )
    )
    _add_services(figures, worker.id, start, end)
    _add_goals(figures, worker.id, since, until)
    figures.groups_led = _count(
        select(func.count(Group.id)).where(
            Group.facilitator_id == worker.id,
            Group.started_on <= end,
            or_(Group.closed_on.is_(None), Group.closed_on >= start),
        )
    )
    figures.sessions_led = _count(
        select(func.count(GroupSession.id))
        .join(Group, Group.id == GroupSession.group_id)
        .where(
            Group.facilitator_id == worker.id,
            GroupSession.recorded_at.is_not(None),
            GroupSession.starts_at >= since,
            GroupSession.starts_at < until,
        )
    )
    figures.activities = _count(
        select(func.count(CommunityActivity.id)).where(
            CommunityActivity.organiser_id == worker.id,
            CommunityActivity.held_on.between(start, end),
        )
    )
    figures.supervision_sessions = _count(
        select(func.count(SupervisionSession.id))
        .join(supervision_workers, supervision_workers.c.supervision_id == SupervisionSession.id)
        .where(
            supervision_workers.c.user_id == worker.id,
            SupervisionSession.held_on.between(start, end),
        )
    )
    _add_training(figures, worker.id, start, end)
    return figures


def _count(query: Any) -> int:
    return int(db.session.scalar(query) or 0)


def _cases_by_stage(worker_id: int, end: date, until: datetime) -> dict[CaseStatus, int]:
    held = select(Case.id).where(Case.worker_id == worker_id, open_on(end))
    stages: dict[int, CaseStatus] = dict(
        db.session.execute(select(Case.id, Case.status).where(Case.id.in_(held))).all()
    )
    # The stage on the last day: the target of the last step taken by then (in the order
    # the steps were taken); a case whose steps all came later (its opening day set back)
    # was still in the stage it opened in.
    transitions = db.session.execute(
        select(CaseTransition.case_id, CaseTransition.to_status, CaseTransition.at)
        .where(CaseTransition.case_id.in_(held))
        .order_by(CaseTransition.id)
    )
    seen: set[int] = set()
    for case_id, status, at in transitions:
        if case_id not in seen or as_utc(at) < until:
            stages[case_id] = status
        seen.add(case_id)
    return dict(Counter(stages.values()))


def _add_services(figures: WorkerFigures, worker_id: int, start: date, end: date) -> None:
    rows = db.session.execute(
        select(
            ServiceRecord.form,
            ServiceRecord.served_on,
            ServiceRecord.created_at,
            ServiceRecord.duration_minutes,
        ).where(ServiceRecord.author_id == worker_id, ServiceRecord.served_on.between(start, end))
    )
    records: Counter[ServiceForm] = Counter()
    minutes: Counter[ServiceForm] = Counter()
    on_time = 0
    for form, served_on, written_at, duration in rows:
        records[form] += 1
        minutes[form] += duration
        if not is_written_late(served_on, written_at):
            on_time += 1
    figures.records_by_form = dict(records)
    figures.minutes_by_form = dict(minutes)
    figures.records_on_time = on_time


def _add_goals(figures: WorkerFigures, worker_id: int, since: datetime, until: datetime) -> None:
    rows = db.session.execute(
        select(GoalResult.attainment, func.count(GoalResult.id))
        .join(Evaluation, Evaluation.id == GoalResult.evaluation_id)
        .where(
            Evaluation.author_id == worker_id,
            Evaluation.is_superseded.is_(False),
            Evaluation.created_at >= since,
            Evaluation.created_at < until,
        )
        .group_by(GoalResult.attainment)
    )
    for attainment, count in rows:
        figures.goals_evaluated += count
        if attainment in ATTAINED:
            figures.goals_attained += count


def _add_training(figures: WorkerFigures, worker_id: int, start: date, end: date) -> None:
    attended = db.session.scalar(
        select(func.sum(TrainingSession.hours))
        .join(TrainingAttendance, TrainingAttendance.session_id == TrainingSession.id)
        .join(WorkerProfile, WorkerProfile.id == TrainingAttendance.profile_id)
        .where(
            WorkerProfile.user_id == worker_id,
            TrainingAttendance.is_present.is_(True),
            TrainingSession.held_on.between(start, end),
        )
    )
    figures.training_hours = Decimal(attended or 0)
    entries = list(
        db.session.scalars(
            select(ContinuingEducationEntry)
            .join(WorkerProfile, WorkerProfile.id == ContinuingEducationEntry.profile_id)
            .where(
                WorkerProfile.user_id == worker_id,
                or_(
                    ContinuingEducationEntry.ended_on.between(start, end),
                    and_(
                        ContinuingEducationEntry.ended_on.is_(None),
                        ContinuingEducationEntry.started_on.between(start, end),
                    ),
                ),
            )
        )
    )
    figures.education_hours = hours_between(entries, start, end + timedelta(days=1))
