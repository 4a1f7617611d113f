"""The group state machine: every step in lifecycle.STEPS, taken and refused; the stages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from casework.accounts.models import User
from casework.cases.lifecycle import Actor
from casework.core.audit import AuditEntry
from casework.core.clock import local_timezone, local_today
from casework.extensions import db
from casework.groups import lifecycle, services
from casework.groups.lifecycle import STEPS
from casework.groups.models import Group, GroupStage, GroupStatus, GroupTransition
from tests.factories import GroupFactory, TutorFactory, group_plan

S = GroupStatus
STATUS_ORDER = list(GroupStatus)


@pytest.fixture(autouse=True)
def request_context(app: Flask) -> Iterator[None]:
    """Services run inside a request: outside one, rendering a GroupRuleError message fails."""
    with app.test_request_context():
        yield


def tutor_of(group: Group) -> User:
    return TutorFactory(unit=group.unit, supervised_units=[group.unit])


def recorded_session(group: Group) -> None:
    """A session held a week ago, with its record written."""
    starts = datetime.combine(local_today() - timedelta(days=7), time(14, 30), local_timezone())
    session = services.schedule_session(
        actor=group.facilitator,
        group=group,
        plan=services.SessionPlan(
            starts_at=starts.astimezone(UTC),
            duration_minutes=90,
            place="社区活动室",
            topic="相识与破冰",
            planned_content="自我介绍，订立小组契约",
        ),
    )
    services.record_session(
        actor=group.facilitator,
        session=session,
        record=services.SessionRecord(
            process="组员依次自我介绍，共同订立小组契约",
            observations="组员参与积极",
            goal_progress="初步建立信任",
        ),
    )


def prepare_closure(group: Group) -> None:
    """What request_closure needs: a recorded session and the summary report."""
    recorded_session(group)
    services.save_summary(
        actor=group.facilitator, group=group, summary="小组按计划完成", outcomes="组员孤独感下降"
    )


def group_in(status: GroupStatus) -> Group:
    """A fresh group in ``status``, reached along the normal path."""
    group = GroupFactory()
    tutor = tutor_of(group)
    path = {
        S.PLANNING: [],
        S.PLAN_PENDING_APPROVAL: ["submit_plan"],
        S.RUNNING: ["submit_plan", "approve_plan"],
        S.CLOSURE_PENDING_APPROVAL: ["submit_plan", "approve_plan", "request_closure"],
        S.CLOSED: ["submit_plan", "approve_plan", "request_closure", "approve_closure"],
    }[status]
    for action in path:
        if action == "request_closure":
            prepare_closure(group)
        actor = tutor if STEPS[action].actor is Actor.TUTOR else group.facilitator
        services.take_step(group, action, actor=actor)
    db.session.commit()
    assert group.status is status
    return group


def take(group: Group, action: str, reason: str | None = None) -> None:
    step = STEPS[action]
    if reason is None and step.needs_reason:
        reason = "原因说明"
    actor = tutor_of(group) if step.actor is Actor.TUTOR else group.facilitator
    services.take_step(group, action, actor=actor, reason=reason)


def transition_count(group: Group) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(GroupTransition)
        .where(GroupTransition.group_id == group.id)
    )


ALLOWED = [
    (action, source)
    for action, step in STEPS.items()
    for source in sorted(step.sources, key=STATUS_ORDER.index)
]

REFUSED = [
    (action, status)
    for action, step in STEPS.items()
    for status in STATUS_ORDER
    if status not in step.sources
]

REASON_STEPS = [action for action, step in STEPS.items() if step.needs_reason]

# The process written out by hand, so that a change to STEPS has to change this too.
EXPECTED_STEPS = {
    "submit_plan": ({S.PLANNING}, S.PLAN_PENDING_APPROVAL, Actor.WORKER, False),
    "approve_plan": ({S.PLAN_PENDING_APPROVAL}, S.RUNNING, Actor.TUTOR, False),
    "return_plan": ({S.PLAN_PENDING_APPROVAL}, S.PLANNING, Actor.TUTOR, True),
    "request_closure": ({S.RUNNING}, S.CLOSURE_PENDING_APPROVAL, Actor.WORKER, False),
    "approve_closure": ({S.CLOSURE_PENDING_APPROVAL}, S.CLOSED, Actor.TUTOR, False),
    "return_closure": ({S.CLOSURE_PENDING_APPROVAL}, S.RUNNING, Actor.TUTOR, True),
}


def test_steps_are_the_group_process() -> None:
    actual = {
        action: (set(step.sources), step.target, step.actor, step.needs_reason)
        for action, step in STEPS.items()
    }
    assert actual == EXPECTED_STEPS


@pytest.mark.parametrize(("action", "source"), ALLOWED)
def test_allowed_step_is_taken(action: str, source: GroupStatus) -> None:
    group = group_in(source)
    if action == "request_closure":
        prepare_closure(group)
    take(group, action)
    db.session.commit()
    assert group.status is STEPS[action].target
    last = group.transitions[-1]
    assert (last.action, last.from_status, last.to_status) == (action, source, group.status)


@pytest.mark.parametrize(("action", "status"), REFUSED)
def test_step_from_a_state_outside_its_sources_is_refused(action: str, status: GroupStatus) -> None:
    group = group_in(status)
    before = transition_count(group)
    with pytest.raises(services.GroupRuleError, match="不能执行"):
        take(group, action)
    assert group.status is status
    assert transition_count(group) == before


def test_unknown_action_is_refused() -> None:
    group = group_in(S.PLANNING)
    with pytest.raises(services.GroupRuleError, match="未知"):
        services.take_step(group, "close_everything", actor=group.facilitator)
    assert group.status is S.PLANNING


@pytest.mark.parametrize("action", REASON_STEPS)
@pytest.mark.parametrize("reason", ["", "   "])
def test_step_that_needs_a_reason_is_refused_without_one(action: str, reason: str) -> None:
    source = next(iter(STEPS[action].sources))
    group = group_in(source)
    with pytest.raises(services.GroupRuleError, match="原因"):
        take(group, action, reason=reason)
    assert group.status is source


@pytest.mark.parametrize("action", REASON_STEPS)
def test_the_reason_is_kept_on_the_transition(action: str) -> None:
    group = group_in(next(iter(STEPS[action].sources)))
    take(group, action, reason="  请补充每节的具体安排  ")
    assert group.transitions[-1].reason == "请补充每节的具体安排"


@pytest.mark.parametrize("field", ["purpose", "goals", "session_plan"])
def test_submit_plan_with_an_empty_plan_field_is_refused(field: str) -> None:
    group = group_in(S.PLANNING)
    services.update_plan(actor=group.facilitator, group=group, plan=group_plan(**{field: "  "}))
    with pytest.raises(services.GroupRuleError, match="小组计划书"):
        take(group, "submit_plan")
    assert group.status is S.PLANNING


def test_request_closure_without_summary_is_refused() -> None:
    group = group_in(S.RUNNING)
    recorded_session(group)
    with pytest.raises(services.GroupRuleError, match="总结报告"):
        take(group, "request_closure")
    assert group.status is S.RUNNING


def test_request_closure_without_a_recorded_session_is_refused() -> None:
    group = group_in(S.RUNNING)
    services.save_summary(actor=group.facilitator, group=group, summary="总结", outcomes="")
    services.schedule_session(
        actor=group.facilitator,
        group=group,
        plan=services.SessionPlan(
            starts_at=datetime.now(UTC) - timedelta(days=3),
            duration_minutes=90,
            place="社区活动室",
            topic="未记录的一节",
            planned_content="",
        ),
    )
    with pytest.raises(services.GroupRuleError, match="已记录"):
        take(group, "request_closure")
    assert group.status is S.RUNNING


def test_approve_plan_moves_the_group_into_the_formation_stage() -> None:
    group = group_in(S.PLAN_PENDING_APPROVAL)
    assert group.stage is GroupStage.PREPARATION
    take(group, "approve_plan")
    assert group.stage is GroupStage.FORMATION


def test_approve_plan_sets_the_start_date_to_today() -> None:
    group = group_in(S.PLAN_PENDING_APPROVAL)
    assert group.started_on is None
    take(group, "approve_plan")
    assert group.started_on == local_today()


def test_plan_decision_records_the_tutor() -> None:
    group = group_in(S.PLAN_PENDING_APPROVAL)
    tutor = tutor_of(group)
    services.take_step(group, "return_plan", actor=tutor, reason="目标不够具体")
    assert group.plan_decided_by_id == tutor.id
    assert group.plan_decided_at is not None


def test_approve_closure_sets_the_end_date_and_the_ending_stage() -> None:
    group = group_in(S.CLOSURE_PENDING_APPROVAL)
    take(group, "approve_closure")
    assert (group.closed_on, group.stage) == (local_today(), GroupStage.ENDING)


def test_a_step_is_audited() -> None:
    group = group_in(S.PLANNING)
    take(group, "submit_plan")
    db.session.commit()
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "group.transition")
    ).one()
    assert (entry.object_type, entry.object_id, entry.unit_id) == (
        "groups",
        group.id,
        group.unit_id,
    )
    assert entry.details == {"step": "submit_plan", "to": "plan_pending_approval"}


def test_create_writes_the_first_transition() -> None:
    group = group_in(S.PLANNING)
    first = group.transitions[0]
    assert (first.action, first.from_status, first.to_status, first.stage) == (
        "create",
        None,
        S.PLANNING,
        GroupStage.PREPARATION,
    )


# --- stages --------------------------------------------------------------------------------


def test_advance_stage_walks_formation_transition_maturity_ending() -> None:
    group = group_in(S.RUNNING)
    walked = [services.advance_stage(actor=group.facilitator, group=group) for _ in range(3)]
    assert walked == [GroupStage.TRANSITION, GroupStage.MATURITY, GroupStage.ENDING]
    assert group.stage is GroupStage.ENDING


def test_advance_stage_past_ending_is_refused() -> None:
    group = group_in(S.RUNNING)
    for _ in range(3):
        services.advance_stage(actor=group.facilitator, group=group)
    with pytest.raises(services.GroupRuleError, match="结束期"):
        services.advance_stage(actor=group.facilitator, group=group)
    assert group.stage is GroupStage.ENDING


@pytest.mark.parametrize("status", [S.PLANNING, S.PLAN_PENDING_APPROVAL, S.CLOSED])
def test_advance_stage_of_a_group_that_is_not_running_is_refused(status: GroupStatus) -> None:
    group = group_in(status)
    stage = group.stage
    with pytest.raises(services.GroupRuleError, match="进行中"):
        services.advance_stage(actor=group.facilitator, group=group)
    assert group.stage is stage


def test_advance_stage_writes_a_transition_with_the_new_stage() -> None:
    group = group_in(S.RUNNING)
    services.advance_stage(actor=group.facilitator, group=group)
    db.session.commit()
    last = group.transitions[-1]
    assert (last.action, last.from_status, last.to_status, last.stage) == (
        "advance_stage",
        S.RUNNING,
        S.RUNNING,
        GroupStage.TRANSITION,
    )


def test_next_stage_follows_the_stage_order() -> None:
    assert [lifecycle.next_stage(stage) for stage in lifecycle.STAGE_ORDER] == [
        GroupStage.FORMATION,
        GroupStage.TRANSITION,
        GroupStage.MATURITY,
        GroupStage.ENDING,
        None,
    ]


def test_steps_from_lists_the_steps_of_a_status() -> None:
    actions = {step.action for step in lifecycle.steps_from(S.CLOSURE_PENDING_APPROVAL)}
    assert actions == {"approve_closure", "return_closure"}
