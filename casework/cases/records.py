"""The records of each stage of a case: intake, assessment, plan, service, referral,
evaluation, closure, follow-up, and the tutor's comments on them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from casework.accounts.models import User
from casework.cases.enums import (
    AssessmentArea,
    Attainment,
    CaseStatus,
    ClosureType,
    NeedLevel,
    PlanStatus,
    ReferralOutcome,
    ServiceForm,
)
from casework.cases.models import (
    Assessment,
    Case,
    ClosureReport,
    Evaluation,
    FollowUp,
    GoalResult,
    IntakeRecord,
    PlanGoal,
    Referral,
    ServicePlan,
    ServiceRecord,
)
from casework.cases.services import (
    CaseRuleError,
    audit_case,
    check_record_date,
    editable_plan,
    require_writable,
    take_step,
)
from casework.core.clock import local_today
from casework.core.i18n import listing
from casework.extensions import db


def save_intake(
    *,
    actor: User,
    case: Case,
    presenting_problem: str,
    arrival: str,
    first_judgement: str,
    agreement_signed: bool,
    agreement_signed_on: date | None,
) -> IntakeRecord:
    require_writable(case, "intake")
    if agreement_signed and agreement_signed_on is None:
        raise CaseRuleError(_l("已签署服务协议时，请填写签署日期。"))
    # author_id in the constructor: reading actor.id may refresh an expired actor, and the
    # autoflush that brings must not find a half-built record already attached to the case.
    record = case.intake or IntakeRecord(case=case, author_id=actor.id)
    record.author_id = actor.id
    record.presenting_problem = presenting_problem.strip()
    record.arrival = arrival.strip()
    record.first_judgement = first_judgement.strip()
    record.agreement_signed = agreement_signed
    record.agreement_signed_on = agreement_signed_on if agreement_signed else None
    db.session.add(record)
    audit_case("case.intake_saved", case, actor)
    return record


@dataclass(frozen=True)
class AreaFinding:
    level: NeedLevel
    note: str = ""


@dataclass
class AssessmentDetails:
    areas: dict[AssessmentArea, AreaFinding]
    needs: str
    strengths: str
    risks: str
    summary: str


def save_assessment(*, actor: User, case: Case, details: AssessmentDetails) -> Assessment:
    """The 预估表: every standard area rated, with a note where the worker has one."""
    require_writable(case, "assessment")
    missing = [area for area in AssessmentArea if area not in details.areas]
    if missing:
        raise CaseRuleError(
            _l(
                "请评定每个预估领域的需要程度：%(areas)s。",
                areas=listing(a.label for a in missing),
            )
        )
    record = case.assessment or Assessment(case=case, author_id=actor.id)
    record.author_id = actor.id
    for area, finding in details.areas.items():
        setattr(record, f"{area.value}_level", finding.level)
        setattr(record, f"{area.value}_note", finding.note.strip())
    record.needs = details.needs.strip()
    record.strengths = details.strengths.strip()
    record.risks = details.risks.strip()
    record.summary = details.summary.strip()
    db.session.add(record)
    audit_case("case.assessment_saved", case, actor)
    return record


@dataclass
class GoalDetails:
    description: str
    indicator: str
    actions: str
    responsible: str
    due_on: date


def save_plan(
    *,
    actor: User,
    case: Case,
    overall_goal: str,
    review_due: date,
    goals: list[GoalDetails],
) -> ServicePlan:
    """Write the draft plan (the first version, or the revision being prepared)."""
    require_writable(case, "plan")
    if not goals:
        raise CaseRuleError(_l("服务计划至少需要一个服务目标。"))
    plan = editable_plan(case)
    if plan is None:
        plan = ServicePlan(case=case, version=len(case.plans) + 1)
        db.session.add(plan)
    plan.author_id = actor.id
    plan.status = PlanStatus.DRAFT
    plan.overall_goal = overall_goal.strip()
    plan.review_due = review_due
    plan.goals = [
        PlanGoal(
            position=position,
            description=goal.description.strip(),
            indicator=goal.indicator.strip(),
            actions=goal.actions.strip(),
            responsible=goal.responsible.strip(),
            due_on=goal.due_on,
        )
        for position, goal in enumerate(goals, start=1)
    ]
    db.session.flush()
    audit_case("case.plan_saved", case, actor, version=plan.version)
    return plan


def add_service_record(
    *,
    actor: User,
    case: Case,
    served_on: date,
    form: ServiceForm,
    duration_minutes: int,
    content: str,
    response: str,
    next_step: str,
    goals: Sequence[PlanGoal] = (),
) -> ServiceRecord:
    """A service record (服务记录), linked to the goals of the approved plan it served."""
    require_writable(case, "service_record")
    check_record_date(case, served_on, _l("服务日期"))
    plan = case.approved_plan
    if any(plan is None or goal not in plan.goals for goal in goals):
        raise CaseRuleError(_l("只能关联本个案已批准的服务计划中的目标。"))
    record = ServiceRecord(
        case=case,
        author_id=actor.id,
        served_on=served_on,
        form=form,
        duration_minutes=duration_minutes,
        content=content.strip(),
        response=response.strip(),
        next_step=next_step.strip(),
        goals=list(goals),
    )
    db.session.add(record)
    if case.last_service_on is None or served_on > case.last_service_on:
        case.last_service_on = served_on
    db.session.flush()
    audit_case("case.service_record_added", case, actor, record_id=record.id)
    return record


def record_referral_outcome(
    *, actor: User, referral: Referral, outcome: ReferralOutcome, note: str, on: date
) -> None:
    """The sender records what an outside agency answered; a unit of the organisation
    answers in its own queue (``cases.referrals.respond``)."""
    if referral.to_unit_id is not None:
        raise CaseRuleError(_l("转介给本系统单位的结果由接收单位回复。"))
    if on > local_today() or on < referral.referred_on:
        raise CaseRuleError(_l("转介结果日期须在转介日期与今天之间。"))
    referral.outcome = outcome
    referral.outcome_note = note.strip()
    referral.outcome_on = on
    audit_case("case.referral_outcome", referral.case, actor, referral_id=referral.id)


def save_evaluation(
    *,
    actor: User,
    case: Case,
    client_view: str,
    satisfaction: int,
    summary: str,
    results: dict[int, tuple[Attainment, str]],
) -> Evaluation:
    """Record attainment for every goal of the approved plan, and the person's view."""
    require_writable(case, "evaluation")
    plan = case.approved_plan
    goal_ids = {goal.id for goal in plan.goals} if plan else set()
    if set(results) != goal_ids:
        raise CaseRuleError(_l("请为服务计划中的每个目标评定达成情况。"))
    if not 1 <= satisfaction <= 5:
        raise CaseRuleError(_l("满意度须在 1 到 5 之间。"))
    evaluation = case.evaluation or Evaluation(case=case, author_id=actor.id)
    evaluation.author_id = actor.id
    evaluation.client_view = client_view.strip()
    evaluation.satisfaction = satisfaction
    evaluation.summary = summary.strip()
    # Update each goal's result in place: replacing the list would insert the new rows
    # before deleting the old ones and break the one-result-per-goal constraint.
    # Results for the goals of an earlier plan version go.
    evaluation.goal_results = [r for r in evaluation.goal_results if r.goal_id in results]
    existing = {result.goal_id: result for result in evaluation.goal_results}
    for goal_id, (attainment, note) in sorted(results.items()):
        result = existing.get(goal_id)
        if result is None:
            result = GoalResult(goal_id=goal_id)
            evaluation.goal_results.append(result)
        result.attainment = attainment
        result.note = note.strip()
    db.session.add(evaluation)
    audit_case("case.evaluation_saved", case, actor)
    return evaluation


def save_closure_report(
    *,
    actor: User,
    case: Case,
    closure_type: ClosureType,
    summary: str,
    follow_up_plan: str,
    follow_up_due: date | None,
) -> ClosureReport:
    require_writable(case, "closure")
    report = case.closure or ClosureReport(case=case, author_id=actor.id)
    report.author_id = actor.id
    report.closure_type = closure_type
    report.summary = summary.strip()
    report.follow_up_plan = follow_up_plan.strip()
    report.follow_up_due = follow_up_due
    db.session.add(report)
    audit_case("case.closure_saved", case, actor)
    return report


def add_follow_up(
    *,
    actor: User,
    case: Case,
    followed_on: date,
    form: ServiceForm,
    content: str,
    next_due: date | None,
) -> FollowUp:
    """Record a follow-up (回访); the first one moves a closed case into follow-up."""
    require_writable(case, "follow_up")
    check_record_date(case, followed_on, _l("回访日期"))
    if next_due is not None and next_due <= followed_on:
        raise CaseRuleError(_l("下次回访日期须晚于本次回访日期。"))
    if case.status is CaseStatus.CLOSED:
        take_step(case, "start_follow_up", actor=actor)
    follow_up = FollowUp(
        case=case,
        author_id=actor.id,
        followed_on=followed_on,
        form=form,
        content=content.strip(),
        next_due=next_due,
    )
    db.session.add(follow_up)
    case.follow_up_due = next_due
    db.session.flush()
    audit_case("case.follow_up_added", case, actor, follow_up_id=follow_up.id)
    return follow_up
