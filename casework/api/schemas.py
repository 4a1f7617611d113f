"""What the API answers, as marshmallow schemas (the OpenAPI document is generated from
them). Stored values are the enums' codes; ``*_label`` fields carry the label in the
caller's language (``Accept-Language``), as the pages show it. Residents' ID and phone
numbers appear masked only, as in the pages' lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import marshmallow as ma

from casework.cases.enums import CaseSource, CaseStatus, RiskLevel, ServiceDomain
from casework.core.models import as_utc
from casework.groups.models import GroupStatus, GroupType
from casework.helpdesk.models import Channel, RequestCategory, RequestStatus


def _enum(enum: Any, description: str = "") -> ma.fields.Enum[Any]:
    return ma.fields.Enum(enum, by_value=True, required=True, metadata={"description": description})


def _label(attribute: str) -> ma.fields.Function:
    """The label of the enum at ``attribute`` (dotted), in the caller's language."""

    def read(obj: Any) -> str | None:
        value = obj
        for part in attribute.split("."):
            value = getattr(value, part, None)
            if value is None:
                return None
        return str(value.label)

    return ma.fields.Function(read, allow_none=True, required=True)


class UtcDateTime(ma.fields.DateTime):
    """ISO 8601 with its offset: SQLite hands back naive UTC datetimes."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, datetime):
            value = as_utc(value)
        return super()._serialize(value, attr, obj, **kwargs)


class UserRefSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    display_name = ma.fields.String(required=True)


class UnitSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.Function(lambda unit: unit.kind.value, required=True)
    kind_label = _label("kind")
    parent_id = ma.fields.Integer(required=True, allow_none=True)
    is_active = ma.fields.Boolean(required=True)


class MeSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    username = ma.fields.String(required=True)
    display_name = ma.fields.String(required=True)
    role = ma.fields.Function(lambda user: user.role.value, required=True)
    role_label = _label("role")
    unit = ma.fields.Nested(UnitSchema, required=True)
    token_scope = ma.fields.String(required=True)


class PersonSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    gender = ma.fields.Function(
        lambda person: person.gender.value if person.gender else None,
        required=True,
        allow_none=True,
    )
    birth_date = ma.fields.Date(required=True, allow_none=True)
    masked_id_number = ma.fields.String(required=True)
    masked_phone = ma.fields.String(required=True)
    unit_id = ma.fields.Integer(required=True)
    tags = ma.fields.Function(lambda person: [tag.name for tag in person.tags], required=True)


class CaseSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    number = ma.fields.String(required=True)
    unit_id = ma.fields.Integer(required=True)
    service_user_id = ma.fields.Integer(required=True)
    status = _enum(CaseStatus, "接案 → 预估 → 计划 → 介入 → 评估 → 结案 → 回访")
    status_label = _label("status")
    domain = _enum(ServiceDomain)
    source = _enum(CaseSource)
    risk_level = _enum(RiskLevel)
    summary = ma.fields.String(required=True)
    worker = ma.fields.Nested(UserRefSchema, required=True)
    tutor = ma.fields.Nested(UserRefSchema, required=True, allow_none=True)
    opened_on = ma.fields.Date(required=True)
    closed_on = ma.fields.Date(required=True, allow_none=True)
    last_service_on = ma.fields.Date(required=True, allow_none=True)
    plan_review_due = ma.fields.Date(required=True, allow_none=True)
    follow_up_due = ma.fields.Date(required=True, allow_none=True)


class StepSchema(ma.Schema):
    action = ma.fields.String(required=True)
    label = ma.fields.String(required=True)
    needs_reason = ma.fields.Boolean(required=True)


def _text() -> ma.fields.String:
    return ma.fields.String(required=True, allow_none=True)


def _day() -> ma.fields.Date:
    return ma.fields.Date(required=True, allow_none=True)


def _moment() -> UtcDateTime:
    return UtcDateTime(required=True, allow_none=True)


class CommentSchema(ma.Schema):
    """A tutor's comment (督导意见) on a record or on the case."""

    author = _text()
    at = _moment()
    body = _text()


def _comments() -> ma.fields.List[Any]:
    return ma.fields.List(ma.fields.Nested(CommentSchema), required=True)


class IntakeSchema(ma.Schema):
    presenting_problem = _text()
    arrival = _text()
    first_judgement = _text()
    agreement_signed = ma.fields.Boolean(required=True)
    agreement_signed_on = _day()
    author = _text()
    updated_at = _moment()
    comments = _comments()


class AreaSchema(ma.Schema):
    area = _text()
    level = _text()
    note = _text()


class AssessmentSchema(ma.Schema):
    areas = ma.fields.List(ma.fields.Nested(AreaSchema), required=True)
    needs = _text()
    strengths = _text()
    risks = _text()
    summary = _text()
    author = _text()
    updated_at = _moment()
    comments = _comments()


class GoalSchema(ma.Schema):
    position = ma.fields.Integer(required=True)
    description = _text()
    indicator = _text()
    actions = _text()
    responsible = _text()
    due_on = _day()


class PlanRecordSchema(ma.Schema):
    version = ma.fields.Integer(required=True)
    status = _text()
    overall_goal = _text()
    review_due = _day()
    author = _text()
    submitted_at = _moment()
    decided_at = _moment()
    decided_by = _text()
    goals = ma.fields.List(ma.fields.Nested(GoalSchema), required=True)
    comments = _comments()


class ServiceRecordSchema(ma.Schema):
    served_on = _day()
    form = _text()
    duration_minutes = ma.fields.Integer(required=True, allow_none=True)
    content = _text()
    response = _text()
    next_step = _text()
    goals = ma.fields.List(ma.fields.String(), required=True)
    author = _text()
    comments = _comments()


class ReferralRecordSchema(ma.Schema):
    referred_on = _day()
    destination = _text()
    reason = _text()
    outcome = _text()
    outcome_note = _text()
    outcome_on = _day()
    author = _text()
    comments = _comments()


class GoalResultSchema(ma.Schema):
    plan_version = ma.fields.Integer(required=True)
    position = ma.fields.Integer(required=True)
    goal = _text()
    indicator = _text()
    attainment = _text()
    note = _text()


class EvaluationSchema(ma.Schema):
    client_view = _text()
    satisfaction = ma.fields.Integer(required=True, allow_none=True)
    summary = _text()
    goal_results = ma.fields.List(ma.fields.Nested(GoalResultSchema), required=True)
    author = _text()
    updated_at = _moment()
    comments = _comments()


class ClosureSchema(ma.Schema):
    closure_type = _text()
    summary = _text()
    follow_up_plan = _text()
    follow_up_due = _day()
    author = _text()
    updated_at = _moment()
    comments = _comments()


class FollowUpSchema(ma.Schema):
    followed_on = _day()
    form = _text()
    content = _text()
    next_due = _day()
    author = _text()
    comments = _comments()


class TransitionSchema(ma.Schema):
    at = _moment()
    actor = _text()
    action = _text()
    from_status = _text()
    to_status = _text()
    reason = _text()


class CaseFileSchema(ma.Schema):
    """Every record of the case, as the case file (PDF) holds it; labels in the caller's
    language."""

    intake = ma.fields.Nested(IntakeSchema, required=True, allow_none=True)
    assessment = ma.fields.Nested(AssessmentSchema, required=True, allow_none=True)
    plans = ma.fields.List(ma.fields.Nested(PlanRecordSchema), required=True)
    service_records = ma.fields.List(ma.fields.Nested(ServiceRecordSchema), required=True)
    referrals = ma.fields.List(ma.fields.Nested(ReferralRecordSchema), required=True)
    evaluation = ma.fields.Nested(EvaluationSchema, required=True, allow_none=True)
    closure = ma.fields.Nested(ClosureSchema, required=True, allow_none=True)
    follow_ups = ma.fields.List(ma.fields.Nested(FollowUpSchema), required=True)
    transitions = ma.fields.List(ma.fields.Nested(TransitionSchema), required=True)
    case_comments = _comments()


class CaseDetailSchema(CaseSchema):
    person = ma.fields.Nested(PersonSchema, required=True)
    steps = ma.fields.List(
        ma.fields.Nested(StepSchema),
        required=True,
        metadata={"description": "The lifecycle steps the caller may take now"},
    )
    record = ma.fields.Nested(
        CaseFileSchema,
        required=True,
        metadata={
            "description": "Every record of the case (接案登记、预估、服务计划、服务记录、"
            "转介、评估、结案、回访、流程、督导意见) as the case file (PDF) holds it"
        },
    )


class StepArgs(ma.Schema):
    reason = ma.fields.String(
        load_default="",
        validate=ma.validate.Length(max=2000),
        metadata={"description": "Required where the step needs one (a tutor returning a plan …)"},
    )


class HelpRequestSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    tracking_code = ma.fields.String(required=True)
    unit_id = ma.fields.Integer(required=True)
    channel = _enum(Channel)
    category = _enum(RequestCategory)
    status = _enum(RequestStatus)
    status_label = _label("status")
    description = ma.fields.String(required=True)
    name = ma.fields.String(required=True, allow_none=True)
    masked_phone = ma.fields.String(required=True)
    submitted_at = UtcDateTime(required=True)
    answered_at = UtcDateTime(required=True, allow_none=True)
    assigned_to = ma.fields.Nested(UserRefSchema, required=True, allow_none=True)
    case_id = ma.fields.Integer(required=True, allow_none=True)


class GroupSessionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    number = ma.fields.Integer(required=True)
    starts_at = UtcDateTime(required=True)
    duration_minutes = ma.fields.Integer(required=True)
    place = ma.fields.String(required=True)
    topic = ma.fields.String(required=True)
    present = ma.fields.Integer(required=True, metadata={"description": "Members who attended"})


class GroupSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    unit_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    group_type = _enum(GroupType)
    domain = _enum(ServiceDomain)
    status = _enum(GroupStatus)
    status_label = _label("status")
    facilitator = ma.fields.Nested(UserRefSchema, required=True)
    planned_sessions = ma.fields.Integer(required=True)
    started_on = ma.fields.Date(required=True, allow_none=True)
    closed_on = ma.fields.Date(required=True, allow_none=True)


class GroupDetailSchema(GroupSchema):
    purpose = ma.fields.String(required=True)
    goals = ma.fields.String(required=True)
    members = ma.fields.Integer(required=True)
    sessions = ma.fields.List(ma.fields.Nested(GroupSessionSchema), required=True)


class StaffSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    username = ma.fields.String(required=True)
    display_name = ma.fields.String(required=True)
    role = ma.fields.Function(lambda user: user.role.value, required=True)
    role_label = _label("role")
    unit_id = ma.fields.Integer(required=True)
    is_active = ma.fields.Boolean(required=True)


class ActivitySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    unit_id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    held_on = ma.fields.Date(required=True)
    place = ma.fields.String(required=True)
    domain = _enum(ServiceDomain)
    activity_type = ma.fields.Function(lambda activity: activity.activity_type.value, required=True)
    organiser = ma.fields.Nested(UserRefSchema, required=True)
    participant_count = ma.fields.Integer(required=True)


class InboundReferralSchema(ma.Schema):
    """A referral to the caller's unit: what the sender chose to share, never the case."""

    id = ma.fields.Integer(required=True)
    from_unit = ma.fields.Function(
        lambda referral: referral.from_unit.name if referral.from_unit else None,
        required=True,
        allow_none=True,
    )
    referred_on = ma.fields.Date(required=True)
    due_on = ma.fields.Date(required=True, allow_none=True)
    reason = ma.fields.String(required=True)
    shared_information = ma.fields.String(required=True, allow_none=True)
    consent_basis = ma.fields.Function(
        lambda referral: referral.consent_basis.value if referral.consent_basis else None,
        required=True,
        allow_none=True,
    )
    outcome = ma.fields.Function(lambda referral: referral.outcome.value, required=True)
    outcome_label = _label("outcome")
