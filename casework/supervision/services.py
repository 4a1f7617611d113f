"""Recording supervision sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework.accounts.models import Role, User
from casework.accounts.permissions import casework_unit_ids
from casework.cases.models import Case
from casework.core import audit
from casework.core.clock import local_today
from casework.core.rules import RuleError
from casework.extensions import db
from casework.orgs.models import Unit
from casework.supervision.models import SupervisionForm, SupervisionSession


class SupervisionRuleError(RuleError):
    """A rule about supervision records forbids the change."""


@dataclass
class SupervisionDetails:
    held_on: date
    form: SupervisionForm
    duration_minutes: int
    topics: str
    advice: str
    follow_up: str
    place: str


def _check(
    tutor: User, unit: Unit, details: SupervisionDetails, workers: list[User], cases: list[Case]
) -> None:
    if tutor.role is not Role.TUTOR or unit.id not in casework_unit_ids(tutor):
        raise SupervisionRuleError(_l("只能记录您所督导单位的督导。"))
    if details.held_on > local_today():
        raise SupervisionRuleError(_l("督导日期不能晚于今天。"))
    if not 1 <= details.duration_minutes <= 600:
        raise SupervisionRuleError(_l("时长须在 1 到 600 分钟之间。"))
    if not workers:
        raise SupervisionRuleError(_l("请选择参加督导的社工。"))
    if any(worker.unit_id != unit.id for worker in workers):
        raise SupervisionRuleError(_l("参加督导的社工须属于该单位。"))
    if any(case.unit_id != unit.id for case in cases):
        raise SupervisionRuleError(_l("讨论的个案须属于该单位。"))


def _apply(
    session: SupervisionSession, details: SupervisionDetails, workers: list[User], cases: list[Case]
) -> None:
    session.held_on = details.held_on
    session.form = details.form
    session.duration_minutes = details.duration_minutes
    session.topics = details.topics.strip()
    session.advice = details.advice.strip()
    session.follow_up = details.follow_up.strip()
    session.place = details.place.strip()
    session.workers = list(workers)
    session.cases = list(cases)


def record_supervision(
    *,
    tutor: User,
    unit: Unit,
    details: SupervisionDetails,
    workers: list[User],
    cases: list[Case],
) -> SupervisionSession:
    """A tutor records a supervision session at one of the units they supervise."""
    _check(tutor, unit, details, workers, cases)
    session = SupervisionSession(tutor_id=tutor.id, unit_id=unit.id)
    _apply(session, details, workers, cases)
    db.session.add(session)
    db.session.flush()
    audit.record("supervision.create", session, actor_id=tutor.id)
    return session


def update_supervision(
    *,
    tutor: User,
    session: SupervisionSession,
    details: SupervisionDetails,
    workers: list[User],
    cases: list[Case],
) -> None:
    if session.tutor_id != tutor.id:
        raise SupervisionRuleError(_l("只能修改自己的督导记录。"))
    _check(tutor, session.unit, details, workers, cases)
    _apply(session, details, workers, cases)
    audit.record("supervision.update", session, actor_id=tutor.id)


def supervision_minutes(tutor: User, start: date, end: date) -> int:
    """A tutor's supervision time in minutes between two dates, inclusive."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(SupervisionSession.duration_minutes), 0)).where(
            SupervisionSession.tutor_id == tutor.id,
            SupervisionSession.held_on >= start,
            SupervisionSession.held_on <= end,
        )
    )
    return int(total or 0)
