"""Read-side queries for cases: the caseload list, reminders and the timeline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from casework.cases.enums import CaseStatus, RiskLevel, ServiceDomain
from casework.cases.models import (
    Assessment,
    Case,
    CaseTransfer,
    CaseTransition,
    ClosureReport,
    Evaluation,
    FollowUp,
    GoalResult,
    IntakeRecord,
    PlanGoal,
    Referral,
    ServicePlan,
    ServiceRecord,
    SupervisorComment,
    service_record_goals,
)
from casework.core.clock import local_today
from casework.core.enums import LabelledEnum
from casework.core.inputs import db_int
from casework.core.models import as_utc
from casework.extensions import db

E = TypeVar("E", bound=LabelledEnum)

NO_SERVICE_DAYS = 30
PLAN_REVIEW_NOTICE_DAYS = 7

# States in which a case is being served, and so should see regular service records.
SERVING_STATUSES = (
    CaseStatus.ASSESSMENT,
    CaseStatus.PLANNING,
    CaseStatus.PLAN_PENDING_APPROVAL,
    CaseStatus.INTERVENTION,
    CaseStatus.EVALUATION,
    CaseStatus.REOPENED,
)
PLAN_REVIEW_STATUSES = (CaseStatus.INTERVENTION, CaseStatus.EVALUATION)
FOLLOW_UP_STATUSES = (CaseStatus.CLOSED, CaseStatus.FOLLOW_UP)


def _plan_review_due(today: date) -> Any:
    return Case.status.in_(PLAN_REVIEW_STATUSES) & (
        Case.plan_review_due <= today + timedelta(days=PLAN_REVIEW_NOTICE_DAYS)
    )


def _follow_up_due(today: date) -> Any:
    return Case.status.in_(FOLLOW_UP_STATUSES) & (Case.follow_up_due <= today)


def _without_service(today: date) -> Any:
    last = func.coalesce(Case.last_service_on, Case.opened_on)
    return Case.status.in_(SERVING_STATUSES) & (last < today - timedelta(days=NO_SERVICE_DAYS))


def overdue_condition(today: date) -> Any:
    """逾期个案: a plan review or follow-up due, or no service for 30 days."""
    return or_(_plan_review_due(today), _follow_up_due(today), _without_service(today))


def open_on(day: date) -> Any:
    """在案: opened by ``day``, not declined, and its closure not approved by then.

    A case in 回访 has been closed (its closure was approved) and is not open. Because
    ``closed_on`` is set when a closure is approved or a case declined and cleared when a
    case is reopened, this holds for any past day as well as for today.
    """
    return and_(
        Case.opened_on <= day,
        Case.status != CaseStatus.DECLINED,
        or_(Case.closed_on.is_(None), Case.closed_on > day),
    )


def overdue_case_count(scope: Select[Case], today: date) -> int:
    """How many cases in ``scope`` are 逾期 (each counted once, whatever is due)."""
    query = scope.where(overdue_condition(today)).with_only_columns(func.count(Case.id))
    return int(db.session.scalar(query.order_by(None)) or 0)


def open_cases_by_status(scope: Select[Case], day: date) -> dict[CaseStatus, int]:
    """在案个案 in ``scope`` on ``day``, counted by stage."""
    rows = db.session.execute(
        scope.where(open_on(day))
        .with_only_columns(Case.status, func.count(Case.id))
        .group_by(Case.status)
        .order_by(None)
    ).all()
    return {status: int(count) for status, count in rows}


@dataclass
class CaseFilters:
    status: CaseStatus | None = None
    domain: ServiceDomain | None = None
    risk_level: RiskLevel | None = None
    worker_id: int | None = None
    overdue: bool = False
    open_only: bool = False  # 在案 (open_on today)
    sort: str = "opened"


def _enum_value(enum_class: type[E], value: str | None) -> E | None:
    """A filter's value; an unknown value means no filter."""
    try:
        return enum_class.of(value) if value else None
    except ValueError:
        return None


def case_filters_from(args: MultiDict[str, str]) -> CaseFilters:
    """The caseload's filters from the query string, shared by the list and its export."""
    return CaseFilters(
        status=_enum_value(CaseStatus, args.get("status")),
        domain=_enum_value(ServiceDomain, args.get("domain")),
        risk_level=_enum_value(RiskLevel, args.get("risk")),
        worker_id=args.get("worker", type=db_int),
        overdue=args.get("overdue") == "1",
        open_only=args.get("open") == "1",
        sort=args.get("sort", "opened"),
    )


def records_per_goal(goals: Sequence[PlanGoal]) -> dict[int, int]:
    """How many service records worked towards each goal: evidence for the evaluation."""
    if not goals:
        return {}
    link = service_record_goals.c
    rows = db.session.execute(
        select(link.goal_id, func.count())
        .where(link.goal_id.in_([goal.id for goal in goals]))
        .group_by(link.goal_id)
    )
    return {goal_id: int(count) for goal_id, count in rows}


def figure_of(filters: CaseFilters) -> str | None:
    """The figure (casework.reports.figures) a filtered caseload's total is, if any."""
    only = CaseFilters(open_only=filters.open_only, overdue=filters.overdue, sort=filters.sort)
    if only != filters or filters.open_only == filters.overdue:
        return None
    return "cases.open" if filters.open_only else "cases.due"


# Each sort as (column, descending) pairs, the last making the order unique, so the
# caseload can page by keyset (casework.core.pagination).
SORT_KEYS: dict[str, tuple[tuple[Any, bool], ...]] = {
    "opened": ((Case.opened_on, True), (Case.id, True)),
    "number": ((Case.number, False),),
    "risk": ((Case.risk_level, True), (Case.opened_on, True), (Case.id, True)),
    "status": ((Case.status, False), (Case.id, True)),
    "last_service": ((Case.last_service_on, False), (Case.id, False)),
}
SORTS = {
    name: tuple(column.desc() if descending else column.asc() for column, descending in keys)
    for name, keys in SORT_KEYS.items()
}


def sort_keys(filters: CaseFilters) -> tuple[tuple[Any, bool], ...]:
    return SORT_KEYS.get(filters.sort, SORT_KEYS["opened"])


def filtered_cases(scope: Select[Case], filters: CaseFilters) -> Select[Case]:
    """Apply the caseload filters and sort to a visibility-scoped query."""
    query = scope
    if filters.status is not None:
        query = query.where(Case.status == filters.status)
    if filters.domain is not None:
        query = query.where(Case.domain == filters.domain)
    if filters.risk_level is not None:
        query = query.where(Case.risk_level == filters.risk_level)
    if filters.worker_id is not None:
        query = query.where(Case.worker_id == filters.worker_id)
    if filters.overdue:
        query = query.where(overdue_condition(local_today()))
    if filters.open_only:
        query = query.where(open_on(local_today()))
    order = SORTS.get(filters.sort, SORTS["opened"])
    return query.options(selectinload(Case.service_user), selectinload(Case.worker)).order_by(
        *order
    )


REMINDER_LIST_LIMIT = 50


@dataclass
class Reminders:
    # The number of cases with anything due (the 逾期个案 figure: a case due for a plan
    # review that has also had no service for 30 days is one case, not two).
    count: int = 0
    plan_reviews: list[Case] = field(default_factory=list)
    follow_ups: list[Case] = field(default_factory=list)
    without_service: list[Case] = field(default_factory=list)


def reminders_for(scope: Select[Case]) -> Reminders:
    """What is due in ``scope``: plan reviews, follow-ups, cases without recent service."""
    today = local_today()

    def fetch(condition: Any, order: Any) -> list[Case]:
        query = scope.where(condition).options(selectinload(Case.service_user)).order_by(order)
        return list(db.session.scalars(query.limit(REMINDER_LIST_LIMIT)))

    return Reminders(
        count=overdue_case_count(scope, today),
        plan_reviews=fetch(_plan_review_due(today), Case.plan_review_due),
        follow_ups=fetch(_follow_up_due(today), Case.follow_up_due),
        without_service=fetch(
            _without_service(today), func.coalesce(Case.last_service_on, Case.opened_on)
        ),
    )


def awaiting_approval(scope: Select[Case]) -> list[Case]:
    """Plans and closures waiting for the tutor, oldest first."""
    query = (
        scope.where(
            Case.status.in_((CaseStatus.PLAN_PENDING_APPROVAL, CaseStatus.CLOSURE_PENDING_APPROVAL))
        )
        .options(selectinload(Case.service_user), selectinload(Case.worker))
        .order_by(Case.updated_at)
    )
    return list(db.session.scalars(query))


# Steps whose reason the services also keep as a supervisor's comment on the record.
COMMENTED_STEPS = frozenset({"approve_plan", "return_plan", "approve_closure", "return_closure"})

RECORD_TITLES = {
    "intake": _l("接案登记表"),
    "assessment": _l("预估表"),
    "plan": _l("服务计划书"),
    "service_record": _l("服务记录"),
    "referral": _l("转介"),
    "evaluation": _l("评估报告"),
    "closure": _l("结案报告"),
    "follow_up": _l("回访记录"),
    "comment": _l("督导意见"),
}


@dataclass
class TimelineItem:
    at: datetime | date
    kind: str
    title: Any
    actor: str
    anchor: str
    body: str = ""


def case_page_options() -> list[Any]:
    """Loader options for the case page: every record and its author in a few queries."""
    return [
        selectinload(Case.unit),
        selectinload(Case.service_user),
        selectinload(Case.worker),
        selectinload(Case.tutor),
        selectinload(Case.problem_links),
        selectinload(Case.transitions).selectinload(CaseTransition.actor),
        selectinload(Case.intake).selectinload(IntakeRecord.author),
        selectinload(Case.assessment).selectinload(Assessment.author),
        selectinload(Case.plans).options(
            selectinload(ServicePlan.author),
            selectinload(ServicePlan.decided_by),
            selectinload(ServicePlan.goals),
        ),
        selectinload(Case.service_records).options(
            selectinload(ServiceRecord.author), selectinload(ServiceRecord.goals)
        ),
        selectinload(Case.referrals).options(
            selectinload(Referral.author), selectinload(Referral.to_unit)
        ),
        selectinload(Case.evaluations).options(
            selectinload(Evaluation.author),
            selectinload(Evaluation.goal_results).selectinload(GoalResult.goal),
        ),
        selectinload(Case.closure_reports).selectinload(ClosureReport.author),
        selectinload(Case.follow_ups).selectinload(FollowUp.author),
    ]


def timeline(case: Case, comments: list[SupervisorComment] | None = None) -> list[TimelineItem]:
    """Everything that happened to ``case``, newest first: steps, records and comments."""
    items: list[TimelineItem] = []
    for transition in case.transitions:
        label = transition.to_status.label
        items.append(
            TimelineItem(
                at=transition.at,
                kind="transition",
                title=label,
                actor=transition.actor.display_name,
                anchor="timeline",
                # A tutor's reason also became a 督导意见, which the timeline lists itself.
                body="" if transition.action in COMMENTED_STEPS else transition.reason or "",
            )
        )
    records: list[tuple[Any, str, Any]] = []
    if case.intake:
        records.append((case.intake, "intake", RECORD_TITLES["intake"]))
    if case.assessment:
        records.append((case.assessment, "assessment", RECORD_TITLES["assessment"]))
    records.extend((plan, "plan", RECORD_TITLES["plan"]) for plan in case.plans)
    records.extend(
        (record, "service_record", RECORD_TITLES["service_record"])
        for record in case.service_records
    )
    records.extend((referral, "referral", RECORD_TITLES["referral"]) for referral in case.referrals)
    records.extend(
        (evaluation, "evaluation", RECORD_TITLES["evaluation"]) for evaluation in case.evaluations
    )
    records.extend((report, "closure", RECORD_TITLES["closure"]) for report in case.closure_reports)
    records.extend(
        (follow_up, "follow_up", RECORD_TITLES["follow_up"]) for follow_up in case.follow_ups
    )
    for record, kind, title in records:
        items.append(
            TimelineItem(
                at=record.created_at,
                kind=kind,
                title=title,
                actor=record.author.display_name,
                anchor=f"{kind}-{record.id}",
            )
        )
    for comment in comments_of(case) if comments is None else comments:
        items.append(
            TimelineItem(
                at=comment.at,
                kind="comment",
                title=RECORD_TITLES["comment"],
                actor=comment.author.display_name,
                anchor=f"comment-{comment.id}",
                body=comment.body,
            )
        )
    items.extend(_transfer_items(case))
    return sorted(items, key=lambda item: _sort_key(item.at), reverse=True)


def _transfer_items(case: Case) -> list[TimelineItem]:
    """The case's moves between units: each proposal, and its acceptance or rejection."""
    items = []
    found = db.session.scalars(
        select(CaseTransfer)
        .where(CaseTransfer.case_id == case.id)
        .options(
            selectinload(CaseTransfer.to_unit),
            selectinload(CaseTransfer.proposed_by),
            selectinload(CaseTransfer.decided_by),
        )
        .order_by(CaseTransfer.id)
    )
    for transfer in found:
        items.append(
            TimelineItem(
                at=transfer.proposed_at,
                kind="transfer",
                title=_l("申请转移至%(unit)s", unit=transfer.to_unit.name),
                actor=transfer.proposed_by.display_name,
                anchor="transfers",
                body=transfer.reason,
            )
        )
        if transfer.decided_at is not None and transfer.decided_by is not None:
            items.append(
                TimelineItem(
                    at=transfer.decided_at,
                    kind="transfer",
                    title=_l("转移%(status)s", status=transfer.status.label),
                    actor=transfer.decided_by.display_name,
                    anchor="transfers",
                    body=transfer.decision_note or "",
                )
            )
    return items


def _sort_key(moment: datetime | date) -> datetime:
    """SQLite hands back naive UTC datetimes; compare everything as aware UTC."""
    if isinstance(moment, datetime):
        return as_utc(moment)
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)


def comments_of(case: Case) -> list[SupervisorComment]:
    return list(
        db.session.scalars(
            select(SupervisorComment)
            .where(SupervisorComment.case_id == case.id)
            .options(selectinload(SupervisorComment.author))
            .order_by(SupervisorComment.at)
        )
    )


def comments_by_subject(
    case: Case, comments: list[SupervisorComment] | None = None
) -> dict[tuple[str, int | None], list[SupervisorComment]]:
    grouped: dict[tuple[str, int | None], list[SupervisorComment]] = {}
    for comment in comments_of(case) if comments is None else comments:
        grouped.setdefault((comment.subject_type, comment.subject_id), []).append(comment)
    return grouped
