"""The tutor's and the station head's dashboards (督导工作台, 站务工作台).

Every count is one grouped aggregate over a visibility-scoped query, and every list is
loaded with its relationships up front, so the number of queries does not grow with the
number of cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from casework.accounts.models import Role, User
from casework.accounts.permissions import casework_unit_ids
from casework.cases import lifecycle as case_lifecycle
from casework.cases.enums import CaseStatus, RiskLevel
from casework.cases.models import Case, CaseTransition, ServiceRecord, SupervisorComment
from casework.cases.queries import (
    Reminders,
    awaiting_approval,
    open_cases_by_status,
    open_on,
    reminders_for,
)
from casework.core.clock import local_date, local_today
from casework.core.numbers import one_decimal
from casework.extensions import db
from casework.groups import lifecycle as group_lifecycle
from casework.groups.models import Group, GroupStatus, GroupTransition
from casework.helpdesk import queries as request_queries
from casework.helpdesk.models import HelpRequest
from casework.orgs.models import Unit
from casework.reports import statistics
from casework.supervision.services import supervision_minutes

# Lists on a dashboard are a starting point; the full list is one click away.
LIST_LIMIT = 50
RECENT_RECORD_DAYS = 14

# The stages an open case (在案, cases.queries.open_on) can be in, in process order.
OPEN_CASE_STATUSES = tuple(
    status
    for status in CaseStatus
    if status not in (CaseStatus.DECLINED, CaseStatus.CLOSED, CaseStatus.FOLLOW_UP)
)


# --- caseload per worker -----------------------------------------------------------------


@dataclass
class WorkerLoad:
    """One worker's open cases, counted by status and by risk level."""

    worker: User
    by_status: dict[CaseStatus, int] = field(default_factory=dict)
    by_risk: dict[RiskLevel, int] = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def high_risk(self) -> int:
        return self.by_risk.get(RiskLevel.HIGH, 0)


def caseload(scope: Select[Case], unit_ids: Sequence[int]) -> list[WorkerLoad]:
    """Open cases in ``scope`` per responsible worker, by status and by risk (two counts).

    Every active front-line worker of the units is listed, with or without cases, and so
    is anyone else still responsible for an open case (a worker since disabled).
    """
    open_cases = scope.where(open_on(local_today()))
    status_rows = db.session.execute(
        open_cases.with_only_columns(Case.worker_id, Case.status, func.count()).group_by(
            Case.worker_id, Case.status
        )
    ).all()
    risk_rows = db.session.execute(
        open_cases.with_only_columns(Case.worker_id, Case.risk_level, func.count()).group_by(
            Case.worker_id, Case.risk_level
        )
    ).all()
    responsible = {worker_id for worker_id, _status, _count in status_rows}
    workers = db.session.scalars(
        select(User)
        .join(User.unit)
        .where(
            or_(
                and_(
                    User.unit_id.in_(unit_ids),
                    User.role.in_((Role.SOCIAL_WORKER, Role.STATION_HEAD)),
                    User.is_active.is_(True),
                ),
                User.id.in_(responsible),
            )
        )
        .options(contains_eager(User.unit))
        .order_by(Unit.code, User.display_name, User.id)
    ).all()
    loads = {worker.id: WorkerLoad(worker=worker) for worker in workers}
    for worker_id, status, count in status_rows:
        loads[worker_id].by_status[status] = int(count)
    for worker_id, risk, count in risk_rows:
        loads[worker_id].by_risk[risk] = int(count)
    return list(loads.values())


def _count(query: Select[Any]) -> int:
    return int(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0)


# --- approvals waiting for the tutor -----------------------------------------------------

CASE_PENDING = (CaseStatus.PLAN_PENDING_APPROVAL, CaseStatus.CLOSURE_PENDING_APPROVAL)
GROUP_PENDING = (GroupStatus.PLAN_PENDING_APPROVAL, GroupStatus.CLOSURE_PENDING_APPROVAL)

# What the tutor decides on, and the two steps that decide it.
CASE_DECISIONS = {
    CaseStatus.PLAN_PENDING_APPROVAL: (_l("服务计划书"), "approve_plan", "return_plan"),
    CaseStatus.CLOSURE_PENDING_APPROVAL: (_l("结案申请"), "approve_closure", "return_closure"),
}
GROUP_DECISIONS = {
    GroupStatus.PLAN_PENDING_APPROVAL: (_l("小组计划书"), "approve_plan", "return_plan"),
    GroupStatus.CLOSURE_PENDING_APPROVAL: (
        _l("小组结束申请"),
        "approve_closure",
        "return_closure",
    ),
}


@dataclass
class Approval:
    """A service plan, case closure, group plan or group closure waiting for the tutor."""

    kind: str  # "case" or "group"
    what: Any
    case: Case | None
    group: Group | None
    waiting_since: date
    age_days: int
    approve_action: str
    return_action: str
    approve_label: Any
    return_label: Any

    @property
    def target_id(self) -> int:
        owner = self.case or self.group
        return owner.id if owner is not None else 0

    @property
    def endpoint(self) -> str:
        """The existing step endpoint (``cases.take_step`` or ``groups.take_step``)."""
        return f"{self.kind}s.take_step"

    @property
    def target_args(self) -> dict[str, int]:
        return {f"{self.kind}_id": self.target_id}

    @property
    def key(self) -> str:
        """A stable id for the page (form fields, anchors)."""
        return f"{self.kind}-{self.target_id}"


def _waiting_since(
    model: type[CaseTransition] | type[GroupTransition], owner: Any, ids: list[int]
) -> dict[int, datetime]:
    """When each case or group last entered a state waiting for the tutor (one query)."""
    if not ids:
        return {}
    statuses = CASE_PENDING if model is CaseTransition else GROUP_PENDING
    rows = db.session.execute(
        select(owner, func.max(model.at))
        .where(owner.in_(ids), model.to_status.in_(statuses))
        .group_by(owner)
    ).all()
    return {int(owner_id): at for owner_id, at in rows}


def approvals(case_scope: Select[Case], group_scope: Select[Group]) -> list[Approval]:
    """Everything waiting for the tutor's decision, oldest first."""
    today = local_today()
    items: list[Approval] = []
    cases = awaiting_approval(case_scope)
    case_since = _waiting_since(CaseTransition, CaseTransition.case_id, [c.id for c in cases])
    for case in cases:
        what, approve, give_back = CASE_DECISIONS[case.status]
        since = local_date(case_since.get(case.id) or case.updated_at)
        items.append(
            Approval(
                kind="case",
                what=what,
                case=case,
                group=None,
                waiting_since=since,
                age_days=max((today - since).days, 0),
                approve_action=approve,
                return_action=give_back,
                approve_label=case_lifecycle.STEPS[approve].label,
                return_label=case_lifecycle.STEPS[give_back].label,
            )
        )
    groups = list(
        db.session.scalars(
            group_scope.where(Group.status.in_(GROUP_PENDING))
            .options(selectinload(Group.facilitator), selectinload(Group.unit))
            .order_by(Group.updated_at)
        )
    )
    group_since = _waiting_since(
        GroupTransition, GroupTransition.group_id, [group.id for group in groups]
    )
    for group in groups:
        what, approve, give_back = GROUP_DECISIONS[group.status]
        since = local_date(group_since.get(group.id) or group.updated_at)
        items.append(
            Approval(
                kind="group",
                what=what,
                case=None,
                group=group,
                waiting_since=since,
                age_days=max((today - since).days, 0),
                approve_action=approve,
                return_action=give_back,
                approve_label=group_lifecycle.STEPS[approve].label,
                return_label=group_lifecycle.STEPS[give_back].label,
            )
        )
    return sorted(items, key=lambda item: (-item.age_days, item.key))


# --- overdue items -----------------------------------------------------------------------


@dataclass
class OverdueItems:
    reminders: Reminders
    requests: list[request_queries.QueueRow]

    @property
    def case_count(self) -> int:
        """Cases with anything due, as the caseload's 逾期 filter counts them."""
        return self.reminders.count

    @property
    def count(self) -> int:
        return self.case_count + len(self.requests)


def overdue_items(scope: Select[Case], unit_ids: Sequence[int]) -> OverdueItems:
    """Plan reviews and follow-ups due, cases without service, requests past their limits."""
    return OverdueItems(
        reminders=reminders_for(scope.options(selectinload(Case.worker))),
        requests=request_queries.overdue_requests(list(unit_ids)),
    )


# --- lists of cases and records ----------------------------------------------------------


@dataclass
class CaseList:
    count: int
    cases: list[Case]


def high_risk_cases(scope: Select[Case]) -> CaseList:
    """Open cases at high risk, newest first."""
    query = scope.where(open_on(local_today()), Case.risk_level == RiskLevel.HIGH)
    cases = db.session.scalars(
        query.options(selectinload(Case.worker))
        .order_by(Case.opened_on.desc(), Case.id.desc())
        .limit(LIST_LIMIT)
    )
    return CaseList(count=_count(query), cases=list(cases))


def cases_without_tutor(scope: Select[Case]) -> CaseList:
    """Open cases nobody supervises yet, oldest first."""
    query = scope.where(open_on(local_today()), Case.tutor_id.is_(None))
    cases = db.session.scalars(
        query.options(selectinload(Case.worker)).order_by(Case.opened_on, Case.id).limit(LIST_LIMIT)
    )
    return CaseList(count=_count(query), cases=list(cases))


@dataclass
class RecordList:
    count: int
    records: list[ServiceRecord]
    since: date


def records_without_comment(scope: Select[Case]) -> RecordList:
    """Service records of the last 14 days (today included) with no 督导意见 on them yet."""
    since = local_today() - timedelta(days=RECENT_RECORD_DAYS - 1)
    commented = exists().where(
        SupervisorComment.subject_type == "service_record",
        SupervisorComment.subject_id == ServiceRecord.id,
    )
    query = select(ServiceRecord).where(
        ServiceRecord.case_id.in_(scope.with_only_columns(Case.id)),
        ServiceRecord.served_on >= since,
        ~commented,
    )
    records = db.session.scalars(
        query.options(selectinload(ServiceRecord.case), selectinload(ServiceRecord.author))
        .order_by(ServiceRecord.served_on.desc(), ServiceRecord.id.desc())
        .limit(LIST_LIMIT)
    )
    return RecordList(count=_count(query), records=list(records), since=since)


def open_cases_by_worker(scope: Select[Case], loads: list[WorkerLoad]) -> None:
    """Attach each worker's open cases (for the reassign links): one query for all."""
    by_worker = {load.worker.id: load for load in loads}
    cases = db.session.scalars(
        scope.where(open_on(local_today())).order_by(
            Case.risk_level.desc(), Case.opened_on, Case.id
        )
    )
    for case in cases:
        if case.worker_id in by_worker:
            by_worker[case.worker_id].cases.append(case)


# --- help requests -----------------------------------------------------------------------


@dataclass
class RequestList:
    count: int
    rows: list[request_queries.QueueRow]


def unassigned_requests(scope: Select[HelpRequest]) -> RequestList:
    """Requests not yet ended that nobody has been assigned to, oldest first."""
    requests = db.session.scalars(
        scope.where(request_queries.is_unassigned())
        .order_by(HelpRequest.submitted_at, HelpRequest.id)
        .limit(LIST_LIMIT)
    ).all()
    return RequestList(
        count=request_queries.unassigned_count(scope), rows=request_queries.queue_rows(requests)
    )


# --- this month --------------------------------------------------------------------------


@dataclass
class MonthFigures:
    start: date
    end: date
    cases_opened: int
    cases_closed: int
    service_records: int
    service_hours: float
    requests_received: int
    requests_answered: int


def month_bounds(today: date) -> tuple[date, date]:
    start = today.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return start, end


def month_figures(unit_ids: Sequence[int], today: date) -> MonthFigures:
    """This calendar month's figures, from the same functions the reports use."""
    start, end = month_bounds(today)
    cases = statistics.case_figures(unit_ids, start, end)
    services = statistics.service_figures(unit_ids, start, end)
    requests = statistics.request_figures(unit_ids, start, end, today=today)
    return MonthFigures(
        start=start,
        end=end,
        cases_opened=cases.opened,
        cases_closed=cases.closed,
        service_records=services.records,
        service_hours=services.hours,
        requests_received=requests.submitted,
        requests_answered=requests.answered,
    )


# --- the two dashboards ------------------------------------------------------------------


@dataclass
class SupervisionHours:
    month_start: date
    year_start: date
    today: date
    month_minutes: int
    year_minutes: int

    @property
    def month_hours(self) -> float:
        return one_decimal(self.month_minutes / 60)

    @property
    def year_hours(self) -> float:
        return one_decimal(self.year_minutes / 60)


@dataclass
class TutorDashboard:
    units: list[Unit]
    approvals: list[Approval]
    caseload: list[WorkerLoad]
    overdue: OverdueItems
    high_risk: CaseList
    unreviewed: RecordList
    hours: SupervisionHours

    @property
    def open_total(self) -> int:
        """在案个案 of the supervised units: every open case has a responsible worker."""
        return sum(load.total for load in self.caseload)


def tutor_dashboard(
    tutor: User, case_scope: Select[Case], group_scope: Select[Group]
) -> TutorDashboard:
    """The figures of the units ``tutor`` supervises, through the given visibility scopes."""
    unit_ids = casework_unit_ids(tutor)
    today = local_today()
    month_start = today.replace(day=1)
    year_start = today.replace(month=1, day=1)
    return TutorDashboard(
        units=list(tutor.supervised_units),
        approvals=approvals(case_scope, group_scope),
        caseload=caseload(case_scope, unit_ids),
        overdue=overdue_items(case_scope, unit_ids),
        high_risk=high_risk_cases(case_scope),
        unreviewed=records_without_comment(case_scope),
        hours=SupervisionHours(
            month_start=month_start,
            year_start=year_start,
            today=today,
            month_minutes=supervision_minutes(tutor, month_start, today),
            year_minutes=supervision_minutes(tutor, year_start, today),
        ),
    )


@dataclass
class StationDashboard:
    unit: Unit
    open_by_status: dict[CaseStatus, int]
    without_tutor: CaseList
    unassigned_requests: RequestList
    overdue: OverdueItems
    month: MonthFigures
    workers: list[WorkerLoad]

    @property
    def open_total(self) -> int:
        return sum(self.open_by_status.values())


def station_dashboard(
    head: User, case_scope: Select[Case], request_scope: Select[HelpRequest]
) -> StationDashboard:
    """The head's own unit: cases, requests, this month's figures and each worker's load."""
    unit_ids = [head.unit_id]
    loads = caseload(case_scope, unit_ids)
    open_cases_by_worker(case_scope, loads)
    return StationDashboard(
        unit=head.unit,
        open_by_status=open_cases_by_status(case_scope, local_today()),
        without_tutor=cases_without_tutor(case_scope),
        unassigned_requests=unassigned_requests(request_scope),
        overdue=overdue_items(case_scope, unit_ids),
        month=month_figures(unit_ids, local_today()),
        workers=loads,
    )


# --- the bureau's home page --------------------------------------------------------------
