"""Every change to a case: opening, records of each stage, lifecycle steps, assignment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from casework.accounts.models import Role, User
from casework.accounts.permissions import casework_unit_ids
from casework.accounts.queries import heads_of, tutors_of
from casework.cases import lifecycle
from casework.cases.breakglass import BreakGlassGrant
from casework.cases.enums import (
    CaseSource,
    CaseStatus,
    ClosureType,
    PlanStatus,
    ProblemCategory,
    RiskLevel,
    ServiceDomain,
)
from casework.cases.models import (
    Assessment,
    Case,
    CaseNumberCounter,
    CaseProblem,
    CaseTransition,
    ClosureReport,
    Evaluation,
    FollowUp,
    IntakeRecord,
    PlanGoal,
    Referral,
    ServicePlan,
    ServiceRecord,
    SupervisorComment,
)
from casework.core import audit
from casework.core.clock import add_working_days, local_today
from casework.core.models import utcnow
from casework.core.rules import RuleError
from casework.extensions import Base, db
from casework.notifications.services import notify
from casework.orgs.models import Unit
from casework.people.models import ConsentBasis, ServiceUser

BREAK_GLASS_MINUTES = 30


class CaseRuleError(RuleError):
    """A casework rule forbids the change."""


def audit_case(action: str, case: Case, actor: User, **details: Any) -> None:
    audit.record(action, case, actor_id=actor.id, details=details or None)


def next_case_number(unit: Unit, year: int) -> tuple[int, str]:
    """Reserve the next sequence for ``unit`` in ``year``: ``<unit code>-<year>-<0001>``.

    The UPDATE takes the counter row's lock, so concurrent openings get distinct numbers.
    """
    bumped = db.session.execute(
        update(CaseNumberCounter)
        .where(CaseNumberCounter.unit_id == unit.id, CaseNumberCounter.year == year)
        .values(last_sequence=CaseNumberCounter.last_sequence + 1)
        .returning(CaseNumberCounter.last_sequence)
    ).scalar_one_or_none()
    if bumped is None:
        db.session.add(CaseNumberCounter(unit_id=unit.id, year=year, last_sequence=1))
        db.session.flush()
        bumped = 1
    return bumped, f"{unit.code}-{year}-{bumped:04d}"


@dataclass
class CaseDetails:
    domain: ServiceDomain
    source: CaseSource
    risk_level: RiskLevel
    summary: str
    problems: list[ProblemCategory]


def open_case(
    *,
    actor: User,
    person: ServiceUser,
    details: CaseDetails,
    worker: User,
    tutor: User | None,
    opened_on: date | None = None,
    unit: Unit | None = None,
) -> Case:
    """Open a case at intake (接案) for ``person`` in ``unit``: the person's unit, or one
    that unit let serve the person (people/file_requests.py)."""
    opened_on = opened_on or local_today()
    unit = unit or person.unit
    sequence, number = next_case_number(unit, opened_on.year)
    case = Case(
        number=number,
        unit_id=unit.id,
        year=opened_on.year,
        sequence=sequence,
        service_user=person,
        worker=worker,
        tutor=tutor,
        opened_on=opened_on,
        status=CaseStatus.INTAKE,
    )
    _apply_details(case, details)
    db.session.add(case)
    db.session.flush()
    db.session.add(
        CaseTransition(
            case=case, action="open", from_status=None, to_status=CaseStatus.INTAKE, actor=actor
        )
    )
    audit_case("case.create", case, actor, number=number)
    return case


def _apply_details(case: Case, details: CaseDetails) -> None:
    case.domain = details.domain
    case.source = details.source
    case.risk_level = details.risk_level
    case.summary = details.summary.strip()
    wanted = set(details.problems)
    case.problem_links = [link for link in case.problem_links if link.category in wanted]
    present = {link.category for link in case.problem_links}
    case.problem_links.extend(CaseProblem(category=c) for c in details.problems if c not in present)


def update_case_details(*, actor: User, case: Case, details: CaseDetails) -> None:
    _apply_details(case, details)
    audit_case("case.update", case, actor)


def assign_case(*, actor: User, case: Case, worker: User, tutor: User | None) -> None:
    """The station head assigns the responsible worker and the supervising tutor."""
    if worker.unit_id != case.unit_id or worker.role not in (
        Role.SOCIAL_WORKER,
        Role.STATION_HEAD,
    ):
        raise CaseRuleError(_l("负责社工必须是本单位的社工。"))
    if tutor is not None and (
        tutor.role is not Role.TUTOR or case.unit_id not in casework_unit_ids(tutor)
    ):
        raise CaseRuleError(_l("所选督导没有督导本单位。"))
    changes: dict[str, Any] = {"worker_id": [case.worker_id, worker.id]}
    case.worker = worker
    if tutor is not None or case.tutor_id is not None:
        changes["tutor_id"] = [case.tutor_id, tutor.id if tutor else None]
        case.tutor = tutor
    audit_case("case.assign", case, actor, **changes)


COMMENT_SUBJECTS: dict[str, type[Base] | None] = {
    "case": None,
    "intake": IntakeRecord,
    "assessment": Assessment,
    "plan": ServicePlan,
    "service_record": ServiceRecord,
    "referral": Referral,
    "evaluation": Evaluation,
    "closure": ClosureReport,
    "follow_up": FollowUp,
}


def _check_preconditions(case: Case, step: lifecycle.Step) -> None:
    """The records a step needs before it may be taken."""
    action = step.action
    if action == "accept":
        if case.intake is None:
            raise CaseRuleError(_l("请先填写接案登记表。"))
        if not case.intake.first_judgement.strip():
            raise CaseRuleError(_l("请先在接案登记表中填写初步判断。"))
    if action == "finish_assessment" and case.assessment is None:
        raise CaseRuleError(_l("请先填写预估表。"))
    if action == "submit_plan":
        plan = editable_plan(case)
        if plan is None or not plan.goals:
            raise CaseRuleError(_l("请先填写服务计划书，并至少列出一个服务目标。"))
    if action == "request_closure":
        if case.closure is None:
            raise CaseRuleError(_l("请先填写结案报告。"))
        if case.closure.closure_type is ClosureType.GOALS_MET and case.evaluation is None:
            raise CaseRuleError(_l("结案类型为“目标达成”时，请先完成评估。"))


def _status_before_closure_request(case: Case) -> CaseStatus:
    for transition in reversed(case.transitions):
        if transition.action == "request_closure" and transition.from_status is not None:
            return transition.from_status
    return CaseStatus.EVALUATION


def _apply_side_effects(
    case: Case, step: lifecycle.Step, actor: User, reason: str | None, referral_to: str | None
) -> None:
    today = local_today()
    action = step.action
    if action == "decline":
        case.closed_on = today
        if referral_to:
            add_referral(
                actor=actor,
                case=case,
                referred_on=today,
                to_unit=None,
                to_agency=referral_to,
                reason=reason or "",
            )
    elif action == "submit_plan":
        plan = editable_plan(case)
        if plan is not None:  # always, after _check_preconditions
            plan.status = PlanStatus.SUBMITTED
            plan.submitted_at = utcnow()
    elif action in ("approve_plan", "return_plan"):
        plan = case.current_plan
        if plan is not None and plan.status is PlanStatus.SUBMITTED:
            approved = action == "approve_plan"
            if approved:
                for earlier in case.plans:
                    if earlier.status is PlanStatus.APPROVED:
                        earlier.status = PlanStatus.SUPERSEDED
                case.plan_review_due = plan.review_due
            plan.status = PlanStatus.APPROVED if approved else PlanStatus.RETURNED
            plan.decided_at = utcnow()
            plan.decided_by_id = actor.id
            if reason:
                add_comment(
                    actor=actor, case=case, subject_type="plan", subject_id=plan.id, body=reason
                )
    elif action == "revise_plan":
        _start_plan_revision(case, actor)
    elif action in ("approve_closure", "return_closure"):
        if action == "approve_closure":
            case.closed_on = today
            case.plan_review_due = None
            case.follow_up_due = case.closure.follow_up_due if case.closure else None
        if reason and case.closure is not None:
            # The tutor's comment: optional when approving, required to send it back.
            add_comment(
                actor=actor,
                case=case,
                subject_type="closure",
                subject_id=case.closure.id,
                body=reason,
            )
    elif action == "end_follow_up":
        case.follow_up_due = None
    elif action == "reopen":
        case.closed_on = None
        case.follow_up_due = None
        # The new round of service needs its own evaluation and closure report.
        for report in (case.evaluation, case.closure):
            if report is not None:
                report.is_superseded = True


def _start_plan_revision(case: Case, actor: User) -> None:
    """A revision starts as a copy of the approved plan; the approved one stays on record."""
    approved = case.approved_plan
    if approved is None:
        return
    revision = ServicePlan(
        case=case,
        version=len(case.plans) + 1,
        author_id=actor.id,
        status=PlanStatus.DRAFT,
        overall_goal=approved.overall_goal,
        review_due=approved.review_due,
        goals=[
            PlanGoal(
                position=goal.position,
                description=goal.description,
                indicator=goal.indicator,
                actions=goal.actions,
                responsible=goal.responsible,
                due_on=goal.due_on,
            )
            for goal in approved.goals
        ],
    )
    db.session.add(revision)


def take_step(
    case: Case,
    action: str,
    *,
    actor: User,
    reason: str | None = None,
    referral_to: str | None = None,
) -> CaseTransition:
    """Move ``case`` one step through the lifecycle; the one place transitions happen.

    Permission (who may take the step) is the caller's check; this enforces the process.
    """
    step = lifecycle.STEPS.get(action)
    if step is None:
        raise CaseRuleError(_l("未知的操作。"))
    if case.status not in step.sources:
        raise CaseRuleError(
            _l(
                "个案当前处于“%(status)s”阶段，不能执行“%(step)s”。",
                status=case.status.label,
                step=step.label,
            )
        )
    reason = (reason or "").strip() or None
    if step.needs_reason and not reason:
        raise CaseRuleError(_l("请填写原因或意见。"))
    _check_preconditions(case, step)
    source = case.status
    target = step.target or _status_before_closure_request(case)
    _apply_side_effects(case, step, actor, reason, referral_to)
    if step.actor is lifecycle.Actor.TUTOR and case.tutor_id is None:
        # A case nobody was assigned to supervise records the tutor who decided on it.
        case.tutor = actor
    case.status = target
    transition = CaseTransition(
        case=case,
        action=action,
        from_status=source,
        to_status=target,
        actor_id=actor.id,
        reason=reason,
    )
    db.session.add(transition)
    db.session.flush()
    audit_case("case.transition", case, actor, step=action, to=target.value)
    _notify_step(case, action)
    return transition


# Who hears of a step: the tutor of a request waiting for them, the worker of a decision.
_STEP_NOTICES: dict[str, tuple[str, str, Callable[[], Any]]] = {
    "submit_plan": ("plan_submitted", "tutor", lambda: _l("服务计划待您审核。")),
    "return_plan": ("plan_returned", "worker", lambda: _l("服务计划被督导退回，请查看意见。")),
    "request_closure": ("closure_submitted", "tutor", lambda: _l("申请结案，待您审核。")),
    "return_closure": (
        "closure_returned",
        "worker",
        lambda: _l("结案申请被督导退回，请查看意见。"),
    ),
}


def _notify_step(case: Case, action: str) -> None:
    notice = _STEP_NOTICES.get(action)
    if notice is None:
        return
    kind, whom, message = notice
    if whom == "worker":
        recipients = [case.worker]
    else:
        recipients = [case.tutor] if case.tutor is not None else tutors_of(case.unit_id)
    notify(recipients, kind, message(), f"/cases/{case.id}", case_id=case.id)


def grant_break_glass(*, actor: User, case: Case, reason: str) -> BreakGlassGrant:
    """Give an administrator 30 minutes' read access to one case, with a recorded reason."""
    if not reason.strip():
        raise CaseRuleError(_l("请填写查看原因。"))
    grant = BreakGlassGrant(
        user_id=actor.id,
        case_id=case.id,
        reason=reason.strip(),
        expires_at=utcnow() + timedelta(minutes=BREAK_GLASS_MINUTES),
    )
    db.session.add(grant)
    db.session.flush()
    audit_case("case.break_glass", case, actor, grant_id=grant.id)
    return grant


def find_case_by_number(number: str) -> Case | None:
    return db.session.scalar(select(Case).where(Case.number == number.strip()))


def record_case_export(*, actor: User, case: Case) -> None:
    """Printing the case file is audited like viewing it."""
    audit_case("case.export_pdf", case, actor)


def editable_plan(case: Case) -> ServicePlan | None:
    plan = case.current_plan
    if plan and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        return plan
    return None


# Working days a referral's receiver has to answer it before both sides see it as overdue.
REFERRAL_RESPONSE_DAYS = 5


def add_referral(
    *,
    actor: User,
    case: Case,
    referred_on: date,
    to_unit: Unit | None,
    to_agency: str | None,
    reason: str,
    shared_information: str | None = None,
    consent_basis: ConsentBasis | None = None,
    agency_contact: str | None = None,
) -> Referral:
    """A referral to a unit of the organisation (which receives it in its queue, with only
    ``shared_information``, shared on ``consent_basis``), or to an outside agency."""
    if case.status is not CaseStatus.INTAKE:
        require_writable(case, "referral")
    if to_unit is None and not (to_agency or "").strip():
        raise CaseRuleError(_l("请选择转介的单位或填写转介机构。"))
    if to_unit is not None:
        if to_unit.id == case.unit_id:
            raise CaseRuleError(_l("不能转介给本单位。"))
        if not (shared_information or "").strip():
            raise CaseRuleError(_l("请填写向接收单位提供的信息。"))
        if consent_basis is None:
            raise CaseRuleError(_l("请选择服务对象同意提供信息的依据。"))
    check_record_date(case, referred_on, _l("转介日期"))
    referral = Referral(
        case=case,
        author_id=actor.id,
        referred_on=referred_on,
        from_unit_id=case.unit_id,
        to_unit=to_unit,
        to_agency=None if to_unit else (to_agency or "").strip() or None,
        agency_contact=None if to_unit else (agency_contact or "").strip() or None,
        reason=reason.strip(),
        shared_information=(shared_information or "").strip() or None if to_unit else None,
        consent_basis=consent_basis if to_unit else None,
        due_on=add_working_days(referred_on, REFERRAL_RESPONSE_DAYS),
    )
    db.session.add(referral)
    db.session.flush()
    audit_case("case.referral_added", case, actor, referral_id=referral.id)
    if to_unit is not None:
        notify(
            heads_of(to_unit.id),
            "referral_received",
            _l("%(unit)s 转介来一位服务对象，请在“转入的转介”中答复。", unit=case.unit.name),
            "/cases/referrals/inbound",
        )
    return referral


def add_comment(
    *, actor: User, case: Case, subject_type: str, subject_id: int | None, body: str
) -> SupervisorComment:
    """A tutor's comment (督导意见) on the case or one of its records."""
    if subject_type not in COMMENT_SUBJECTS:
        raise CaseRuleError(_l("无法对该记录添加督导意见。"))
    model = COMMENT_SUBJECTS[subject_type]
    if model is not None:
        subject = db.session.get(model, subject_id) if subject_id else None
        if subject is None or getattr(subject, "case_id", None) != case.id:
            raise CaseRuleError(_l("无法对该记录添加督导意见。"))
    else:
        subject_id = None
    comment = SupervisorComment(
        case_id=case.id,
        subject_type=subject_type,
        subject_id=subject_id,
        author_id=actor.id,
        body=body.strip(),
    )
    db.session.add(comment)
    db.session.flush()
    audit_case("case.comment_added", case, actor, comment_id=comment.id, subject=subject_type)
    return comment


def check_record_date(case: Case, day: date, what: Any) -> None:
    """Records are dated between the case's opening and today."""
    if day > local_today():
        raise CaseRuleError(_l("%(what)s不能晚于今天。", what=what))
    if day < case.opened_on:
        raise CaseRuleError(_l("%(what)s不能早于开案日期。", what=what))


def require_writable(case: Case, record_kind: str) -> None:
    if not lifecycle.can_write(record_kind, case.status):
        raise CaseRuleError(
            _l("个案当前处于“%(status)s”阶段，不能填写此记录。", status=case.status.label)
        )
