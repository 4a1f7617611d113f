"""Record quality: service records written late, and how complete a case file is.

Lateness has one definition (``timeliness.is_written_late``); the records a case file
should hold are read from the lifecycle (``guide.FORWARD``, ``guide.NEEDS``,
``lifecycle.RECORD_STATES``): the records each step the case has taken needed, and those
the next step needs, where they could be written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

from casework.cases import guide, lifecycle
from casework.cases.enums import CaseStatus as S
from casework.cases.models import Case, ServiceRecord
from casework.cases.timeliness import is_written_late
from casework.core.clock import local_date, local_today
from casework.core.models import as_utc, utcnow

# Items of a case file that are not records of their own.
PLAN_APPROVED = "plan_approved"
LABELS: dict[str, Any] = {
    "intake": _l("接案登记表"),
    "assessment": _l("预估表"),
    "plan": _l("服务计划书（含服务目标）"),
    PLAN_APPROVED: _l("服务计划经督导批准"),
    "service_record": _l("服务记录"),
    "evaluation": _l("评估报告"),
    "closure": _l("结案报告"),
    "follow_up": _l("回访记录"),
}
ORDER = tuple(LABELS)


def days_late(served_on: date, written_at: datetime) -> int:
    """How many days after the service day a late record was written; 0 when on time."""
    if not is_written_late(served_on, written_at):
        return 0
    return max((local_date(as_utc(written_at)) - served_on).days, 1)


def late_records(records: Iterable[ServiceRecord]) -> dict[int, int]:
    """Days late of each record written late (补录), by record id."""
    late = {}
    for record in records:
        if days := days_late(record.served_on, record.created_at):
            late[record.id] = days
    return late


def earliest_on_time_service_day() -> date:
    """The earliest service day whose record, saved now, is still on time."""
    now = utcnow()
    day = local_today()
    while not is_written_late(day - timedelta(days=1), now):
        day -= timedelta(days=1)
    return day


@dataclass(frozen=True)
class Item:
    kind: str
    label: Any
    is_present: bool


@dataclass(frozen=True)
class Completeness:
    items: list[Item]

    @property
    def missing(self) -> list[Item]:
        return [item for item in self.items if not item.is_present]

    @property
    def score(self) -> int | None:
        """Present items as a whole percentage of those expected; None when none are."""
        if not self.items:
            return None
        present = sum(item.is_present for item in self.items)
        return round(100 * present / len(self.items))


def _has(case: Case, kind: str) -> bool:
    if kind == PLAN_APPROVED:
        return case.approved_plan is not None
    if kind == "follow_up":
        return bool(case.follow_ups)
    return guide.has_record(case, kind)


def expected_records(case: Case, today: date | None = None) -> list[str]:
    """The records ``case`` should hold by now, in process order.

    Only the current round counts: after a reopening, the steps before it are history.
    """
    transitions = list(case.transitions)
    reopened = [i for i, t in enumerate(transitions) if t.action == "reopen"]
    if reopened:
        transitions = transitions[reopened[-1] + 1 :]
    kinds: set[str] = set()
    for transition in transitions:
        if transition.from_status is not None:
            kinds.update(_needed(transition.action, transition.from_status))
        if transition.to_status is S.PLAN_PENDING_APPROVAL or transition.action == "approve_plan":
            kinds.add(PLAN_APPROVED)
    forward = guide.FORWARD.get(case.status)
    if forward is not None:
        kinds.update(_needed(forward, case.status))
    if case.status is S.PLAN_PENDING_APPROVAL:
        kinds.add(PLAN_APPROVED)
    # A follow-up once its planned date has come (or once one was written).
    follow_up_due = case.follow_up_due or (case.closure.follow_up_due if case.closure else None)
    if case.status in lifecycle.RECORD_STATES["follow_up"] and (
        case.follow_ups or (follow_up_due is not None and follow_up_due <= (today or local_today()))
    ):
        kinds.add("follow_up")
    return [kind for kind in ORDER if kind in kinds]


def _needed(action: str, status: S) -> list[str]:
    """The records ``action`` needs that could be written in ``status``."""
    return [kind for kind in guide.NEEDS.get(action, ()) if lifecycle.can_write(kind, status)]


def completeness(case: Case, today: date | None = None) -> Completeness:
    """Which records of the stages ``case`` has reached are present, and which missing."""
    return Completeness(
        [Item(kind, LABELS[kind], _has(case, kind)) for kind in expected_records(case, today)]
    )
