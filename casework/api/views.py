"""/api/v1: the resources. Each one asks the same permission predicates and builds on the
same ``*_visible_to`` query as its page, so a token sees and does exactly what its owner
may on the pages (404 outside the scope, 403 for what the role may not do)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import g
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from casework.accounts.models import User
from casework.accounts.permissions import can_manage_users, casework_unit_ids, users_visible_to
from casework.activities.models import CommunityActivity
from casework.activities.permissions import activities_visible_to
from casework.api import schemas
from casework.api.base import PageArgs, blp, page_schema, paginate
from casework.api.models import ApiToken
from casework.cases import lifecycle, queries, services
from casework.cases.casefile import case_file_data
from casework.cases.enums import CaseStatus, RiskLevel, ServiceDomain
from casework.cases.models import Case, Referral
from casework.cases.permissions import can_list_cases, can_take_step, cases_visible_to
from casework.cases.referrals import can_receive_referrals, inbound_visible_to
from casework.cases.views import visible_case_or_404
from casework.core.clock import local_today
from casework.core.errors import ApiError
from casework.core.inputs import MAX_ID
from casework.core.permissions import require
from casework.extensions import db
from casework.groups.models import (
    Attendance,
    AttendanceStatus,
    Group,
    GroupMember,
    GroupSession,
    GroupStatus,
)
from casework.groups.permissions import groups_visible_to
from casework.helpdesk.models import Channel, HelpRequest, RequestStatus
from casework.helpdesk.permissions import requests_visible_to
from casework.orgs.models import Unit
from casework.orgs.reporting import (
    can_view_statistics,
    figure_unit_ids,
    is_aggregate_only,
    report_units_for,
)
from casework.people.models import ServiceUser
from casework.people.permissions import can_list_people, people_visible_to
from casework.reports import monthly, periods

ID_RANGE = ma.validate.Range(min=1, max=MAX_ID)


class _With:
    """``base`` with a few more attributes, for a schema to dump (a detail is a record
    and what the API adds to it)."""

    def __init__(self, base: Any, **extra: Any) -> None:
        self._base = base
        self.__dict__.update(extra)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._base, name)


# --- who is calling ----------------------------------------------------------------------


@blp.get("/me")
@blp.response(200, schemas.MeSchema)
def me() -> _With:
    """The token's owner, their unit and the token's scope."""
    token = db.session.get(ApiToken, g.api_token_id)
    return _With(current_user._get_current_object(), token_scope=token.scope.value if token else "")


# --- units -------------------------------------------------------------------------------


class UnitArgs(PageArgs):
    parent_id = ma.fields.Integer(load_default=None, validate=ID_RANGE)


@blp.get("/units")
@blp.arguments(UnitArgs, location="query")
@blp.response(200, page_schema(schemas.UnitSchema, "UnitPage"))
def units(args: dict[str, Any]) -> dict[str, Any]:
    """The organisation's units (read by every role: the tree is not personal data)."""
    query = select(Unit)
    if args["parent_id"] is not None:
        query = query.where(Unit.parent_id == args["parent_id"])
    return paginate(query, Unit.id, args)


# --- cases -------------------------------------------------------------------------------


class CaseArgs(PageArgs):
    status = ma.fields.Enum(CaseStatus, by_value=True, load_default=None)
    domain = ma.fields.Enum(ServiceDomain, by_value=True, load_default=None)
    risk_level = ma.fields.Enum(RiskLevel, by_value=True, load_default=None)
    worker_id = ma.fields.Integer(load_default=None, validate=ID_RANGE)
    overdue = ma.fields.Boolean(
        load_default=False, metadata={"description": "逾期: as the caseload's filter"}
    )
    open_only = ma.fields.Boolean(
        load_default=False, metadata={"description": "在案 today: as the caseload's filter"}
    )
    service_user_id = ma.fields.Integer(load_default=None, validate=ID_RANGE)


@blp.get("/cases")
@blp.arguments(CaseArgs, location="query")
@blp.response(200, page_schema(schemas.CaseSchema, "CasePage"))
def cases(args: dict[str, Any]) -> dict[str, Any]:
    """The cases the caller may open, newest first, with the caseload's filters (个案)."""
    require(can_list_cases(current_user))
    filters = queries.CaseFilters(
        status=args["status"],
        domain=args["domain"],
        risk_level=args["risk_level"],
        worker_id=args["worker_id"],
        overdue=args["overdue"],
        open_only=args["open_only"],
    )
    query = queries.filtered_cases(cases_visible_to(current_user), filters).options(
        selectinload(Case.tutor)
    )
    if args["service_user_id"] is not None:
        query = query.where(Case.service_user_id == args["service_user_id"])
    return paginate(query, Case.id, args)


def _allowed_steps(case: Case) -> list[dict[str, Any]]:
    """As the case page offers them."""
    return [
        {"action": step.action, "label": str(step.label), "needs_reason": step.needs_reason}
        for step in lifecycle.steps_from(case.status)
        if step.action != "start_follow_up" and can_take_step(current_user, case, step)
    ]


def _case_detail(case_id: int) -> _With:
    visible_case_or_404(case_id)
    case = db.session.scalars(
        select(Case)
        .where(Case.id == case_id)
        .options(*queries.case_page_options())
        .execution_options(populate_existing=True)
    ).one()
    return _With(
        case,
        person=case.service_user,
        steps=_allowed_steps(case),
        record=case_file_data(case),
    )


@blp.get("/cases/<int:case_id>")
@blp.response(200, schemas.CaseDetailSchema)
def case(case_id: int) -> _With:
    """One case with every record, and the steps the caller may take."""
    return _case_detail(case_id)


@blp.post("/cases/<int:case_id>/steps/<action>")
@blp.arguments(schemas.StepArgs, required=False)
@blp.response(200, schemas.CaseDetailSchema)
def take_step(args: dict[str, Any] | None, case_id: int, action: str) -> _With:
    """Take a lifecycle step (write tokens): the same state machine, the same approvals."""
    case = visible_case_or_404(case_id)
    step = lifecycle.STEPS.get(action)
    if step is None:
        raise ApiError(404, "unknown_step", _("没有这个流程步骤。"))
    require(can_take_step(current_user, case, step))
    try:
        reason = (args or {}).get("reason") or None
        services.take_step(case, action, actor=current_user, reason=reason)
    except services.CaseRuleError as error:
        raise ApiError(409, error.code or "rule", error.message) from None
    db.session.commit()
    return _case_detail(case_id)


# --- people ------------------------------------------------------------------------------


class PeopleArgs(PageArgs):
    name = ma.fields.String(load_default=None, validate=ma.validate.Length(min=1, max=50))


@blp.get("/people")
@blp.arguments(PeopleArgs, location="query")
@blp.response(200, page_schema(schemas.PersonSchema, "PersonPage"))
def people(args: dict[str, Any]) -> dict[str, Any]:
    """The service users the caller may open (numbers masked, as in the lists)."""
    require(can_list_people(current_user))
    query = people_visible_to(current_user).options(selectinload(ServiceUser.tags))
    if args["name"]:
        query = query.where(ServiceUser.name.contains(args["name"], autoescape=True))
    return paginate(query, ServiceUser.id, args)


@blp.get("/people/<int:person_id>")
@blp.response(200, schemas.PersonSchema)
def person(person_id: int) -> ServiceUser:
    found: ServiceUser = db.first_or_404(
        people_visible_to(current_user).where(ServiceUser.id == person_id)
    )
    return found


# --- help requests -----------------------------------------------------------------------


class HelpRequestArgs(PageArgs):
    status = ma.fields.Enum(RequestStatus, by_value=True, load_default=None)
    channel = ma.fields.Enum(Channel, by_value=True, load_default=None)


@blp.get("/help-requests")
@blp.arguments(HelpRequestArgs, location="query")
@blp.response(200, page_schema(schemas.HelpRequestSchema, "HelpRequestPage"))
def help_requests(args: dict[str, Any]) -> dict[str, Any]:
    """The help requests of the caller's units (求助), newest first."""
    require(bool(casework_unit_ids(current_user)))
    query = requests_visible_to(current_user).options(selectinload(HelpRequest.assigned_to))
    if args["status"] is not None:
        query = query.where(HelpRequest.status == args["status"])
    if args["channel"] is not None:
        query = query.where(HelpRequest.channel == args["channel"])
    return paginate(query, HelpRequest.id, args)


@blp.get("/help-requests/<int:request_id>")
@blp.response(200, schemas.HelpRequestSchema)
def help_request(request_id: int) -> HelpRequest:
    found: HelpRequest = db.first_or_404(
        requests_visible_to(current_user).where(HelpRequest.id == request_id)
    )
    return found


# --- groups ------------------------------------------------------------------------------


class GroupArgs(PageArgs):
    status = ma.fields.Enum(GroupStatus, by_value=True, load_default=None)


@blp.get("/groups")
@blp.arguments(GroupArgs, location="query")
@blp.response(200, page_schema(schemas.GroupSchema, "GroupPage"))
def groups(args: dict[str, Any]) -> dict[str, Any]:
    """The groups (小组) of the caller's units."""
    require(bool(casework_unit_ids(current_user)))
    query = groups_visible_to(current_user).options(selectinload(Group.facilitator))
    if args["status"] is not None:
        query = query.where(Group.status == args["status"])
    return paginate(query, Group.id, args)


@blp.get("/groups/<int:group_id>")
@blp.response(200, schemas.GroupDetailSchema)
def group(group_id: int) -> _With:
    """One group with its sessions and how many attended each."""
    found: Group = db.first_or_404(groups_visible_to(current_user).where(Group.id == group_id))
    sessions = db.session.scalars(
        select(GroupSession).where(GroupSession.group_id == found.id).order_by(GroupSession.number)
    ).all()
    present = dict(
        db.session.execute(
            select(Attendance.session_id, func.count())
            .join(GroupSession, GroupSession.id == Attendance.session_id)
            .where(
                GroupSession.group_id == found.id,
                Attendance.status == AttendanceStatus.PRESENT,
            )
            .group_by(Attendance.session_id)
        ).all()
    )
    members = db.session.scalar(
        select(func.count(GroupMember.id)).where(GroupMember.group_id == found.id)
    )
    return _With(
        found,
        members=int(members or 0),
        sessions=[_With(session, present=int(present.get(session.id, 0))) for session in sessions],
    )


# --- staff, activities, referrals received ----------------------------------------------


@blp.get("/staff")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(schemas.StaffSchema, "StaffPage"))
def staff(args: dict[str, Any]) -> dict[str, Any]:
    """The accounts the caller may list (账号): all for an administrator, the own unit for a
    station head."""
    require(can_manage_users(current_user))
    return paginate(users_visible_to(current_user), User.id, args)


class ActivityArgs(PageArgs):
    domain = ma.fields.Enum(ServiceDomain, by_value=True, load_default=None)


@blp.get("/activities")
@blp.arguments(ActivityArgs, location="query")
@blp.response(200, page_schema(schemas.ActivitySchema, "ActivityPage"))
def activities(args: dict[str, Any]) -> dict[str, Any]:
    """The community activities (社区活动) of the caller's units."""
    require(bool(casework_unit_ids(current_user)))
    query = activities_visible_to(current_user).options(selectinload(CommunityActivity.organiser))
    if args["domain"] is not None:
        query = query.where(CommunityActivity.domain == args["domain"])
    return paginate(query, CommunityActivity.id, args)


@blp.get("/referrals/inbound")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(schemas.InboundReferralSchema, "InboundReferralPage"))
def inbound_referrals(args: dict[str, Any]) -> dict[str, Any]:
    """Referrals to the caller's unit (转入的转介): what the sender shared, never the case."""
    require(can_receive_referrals(current_user))
    query = inbound_visible_to(current_user).options(selectinload(Referral.from_unit))
    return paginate(query, Referral.id, args)


# --- statistics --------------------------------------------------------------------------


class StatisticsArgs(ma.Schema):
    unit_id = ma.fields.Integer(load_default=None, validate=ID_RANGE)
    start = ma.fields.String(load_default="", metadata={"description": "YYYY-MM-DD"})
    end = ma.fields.String(load_default="", metadata={"description": "YYYY-MM-DD"})


class FigureSchema(ma.Schema):
    key = ma.fields.String(required=True)
    label = ma.fields.String(required=True)
    value = ma.fields.String(required=True)


class StatisticsSchema(ma.Schema):
    unit = ma.fields.Nested(schemas.UnitSchema, required=True)
    start = ma.fields.Date(required=True)
    end = ma.fields.Date(required=True)
    figures = ma.fields.List(ma.fields.Nested(FigureSchema), required=True)


@blp.get("/statistics")
@blp.arguments(StatisticsArgs, location="query")
@blp.response(200, StatisticsSchema)
def statistics(args: dict[str, Any]) -> dict[str, Any]:
    """The headline figures of the statistics page (统计), from the same queries."""
    units = report_units_for(current_user)
    require(can_view_statistics(current_user) and bool(units))
    unit_id = args["unit_id"] or current_user.unit_id
    unit = next((option for option in units if option.id == unit_id), None)
    if unit is None:
        raise ApiError(404, "not_found", _("没有这个单位，或无权查看其统计。"))
    today = local_today()
    try:
        period = periods.parse_period(args["start"], args["end"], today)
    except periods.PeriodError as error:
        raise ApiError(422, "invalid_period", error.message) from None
    report = monthly.report_data(
        unit,
        figure_unit_ids(units, unit),
        period,
        aggregate_only=is_aggregate_only(current_user),
        today=today,
    )
    return {
        "unit": unit,
        "start": period.start,
        "end": period.end,
        "figures": report["headline"],
    }
