"""The case state machine: every step in lifecycle.STEPS, taken and refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from casework.accounts.models import User
from casework.cases import records as case_records
from casework.cases import services
from casework.cases.enums import Attainment, CaseStatus, ClosureType, PlanStatus, ServiceForm
from casework.cases.lifecycle import CLOSABLE, STEPS, Actor
from casework.cases.models import Case, CaseTransition
from casework.core.audit import AuditEntry
from casework.core.clock import local_today
from casework.extensions import db
from tests.factories import CaseFactory, TutorFactory, advance_case, assessment_details

STATUS_ORDER = list(CaseStatus)


@pytest.fixture(autouse=True)
def request_context(app: Flask) -> Iterator[None]:
    """Services run inside a request: outside one, rendering a CaseRuleError message fails."""
    with app.test_request_context():
        yield


def tutor_of(case: Case) -> User:
    return TutorFactory(unit=case.unit, supervised_units=[case.unit])


def case_in(status: CaseStatus) -> Case:
    """A fresh case in ``status``, reached along the normal path."""
    case = CaseFactory()
    if status is CaseStatus.DECLINED:
        services.take_step(case, "decline", actor=case.worker, reason="不在服务范围内")
    elif status is CaseStatus.REOPENED:
        advance_case(case, CaseStatus.CLOSED)
        services.take_step(case, "reopen", actor=case.worker, reason="服务对象再次求助")
    else:
        advance_case(case, status)
    db.session.commit()
    return case


def actor_for(case: Case, action: str) -> User:
    return tutor_of(case) if STEPS[action].actor is Actor.TUTOR else case.worker


def transition_count(case: Case) -> int:
    return db.session.scalar(
        select(func.count()).select_from(CaseTransition).where(CaseTransition.case_id == case.id)
    )


def write_intake(case: Case) -> None:
    case_records.save_intake(
        actor=case.worker,
        case=case,
        presenting_problem="独居，行动不便",
        arrival="本人来访",
        first_judgement="符合接案条件",
        agreement_signed=False,
        agreement_signed_on=None,
    )


def write_assessment(case: Case) -> None:
    case_records.save_assessment(
        actor=case.worker,
        case=case,
        details=assessment_details(),
    )


def write_plan(case: Case, overall_goal: str = "恢复生活自理") -> None:
    today = local_today()
    case_records.save_plan(
        actor=case.worker,
        case=case,
        overall_goal=overall_goal,
        review_due=today + timedelta(days=60),
        goals=[
            case_records.GoalDetails(
                description="链接助餐服务",
                indicator="每周 5 次助餐",
                actions="联系养老服务中心",
                responsible="社工",
                due_on=today + timedelta(days=30),
            )
        ],
    )


def write_closure(case: Case, closure_type: ClosureType = ClosureType.WITHDREW) -> None:
    case_records.save_closure_report(
        actor=case.worker,
        case=case,
        closure_type=closure_type,
        summary="服务对象搬离本社区",
        follow_up_plan="一个月后电话回访",
        follow_up_due=local_today() + timedelta(days=30),
    )


# The records each step needs before it may be taken (steps not listed need none).
PRECONDITIONS: dict[str, Callable[[Case], None]] = {
    "accept": write_intake,
    "finish_assessment": write_assessment,
    "submit_plan": write_plan,
    "request_closure": write_closure,
}

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


S = CaseStatus
WORKING = {S.ASSESSMENT, S.PLANNING, S.INTERVENTION, S.EVALUATION}
# The process written out by hand, so that a change to STEPS has to change this too.
EXPECTED_STEPS = {
    "accept": ({S.INTAKE}, S.ASSESSMENT, Actor.WORKER, False),
    "decline": ({S.INTAKE}, S.DECLINED, Actor.WORKER, True),
    "finish_assessment": ({S.ASSESSMENT}, S.PLANNING, Actor.WORKER, False),
    "submit_plan": ({S.PLANNING}, S.PLAN_PENDING_APPROVAL, Actor.WORKER, False),
    "approve_plan": ({S.PLAN_PENDING_APPROVAL}, S.INTERVENTION, Actor.TUTOR, False),
    "return_plan": ({S.PLAN_PENDING_APPROVAL}, S.PLANNING, Actor.TUTOR, True),
    "revise_plan": ({S.INTERVENTION, S.EVALUATION}, S.PLANNING, Actor.WORKER, True),
    "start_evaluation": ({S.INTERVENTION}, S.EVALUATION, Actor.WORKER, False),
    "request_closure": (WORKING, S.CLOSURE_PENDING_APPROVAL, Actor.WORKER, False),
    "approve_closure": ({S.CLOSURE_PENDING_APPROVAL}, S.CLOSED, Actor.TUTOR, False),
    "return_closure": ({S.CLOSURE_PENDING_APPROVAL}, None, Actor.TUTOR, True),
    "start_follow_up": ({S.CLOSED}, S.FOLLOW_UP, Actor.WORKER, False),
    "end_follow_up": ({S.FOLLOW_UP}, S.CLOSED, Actor.WORKER, False),
    "reopen": ({S.CLOSED, S.FOLLOW_UP}, S.REOPENED, Actor.WORKER, True),
    "resume": ({S.REOPENED}, S.ASSESSMENT, Actor.WORKER, False),
}


def test_steps_are_the_casework_process() -> None:
    actual = {
        action: (set(step.sources), step.target, step.actor, step.needs_reason)
        for action, step in STEPS.items()
    }
    assert actual == EXPECTED_STEPS


def take(case: Case, action: str, **kwargs: Any) -> CaseTransition:
    reason = "原因说明" if STEPS[action].needs_reason else None
    kwargs.setdefault("reason", reason)
    return services.take_step(case, action, actor=actor_for(case, action), **kwargs)


@pytest.mark.parametrize(("action", "source"), ALLOWED)
def test_allowed_step_is_taken(app: Flask, action: str, source: CaseStatus) -> None:
    case = case_in(source)
    if action in PRECONDITIONS:
        PRECONDITIONS[action](case)
    take(case, action)
    db.session.commit()
    # advance_case reaches the closure request from EVALUATION, so that is where it returns.
    expected = STEPS[action].target or CaseStatus.EVALUATION
    assert case.status is expected
    last = case.transitions[-1]
    assert (last.action, last.from_status, last.to_status) == (action, source, expected)


@pytest.mark.parametrize(("action", "status"), REFUSED)
def test_step_from_a_state_outside_its_sources_is_refused(
    app: Flask, action: str, status: CaseStatus
) -> None:
    case = case_in(status)
    before = transition_count(case)
    with pytest.raises(services.CaseRuleError, match="不能执行"):
        take(case, action)
    assert case.status is status
    assert transition_count(case) == before


def test_unknown_action_is_refused(app: Flask) -> None:
    case = CaseFactory()
    with pytest.raises(services.CaseRuleError):
        services.take_step(case, "close_everything", actor=case.worker)
    assert case.status is CaseStatus.INTAKE


def test_accept_without_intake_record_is_refused(app: Flask) -> None:
    case = CaseFactory()
    with pytest.raises(services.CaseRuleError, match="接案登记表"):
        services.take_step(case, "accept", actor=case.worker)
    assert case.status is CaseStatus.INTAKE


def test_finish_assessment_without_assessment_is_refused(app: Flask) -> None:
    case = case_in(CaseStatus.ASSESSMENT)
    with pytest.raises(services.CaseRuleError, match="预估表"):
        services.take_step(case, "finish_assessment", actor=case.worker)
    assert case.status is CaseStatus.ASSESSMENT


def test_submit_plan_without_plan_is_refused(app: Flask) -> None:
    case = case_in(CaseStatus.PLANNING)
    with pytest.raises(services.CaseRuleError, match="服务计划书"):
        services.take_step(case, "submit_plan", actor=case.worker)
    assert case.status is CaseStatus.PLANNING


def test_request_closure_without_closure_report_is_refused(app: Flask) -> None:
    case = case_in(CaseStatus.INTERVENTION)
    with pytest.raises(services.CaseRuleError, match="结案报告"):
        services.take_step(case, "request_closure", actor=case.worker)
    assert case.status is CaseStatus.INTERVENTION


def test_goals_met_closure_without_evaluation_is_refused(app: Flask) -> None:
    case = case_in(CaseStatus.INTERVENTION)
    write_closure(case, ClosureType.GOALS_MET)
    with pytest.raises(services.CaseRuleError, match="目标达成"):
        services.take_step(case, "request_closure", actor=case.worker)
    assert case.status is CaseStatus.INTERVENTION


def test_goals_met_closure_with_evaluation_is_requested(app: Flask) -> None:
    case = case_in(CaseStatus.EVALUATION)
    plan = case.approved_plan
    assert plan is not None
    case_records.save_evaluation(
        actor=case.worker,
        case=case,
        client_view="满意",
        satisfaction=4,
        summary="目标达成",
        results={goal.id: (Attainment.FULLY_MET, "") for goal in plan.goals},
    )
    write_closure(case, ClosureType.GOALS_MET)
    services.take_step(case, "request_closure", actor=case.worker)
    assert case.status is CaseStatus.CLOSURE_PENDING_APPROVAL


@pytest.mark.parametrize("action", REASON_STEPS)
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_step_that_needs_a_reason_is_refused_without_one(
    app: Flask, action: str, reason: str | None
) -> None:
    source = min(STEPS[action].sources, key=STATUS_ORDER.index)
    case = case_in(source)
    before = transition_count(case)
    with pytest.raises(services.CaseRuleError, match="原因"):
        take(case, action, reason=reason)
    assert case.status is source
    assert transition_count(case) == before


def test_step_records_who_from_where_to_where_and_why(app: Flask) -> None:
    case = CaseFactory()
    services.take_step(case, "decline", actor=case.worker, reason="  不在服务范围内  ")
    db.session.commit()
    transition = db.session.scalars(
        select(CaseTransition)
        .where(CaseTransition.case_id == case.id)
        .order_by(CaseTransition.id.desc())
    ).first()
    assert transition is not None
    assert transition.action == "decline"
    assert transition.actor_id == case.worker.id
    assert transition.from_status is CaseStatus.INTAKE
    assert transition.to_status is CaseStatus.DECLINED
    assert transition.reason == "不在服务范围内"


def test_opening_a_case_records_the_first_transition(app: Flask) -> None:
    case = CaseFactory()
    [transition] = case.transitions
    assert (transition.action, transition.from_status, transition.to_status) == (
        "open",
        None,
        CaseStatus.INTAKE,
    )


def test_step_writes_an_audit_entry(app: Flask) -> None:
    case = CaseFactory()
    write_intake(case)
    services.take_step(case, "accept", actor=case.worker)
    db.session.commit()
    entries = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "case.transition",
            AuditEntry.object_type == "cases",
            AuditEntry.object_id == case.id,
        )
    ).all()
    assert len(entries) == 1
    assert entries[0].actor_id == case.worker.id
    assert entries[0].unit_id == case.unit_id
    assert entries[0].details == {"step": "accept", "to": "assessment"}


def test_refused_step_writes_no_audit_entry(app: Flask) -> None:
    case = CaseFactory()
    with pytest.raises(services.CaseRuleError):
        services.take_step(case, "accept", actor=case.worker)
    count = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "case.transition")
    )
    assert count == 0


@pytest.mark.parametrize("source", sorted(CLOSABLE, key=STATUS_ORDER.index))
def test_return_closure_goes_back_to_where_closure_was_requested(
    app: Flask, source: CaseStatus
) -> None:
    case = case_in(source)
    write_closure(case)
    services.take_step(case, "request_closure", actor=case.worker)
    db.session.commit()
    transition = services.take_step(
        case, "return_closure", actor=tutor_of(case), reason="请补充服务成效"
    )
    db.session.commit()
    assert case.status is source
    assert transition.to_status is source


def test_return_closure_uses_the_latest_request(app: Flask) -> None:
    case = case_in(CaseStatus.INTERVENTION)
    tutor = tutor_of(case)
    write_closure(case)
    services.take_step(case, "request_closure", actor=case.worker)
    services.take_step(case, "return_closure", actor=tutor, reason="请补充")
    services.take_step(case, "start_evaluation", actor=case.worker)
    services.take_step(case, "request_closure", actor=case.worker)
    services.take_step(case, "return_closure", actor=tutor, reason="仍需补充")
    db.session.commit()
    assert case.status is CaseStatus.EVALUATION


def test_return_closure_adds_the_reason_as_a_comment_on_the_report(app: Flask) -> None:
    case = case_in(CaseStatus.CLOSURE_PENDING_APPROVAL)
    tutor = tutor_of(case)
    services.take_step(case, "return_closure", actor=tutor, reason="请补充服务成效")
    db.session.commit()
    comment = db.session.scalars(
        select(services.SupervisorComment).where(services.SupervisorComment.case_id == case.id)
    ).one()
    assert case.closure is not None
    assert (comment.subject_type, comment.subject_id, comment.author_id, comment.body) == (
        "closure",
        case.closure.id,
        tutor.id,
        "请补充服务成效",
    )


def revise_and_resubmit(case: Case) -> None:
    services.take_step(case, "revise_plan", actor=case.worker, reason="服务对象需求变化")
    write_plan(case, overall_goal="修订后的总目标")
    services.take_step(case, "submit_plan", actor=case.worker)
    db.session.commit()


def test_revise_plan_keeps_the_approved_version(app: Flask) -> None:
    case = case_in(CaseStatus.INTERVENTION)
    first = case.approved_plan
    assert first is not None
    first_goal = first.goals[0].description
    services.take_step(case, "revise_plan", actor=case.worker, reason="服务对象需求变化")
    write_plan(case, overall_goal="修订后的总目标")
    db.session.commit()
    assert [plan.version for plan in case.plans] == [1, 2]
    assert case.plans[0].status is PlanStatus.APPROVED
    assert case.plans[0].overall_goal == "恢复基本生活自理，建立邻里支持网络"
    assert case.plans[0].goals[0].description == first_goal
    assert case.plans[1].status is PlanStatus.DRAFT
    assert case.plans[1].overall_goal == "修订后的总目标"


def test_revise_plan_starts_from_a_copy_of_the_approved_plan(app: Flask) -> None:
    case = case_in(CaseStatus.EVALUATION)
    services.take_step(case, "revise_plan", actor=case.worker, reason="服务对象需求变化")
    db.session.commit()
    approved, draft = case.plans
    assert draft.status is PlanStatus.DRAFT
    assert draft.overall_goal == approved.overall_goal
    assert [g.description for g in draft.goals] == [g.description for g in approved.goals]
    assert {g.id for g in draft.goals}.isdisjoint({g.id for g in approved.goals})


def test_approve_plan_supersedes_the_earlier_approved_plan(app: Flask) -> None:
    case = case_in(CaseStatus.INTERVENTION)
    tutor = tutor_of(case)
    revise_and_resubmit(case)
    services.take_step(case, "approve_plan", actor=tutor)
    db.session.commit()
    assert [(plan.version, plan.status) for plan in case.plans] == [
        (1, PlanStatus.SUPERSEDED),
        (2, PlanStatus.APPROVED),
    ]
    assert case.approved_plan is case.plans[1]
    assert case.plans[1].decided_by_id == tutor.id
    assert case.status is CaseStatus.INTERVENTION


def test_return_plan_marks_the_submitted_plan_returned(app: Flask) -> None:
    case = case_in(CaseStatus.PLAN_PENDING_APPROVAL)
    services.take_step(case, "return_plan", actor=tutor_of(case), reason="目标不够具体")
    db.session.commit()
    [plan] = case.plans
    assert plan.status is PlanStatus.RETURNED
    assert case.status is CaseStatus.PLANNING


def test_approve_closure_sets_closed_on_and_follow_up_due(app: Flask) -> None:
    case = case_in(CaseStatus.CLOSURE_PENDING_APPROVAL)
    assert case.closure is not None
    due = case.closure.follow_up_due
    assert due is not None
    services.take_step(case, "approve_closure", actor=tutor_of(case))
    db.session.commit()
    assert case.closed_on == local_today()
    assert case.follow_up_due == due
    assert case.plan_review_due is None


def test_decline_sets_closed_on(app: Flask) -> None:
    case = case_in(CaseStatus.DECLINED)
    assert case.closed_on == local_today()


def test_first_follow_up_moves_a_closed_case_to_follow_up(app: Flask) -> None:
    case = case_in(CaseStatus.CLOSED)
    case_records.add_follow_up(
        actor=case.worker,
        case=case,
        followed_on=local_today(),
        form=ServiceForm.PHONE,
        content="电话回访，情况稳定",
        next_due=None,
    )
    db.session.commit()
    assert case.status is CaseStatus.FOLLOW_UP
    last = case.transitions[-1]
    assert (last.action, last.from_status, last.to_status) == (
        "start_follow_up",
        CaseStatus.CLOSED,
        CaseStatus.FOLLOW_UP,
    )


def test_second_follow_up_takes_no_step(app: Flask) -> None:
    case = case_in(CaseStatus.FOLLOW_UP)
    before = transition_count(case)
    case_records.add_follow_up(
        actor=case.worker,
        case=case,
        followed_on=local_today(),
        form=ServiceForm.HOME_VISIT,
        content="家访，情况稳定",
        next_due=None,
    )
    db.session.commit()
    assert case.status is CaseStatus.FOLLOW_UP
    assert transition_count(case) == before
    assert len(case.follow_ups) == 2


def test_reopen_clears_closed_on_and_follow_up_due(app: Flask) -> None:
    case = case_in(CaseStatus.REOPENED)
    assert (case.closed_on, case.follow_up_due) == (None, None)


def test_approving_the_plan_records_the_tutor_of_an_unsupervised_case() -> None:
    case = case_in(CaseStatus.PLAN_PENDING_APPROVAL)
    assert case.tutor_id is None
    tutor = tutor_of(case)
    services.take_step(case, "approve_plan", actor=tutor)
    assert case.tutor_id == tutor.id


def test_approving_keeps_the_tutor_the_case_was_assigned_to() -> None:
    case = case_in(CaseStatus.PLAN_PENDING_APPROVAL)
    assigned, other = tutor_of(case), tutor_of(case)
    case.tutor = assigned
    services.take_step(case, "approve_plan", actor=other)
    assert case.tutor_id == assigned.id
