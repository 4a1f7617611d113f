"""The casework lifecycle as one state machine: every allowed step is listed here.

接案 → 预估 → 服务计划 → 计划待审核 → 介入服务 → 评估 → 结案待审核 → 已结案 → 回访,
plus 不予接案 at intake and 重新开案 after closure. Steps marked TUTOR are the
supervisor's (approving the plan and the closure, or sending either back).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from casework.cases.enums import CaseStatus as S


class Actor(enum.Enum):
    WORKER = "worker"  # the responsible social worker, or the unit's station head
    TUTOR = "tutor"  # a tutor who supervises the case's unit


@dataclass(frozen=True)
class Step:
    action: str
    sources: frozenset[S]
    # None: the case goes back to where it was before (tutor sending a closure back).
    target: S | None
    actor: Actor
    label: Any
    needs_reason: bool = False


def _step(
    action: str,
    sources: set[S],
    target: S | None,
    actor: Actor,
    label: Any,
    *,
    needs_reason: bool = False,
) -> Step:
    return Step(action, frozenset(sources), target, actor, label, needs_reason)


CLOSABLE = {S.ASSESSMENT, S.PLANNING, S.INTERVENTION, S.EVALUATION}

STEPS: dict[str, Step] = {
    step.action: step
    for step in (
        _step("accept", {S.INTAKE}, S.ASSESSMENT, Actor.WORKER, _l("接案，进入预估")),
        _step(
            "decline",
            {S.INTAKE},
            S.DECLINED,
            Actor.WORKER,
            lazy_pgettext("action", "不予接案"),
            needs_reason=True,
        ),
        _step(
            "finish_assessment",
            {S.ASSESSMENT},
            S.PLANNING,
            Actor.WORKER,
            _l("完成预估，进入服务计划"),
        ),
        _step(
            "submit_plan",
            {S.PLANNING},
            S.PLAN_PENDING_APPROVAL,
            Actor.WORKER,
            _l("提交服务计划审核"),
        ),
        _step(
            "approve_plan",
            {S.PLAN_PENDING_APPROVAL},
            S.INTERVENTION,
            Actor.TUTOR,
            _l("批准服务计划"),
        ),
        _step(
            "return_plan",
            {S.PLAN_PENDING_APPROVAL},
            S.PLANNING,
            Actor.TUTOR,
            _l("退回服务计划"),
            needs_reason=True,
        ),
        _step(
            "revise_plan",
            {S.INTERVENTION, S.EVALUATION},
            S.PLANNING,
            Actor.WORKER,
            _l("修订服务计划"),
            needs_reason=True,
        ),
        _step("start_evaluation", {S.INTERVENTION}, S.EVALUATION, Actor.WORKER, _l("开始评估")),
        _step(
            "request_closure",
            CLOSABLE,
            S.CLOSURE_PENDING_APPROVAL,
            Actor.WORKER,
            _l("提交结案审核"),
        ),
        _step(
            "approve_closure",
            {S.CLOSURE_PENDING_APPROVAL},
            S.CLOSED,
            Actor.TUTOR,
            _l("批准结案"),
        ),
        _step(
            "return_closure",
            {S.CLOSURE_PENDING_APPROVAL},
            None,
            Actor.TUTOR,
            _l("退回结案申请"),
            needs_reason=True,
        ),
        _step("start_follow_up", {S.CLOSED}, S.FOLLOW_UP, Actor.WORKER, _l("开始回访")),
        _step("end_follow_up", {S.FOLLOW_UP}, S.CLOSED, Actor.WORKER, _l("结束回访")),
        _step(
            "reopen",
            {S.CLOSED, S.FOLLOW_UP},
            S.REOPENED,
            Actor.WORKER,
            lazy_pgettext("action", "重新开案"),
            needs_reason=True,
        ),
        _step("resume", {S.REOPENED}, S.ASSESSMENT, Actor.WORKER, _l("重新预估")),
    )
}

# Which records may be written in which states.
RECORD_STATES: dict[str, frozenset[S]] = {
    "intake": frozenset({S.INTAKE}),
    "assessment": frozenset({S.ASSESSMENT, S.PLANNING}),
    "plan": frozenset({S.PLANNING}),
    "service_record": frozenset(
        {
            S.ASSESSMENT,
            S.PLANNING,
            S.PLAN_PENDING_APPROVAL,
            S.INTERVENTION,
            S.EVALUATION,
            S.CLOSURE_PENDING_APPROVAL,
            S.REOPENED,
        }
    ),
    "referral": frozenset(
        {
            S.INTAKE,
            S.ASSESSMENT,
            S.PLANNING,
            S.PLAN_PENDING_APPROVAL,
            S.INTERVENTION,
            S.EVALUATION,
            S.REOPENED,
        }
    ),
    "evaluation": frozenset({S.EVALUATION}),
    "closure": frozenset(CLOSABLE),
    "follow_up": frozenset({S.CLOSED, S.FOLLOW_UP}),
}


def steps_from(status: S) -> list[Step]:
    """The steps that may be taken from ``status``, in process order."""
    return [step for step in STEPS.values() if status in step.sources]


def can_write(record_kind: str, status: S) -> bool:
    return status in RECORD_STATES[record_kind]
