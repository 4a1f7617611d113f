"""The case page as a guided process: where the case stands and what to do next.

The seven stages of the national casework process are shown as a stepper; below it, the
next step's action sits beside the record it needs ("填写预估表", then "完成预估，进入服务
计划"), and the other steps the user may take come after, each with its reason box only
when that step is chosen. Everything here reads ``lifecycle``: no rule is repeated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from casework.cases import lifecycle
from casework.cases.enums import CaseStatus as S
from casework.cases.models import Case

STAGES = (
    _l("接案"),
    _l("预估"),
    _l("服务计划"),
    _l("介入服务"),
    _l("评估"),
    _l("结案"),
    _l("回访"),
)

STAGE_OF = {
    S.INTAKE: 0,
    S.DECLINED: 0,
    S.ASSESSMENT: 1,
    S.REOPENED: 1,
    S.PLANNING: 2,
    S.PLAN_PENDING_APPROVAL: 2,
    S.INTERVENTION: 3,
    S.EVALUATION: 4,
    S.CLOSURE_PENDING_APPROVAL: 5,
    S.CLOSED: 5,
    S.FOLLOW_UP: 6,
}

# The step that moves a case on from each state, in process order.
FORWARD = {
    S.INTAKE: "accept",
    S.REOPENED: "resume",
    S.ASSESSMENT: "finish_assessment",
    S.PLANNING: "submit_plan",
    S.PLAN_PENDING_APPROVAL: "approve_plan",
    S.INTERVENTION: "start_evaluation",
    S.EVALUATION: "request_closure",
    S.CLOSURE_PENDING_APPROVAL: "approve_closure",
    S.FOLLOW_UP: "end_follow_up",
}

RECORDS = {
    "intake": ("cases.intake", _l("填写接案登记表")),
    "assessment": ("cases.assessment", _l("填写预估表")),
    "plan": ("cases.plan", _l("填写服务计划书")),
    "evaluation": ("cases.evaluation", _l("填写评估报告")),
    "closure": ("cases.closure", _l("填写结案报告")),
    "service_record": ("cases.new_service_record", _l("添加服务记录")),
    "follow_up": ("cases.new_follow_up", _l("添加回访记录")),
}

# The records a step needs first, in the order to write them. A closure after an
# evaluation has the evaluation first (a 目标达成 closure needs it); an early closure from
# intervention, only its report (the evaluation cannot be written then).
NEEDS = {
    "accept": ("intake",),
    "finish_assessment": ("assessment",),
    "submit_plan": ("plan",),
    # Not a rule of the lifecycle, but an evaluation of a plan with no service is rarely
    # what a worker means: the first service record is offered first.
    "start_evaluation": ("service_record",),
    "request_closure": ("evaluation", "closure"),
}

# Records worth writing in a state although no step waits for them.
ALSO_WRITE = {
    S.INTERVENTION: ("service_record",),
    S.CLOSED: ("follow_up",),
    S.FOLLOW_UP: ("follow_up",),
}

# What the worker waits for when the next step is the tutor's.
WAITING = {
    S.PLAN_PENDING_APPROVAL: _l("服务计划书已提交，等待督导审核。"),
    S.CLOSURE_PENDING_APPROVAL: _l("结案申请已提交，等待督导审核。"),
}

# Steps a tutor may comment on when approving (the comment is optional).
APPROVALS = frozenset({"approve_plan", "approve_closure"})


@dataclass(frozen=True)
class Stage:
    label: Any
    state: str  # "done", "current" or "upcoming"


@dataclass(frozen=True)
class RecordLink:
    kind: str
    endpoint: str
    label: Any
    is_written: bool


@dataclass
class Guide:
    stages: list[Stage]
    declined: bool
    # The record the forward step needs, while it is missing; then the step itself.
    record_first: RecordLink | None = None
    forward: lifecycle.Step | None = None
    # Records to write in this state, and the other steps the user may take.
    records: list[RecordLink] = field(default_factory=list)
    others: list[lifecycle.Step] = field(default_factory=list)
    # Closing a case before its evaluation (提前结案): its report, then the request.
    early_closure: lifecycle.Step | None = None
    early_closure_record: RecordLink | None = None
    waiting: Any = None

    @property
    def has_actions(self) -> bool:
        return bool(
            self.record_first or self.forward or self.records or self.others or self.early_closure
        )


def stages_of(status: S) -> list[Stage]:
    current = STAGE_OF[status]
    done_through = current if status in (S.CLOSED,) else current - 1
    return [
        Stage(
            label,
            "done" if index <= done_through else "current" if index == current else "upcoming",
        )
        for index, label in enumerate(STAGES)
    ]


def has_record(case: Case, kind: str) -> bool:
    """Whether the record ``kind`` of the current round is written."""
    written: dict[str, Callable[[], bool]] = {
        "intake": lambda: case.intake is not None and bool(case.intake.first_judgement.strip()),
        "assessment": lambda: case.assessment is not None,
        "plan": lambda: bool(case.current_plan and case.current_plan.goals),
        "closure": lambda: case.closure is not None,
        "evaluation": lambda: case.evaluation is not None,
        "service_record": lambda: bool(case.service_records),
    }
    return written.get(kind, lambda: False)()


def guide(case: Case, steps: Sequence[lifecycle.Step], can_write: Callable[[str], bool]) -> Guide:
    """The guide for ``case``, given the steps the user may take and the records they may write.

    The forward step comes first, after the record it needs if that is still missing; a
    record of the current round already written stays one click away on its own section.
    """
    result = Guide(stages=stages_of(case.status), declined=case.status is S.DECLINED)
    forward_action = FORWARD.get(case.status)
    allowed = {step.action: step for step in steps}
    if forward_action in allowed:
        result.forward = allowed.pop(forward_action)
        result.record_first = _first_missing(case, result.forward.action, can_write)
    elif case.status in WAITING:
        result.waiting = WAITING[case.status]
    for kind in ALSO_WRITE.get(case.status, ()):
        if can_write(kind) and not (result.record_first and result.record_first.kind == kind):
            result.records.append(_link(kind, has_record(case, kind)))
    # A closure before the evaluation is set apart: it is not the next step of the process.
    if "request_closure" in allowed:
        result.early_closure = allowed.pop("request_closure")
        result.early_closure_record = _first_missing(case, "request_closure", can_write)
    result.others = list(allowed.values())
    return result


def _link(kind: str, is_written: bool) -> RecordLink:
    endpoint, label = RECORDS[kind]
    return RecordLink(kind, endpoint, label, is_written)


def _first_missing(case: Case, action: str, can_write: Callable[[str], bool]) -> RecordLink | None:
    """The first record ``action`` needs that is not written yet and may be written now."""
    for kind in NEEDS.get(action, ()):
        if not has_record(case, kind) and can_write(kind):
            return _link(kind, is_written=False)
    return None
