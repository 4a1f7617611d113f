"""The group's status as one state machine (the tutor approves the plan and the ending).

筹备中 → 计划待审核 → 进行中 → 结束待审核 → 已结束. While running, the facilitator moves
the group through the stages of MZ/T 095-2017: 形成期 → 转折期 → 成熟期 → 结束期.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from casework.cases.lifecycle import Actor
from casework.groups.models import GroupStage
from casework.groups.models import GroupStatus as S


@dataclass(frozen=True)
class GroupStep:
    action: str
    sources: frozenset[S]
    target: S
    actor: Actor
    label: Any
    needs_reason: bool = False


STEPS: dict[str, GroupStep] = {
    step.action: step
    for step in (
        GroupStep(
            "submit_plan",
            frozenset({S.PLANNING}),
            S.PLAN_PENDING_APPROVAL,
            Actor.WORKER,
            _l("提交小组计划书审核"),
        ),
        GroupStep(
            "approve_plan",
            frozenset({S.PLAN_PENDING_APPROVAL}),
            S.RUNNING,
            Actor.TUTOR,
            _l("批准小组计划书"),
        ),
        GroupStep(
            "return_plan",
            frozenset({S.PLAN_PENDING_APPROVAL}),
            S.PLANNING,
            Actor.TUTOR,
            _l("退回小组计划书"),
            needs_reason=True,
        ),
        GroupStep(
            "request_closure",
            frozenset({S.RUNNING}),
            S.CLOSURE_PENDING_APPROVAL,
            Actor.WORKER,
            _l("提交小组结束审核"),
        ),
        GroupStep(
            "approve_closure",
            frozenset({S.CLOSURE_PENDING_APPROVAL}),
            S.CLOSED,
            Actor.TUTOR,
            _l("批准小组结束"),
        ),
        GroupStep(
            "return_closure",
            frozenset({S.CLOSURE_PENDING_APPROVAL}),
            S.RUNNING,
            Actor.TUTOR,
            _l("退回小组结束申请"),
            needs_reason=True,
        ),
    )
}

# The order of the stages while the group runs; preparation is the planning time.
STAGE_ORDER = (
    GroupStage.PREPARATION,
    GroupStage.FORMATION,
    GroupStage.TRANSITION,
    GroupStage.MATURITY,
    GroupStage.ENDING,
)


def steps_from(status: S) -> list[GroupStep]:
    return [step for step in STEPS.values() if status in step.sources]


def next_stage(stage: GroupStage) -> GroupStage | None:
    position = STAGE_ORDER.index(stage)
    return STAGE_ORDER[position + 1] if position + 1 < len(STAGE_ORDER) else None
