"""Every change to groups: plan, members, sessions and attendance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework.accounts.models import User
from casework.accounts.permissions import casework_unit_ids, is_front_line
from casework.cases.enums import ServiceDomain
from casework.core import audit
from casework.core.clock import as_utc, local_today
from casework.core.models import utcnow
from casework.core.rules import RuleError
from casework.extensions import db
from casework.groups import lifecycle
from casework.groups.models import (
    Attendance,
    AttendanceStatus,
    Group,
    GroupMember,
    GroupSession,
    GroupStage,
    GroupStatus,
    GroupTransition,
    GroupType,
)
from casework.orgs.models import Unit
from casework.people.models import ServiceUser


class GroupRuleError(RuleError):
    """A group-work rule forbids the change."""


def _audit(action: str, obj: Any, actor: User, **details: Any) -> None:
    audit.record(action, obj, actor_id=actor.id, details=details or None)


# --- groups --------------------------------------------------------------------------------


@dataclass
class GroupPlan:
    """The group plan (小组计划书) and the group's particulars."""

    name: str
    group_type: GroupType
    domain: ServiceDomain
    purpose: str
    goals: str
    target_members: str
    rationale: str
    session_plan: str
    planned_sessions: int
    recruitment_from: date | None
    recruitment_until: date | None
    measure_name: str
    measure_max: int


def _require_staff_of(unit_id: int, users: list[User | None]) -> None:
    if not all(user is None or is_front_line(user, unit_id) for user in users):
        raise GroupRuleError(_l("带领者、协同带领者和观察员须为本单位的社工。"))


def _apply_plan(group: Group, plan: GroupPlan) -> None:
    if plan.planned_sessions < 1:
        raise GroupRuleError(_l("计划节数至少为 1。"))
    if (
        plan.recruitment_from
        and plan.recruitment_until
        and plan.recruitment_until < plan.recruitment_from
    ):
        raise GroupRuleError(_l("招募截止日期不能早于开始日期。"))
    group.name = plan.name.strip()
    group.group_type = plan.group_type
    group.domain = plan.domain
    group.purpose = plan.purpose.strip()
    group.goals = plan.goals.strip()
    group.target_members = plan.target_members.strip()
    group.rationale = plan.rationale.strip()
    group.session_plan = plan.session_plan.strip()
    group.planned_sessions = plan.planned_sessions
    group.recruitment_from = plan.recruitment_from
    group.recruitment_until = plan.recruitment_until
    group.measure_name = plan.measure_name.strip()
    group.measure_max = plan.measure_max


def create_group(
    *,
    actor: User,
    unit: Unit,
    plan: GroupPlan,
    facilitator: User,
    co_facilitators: list[User],
    observer: User | None,
    tutor: User | None,
) -> Group:
    """Start planning a group (筹备期) at ``unit``."""
    _require_staff_of(unit.id, [facilitator, observer, *co_facilitators])
    if tutor is not None and unit.id not in casework_unit_ids(tutor):
        raise GroupRuleError(_l("所选督导没有督导本单位。"))
    group = Group(
        unit_id=unit.id,
        facilitator=facilitator,
        co_facilitators=list(co_facilitators),
        observer=observer,
        tutor=tutor,
        status=GroupStatus.PLANNING,
        stage=GroupStage.PREPARATION,
    )
    _apply_plan(group, plan)
    db.session.add(group)
    db.session.flush()
    db.session.add(
        GroupTransition(
            group=group,
            action="create",
            from_status=None,
            to_status=GroupStatus.PLANNING,
            stage=GroupStage.PREPARATION,
            actor_id=actor.id,
        )
    )
    _audit("group.create", group, actor)
    return group


def update_plan(*, actor: User, group: Group, plan: GroupPlan) -> None:
    """The plan can be changed until the tutor approves it."""
    if group.status is not GroupStatus.PLANNING:
        raise GroupRuleError(_l("小组计划书只能在筹备阶段修改。"))
    _apply_plan(group, plan)
    _audit("group.plan_saved", group, actor)


def take_step(group: Group, action: str, *, actor: User, reason: str | None = None) -> None:
    """Move the group's status one step; the only place that changes ``Group.status``."""
    step = lifecycle.STEPS.get(action)
    if step is None:
        raise GroupRuleError(_l("未知的操作。"))
    if group.status not in step.sources:
        raise GroupRuleError(
            _l(
                "小组当前为“%(status)s”，不能执行“%(step)s”。",
                status=group.status.label,
                step=step.label,
            )
        )
    reason = (reason or "").strip() or None
    if step.needs_reason and not reason:
        raise GroupRuleError(_l("请填写原因或意见。"))
    if action == "submit_plan" and not (group.purpose and group.goals and group.session_plan):
        raise GroupRuleError(_l("请先完成小组计划书（目的、目标和各节安排）。"))
    if action == "request_closure":
        if not group.summary:
            raise GroupRuleError(_l("请先填写小组总结报告。"))
        if not any(session.is_recorded for session in group.sessions):
            raise GroupRuleError(_l("小组至少需要一节已记录的活动才能结束。"))
    source = group.status
    if action in ("approve_plan", "return_plan"):
        group.plan_decided_at = utcnow()
        group.plan_decided_by_id = actor.id
    if action == "approve_plan":
        group.stage = GroupStage.FORMATION
        group.started_on = local_today()
    if action == "approve_closure":
        group.closed_on = local_today()
        group.stage = GroupStage.ENDING
    group.status = step.target
    db.session.add(
        GroupTransition(
            group=group,
            action=action,
            from_status=source,
            to_status=step.target,
            stage=group.stage,
            actor_id=actor.id,
            reason=reason,
        )
    )
    db.session.flush()
    _audit("group.transition", group, actor, step=action, to=step.target.value)


def advance_stage(*, actor: User, group: Group) -> GroupStage:
    """The facilitator records that the group has moved on to its next stage."""
    if group.status is not GroupStatus.RUNNING:
        raise GroupRuleError(_l("只有进行中的小组可以进入下一阶段。"))
    following = lifecycle.next_stage(group.stage)
    if following is None:
        raise GroupRuleError(_l("小组已处于结束期。"))
    group.stage = following
    db.session.add(
        GroupTransition(
            group=group,
            action="advance_stage",
            from_status=group.status,
            to_status=group.status,
            stage=following,
            actor_id=actor.id,
        )
    )
    _audit("group.stage", group, actor, stage=following.value)
    return following


def save_summary(*, actor: User, group: Group, summary: str, outcomes: str) -> None:
    """The group summary report (小组总结报告), written before asking to close."""
    if group.status is not GroupStatus.RUNNING:
        raise GroupRuleError(_l("小组总结报告在小组进行中、申请结束前填写。"))
    group.summary = summary.strip()
    group.outcomes = outcomes.strip()
    _audit("group.summary_saved", group, actor)


# --- members -------------------------------------------------------------------------------


def add_member(
    *, actor: User, group: Group, person: ServiceUser, joined_on: date | None = None
) -> GroupMember:
    if person.unit_id != group.unit_id:
        raise GroupRuleError(_l("只能添加本单位的服务对象。"))
    if group.status is GroupStatus.CLOSED:
        raise GroupRuleError(_l("小组已结束，不能再添加组员。"))
    existing = db.session.scalar(
        select(GroupMember).where(
            GroupMember.group_id == group.id, GroupMember.service_user_id == person.id
        )
    )
    if existing is not None and existing.left_on is None:
        raise GroupRuleError(_l("%(name)s 已是本小组组员。", name=person.name))
    if existing is not None:  # rejoining: the membership record is reused
        existing.left_on = None
        existing.leave_reason = None
        existing.joined_on = joined_on or local_today()
        member = existing
    else:
        member = GroupMember(group=group, service_user=person, joined_on=joined_on or local_today())
        db.session.add(member)
    db.session.flush()
    _audit("group.member_added", group, actor, member_id=member.id)
    return member


def remove_member(*, actor: User, member: GroupMember, left_on: date, reason: str) -> None:
    if member.left_on is not None:
        raise GroupRuleError(_l("该组员已退出。"))
    if left_on < member.joined_on:
        raise GroupRuleError(_l("退出日期不能早于加入日期。"))
    member.left_on = left_on
    member.leave_reason = reason.strip() or None
    _audit("group.member_left", member.group, actor, member_id=member.id)


def set_scores(
    *, actor: User, group: Group, scores: dict[int, tuple[int | None, int | None]]
) -> None:
    """Pre- and post-measures per member, on the group's own scale (0 to measure_max)."""
    by_id = {member.id: member for member in group.members}
    for member_id, (pre, post) in scores.items():
        member = by_id.get(member_id)
        if member is None:
            raise GroupRuleError(_l("组员不属于本小组。"))
        for value in (pre, post):
            if value is not None and not 0 <= value <= group.measure_max:
                raise GroupRuleError(_l("分数须在 0 到 %(max)d 之间。", max=group.measure_max))
    # Checked first, applied after: a refused score leaves every member as it was.
    for member_id, (pre, post) in scores.items():
        by_id[member_id].pre_score = pre
        by_id[member_id].post_score = post
    _audit("group.scores_saved", group, actor)


# --- sessions and attendance ---------------------------------------------------------------


@dataclass
class SessionPlan:
    starts_at: datetime
    duration_minutes: int
    place: str
    topic: str
    planned_content: str


def schedule_session(*, actor: User, group: Group, plan: SessionPlan) -> GroupSession:
    if group.status is GroupStatus.CLOSED:
        raise GroupRuleError(_l("小组已结束，不能再安排节次。"))
    number = (
        db.session.scalar(
            select(func.coalesce(func.max(GroupSession.number), 0)).where(
                GroupSession.group_id == group.id
            )
        )
        or 0
    ) + 1
    session = GroupSession(group=group, number=number)
    _apply_session_plan(session, plan)
    db.session.add(session)
    db.session.flush()
    _audit("group.session_scheduled", group, actor, session_id=session.id)
    return session


def _apply_session_plan(session: GroupSession, plan: SessionPlan) -> None:
    if not 1 <= plan.duration_minutes <= 600:
        raise GroupRuleError(_l("时长须在 1 到 600 分钟之间。"))
    session.starts_at = as_utc(plan.starts_at)
    session.duration_minutes = plan.duration_minutes
    session.place = plan.place.strip()
    session.topic = plan.topic.strip()
    session.planned_content = plan.planned_content.strip()


def update_session(*, actor: User, session: GroupSession, plan: SessionPlan) -> None:
    _apply_session_plan(session, plan)
    _audit("group.session_updated", session.group, actor, session_id=session.id)


def _members_on(group: Group, day: date) -> list[GroupMember]:
    return [
        member
        for member in group.members
        if member.joined_on <= day and (member.left_on is None or member.left_on >= day)
    ]


def members_expected_at(session: GroupSession) -> list[GroupMember]:
    """The members enrolled on the session's day: they are the ones attendance is taken for."""
    from casework.core.clock import local_date

    return _members_on(session.group, local_date(session.starts_at))


def attendance_refusal(session: GroupSession) -> Any | None:
    """Why attendance cannot be taken for ``session`` now, or None when it can."""
    from casework.core.clock import local_date

    if session.group.status is not GroupStatus.RUNNING:
        return _l("只有进行中的小组可以点名。")
    if local_date(session.starts_at) > local_today():
        return _l("这一节还没有开始，不能点名。")
    return None


def take_attendance(
    *, actor: User, session: GroupSession, marks: dict[int, AttendanceStatus]
) -> None:
    """Record 出席/缺席/请假 for every member expected at the session."""
    refusal = attendance_refusal(session)
    if refusal is not None:
        raise GroupRuleError(refusal)
    expected = {member.id for member in members_expected_at(session)}
    if set(marks) != expected:
        raise GroupRuleError(_l("请为每位组员选择出席、缺席或请假。"))
    existing = {row.member_id: row for row in session.attendance}
    for member_id, status in marks.items():
        row = existing.get(member_id)
        if row is None:
            session.attendance.append(Attendance(member_id=member_id, status=status))
        else:
            row.status = status
    _audit("group.attendance_taken", session.group, actor, session_id=session.id)


@dataclass
class SessionRecord:
    process: str
    observations: str
    goal_progress: str


def record_session(*, actor: User, session: GroupSession, record: SessionRecord) -> None:
    """The session record (每节记录), written after the session by the facilitator."""
    if session.group.status is not GroupStatus.RUNNING:
        raise GroupRuleError(_l("只有进行中的小组可以填写每节记录。"))
    if session.starts_at.replace(tzinfo=session.starts_at.tzinfo or UTC) > utcnow():
        raise GroupRuleError(_l("这一节还没有开始，不能填写每节记录。"))
    if not record.process.strip():
        raise GroupRuleError(_l("请填写活动过程。"))
    session.process = record.process.strip()
    session.observations = record.observations.strip()
    session.goal_progress = record.goal_progress.strip()
    session.recorded_by_id = actor.id
    session.recorded_at = utcnow()
    _audit("group.session_recorded", session.group, actor, session_id=session.id)


def comment_on_session(*, actor: User, session: GroupSession, comment: str) -> None:
    """The tutor's comment (督导意见) on a session record."""
    if not comment.strip():
        raise GroupRuleError(_l("请填写督导意见。"))
    session.tutor_comment = comment.strip()
    session.tutor_comment_by_id = actor.id
    _audit("group.session_comment", session.group, actor, session_id=session.id)


@dataclass
class AttendanceRate:
    present: int
    expected: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.present / self.expected, 1) if self.expected else None


def _held_sessions(group: Group) -> list[GroupSession]:
    return [session for session in group.sessions if session.attendance]


def member_attendance(group: Group) -> dict[int, AttendanceRate]:
    """Per member: sessions attended out of the held sessions they were expected at."""
    rates = {member.id: AttendanceRate(0, 0) for member in group.members}
    for session in _held_sessions(group):
        for row in session.attendance:
            rate = rates.setdefault(row.member_id, AttendanceRate(0, 0))
            rate.expected += 1
            if row.status is AttendanceStatus.PRESENT:
                rate.present += 1
    return rates


def session_attendance(group: Group) -> dict[int, AttendanceRate]:
    """Per held session: members present out of members expected."""
    return {
        session.id: AttendanceRate(
            present=sum(1 for row in session.attendance if row.status is AttendanceStatus.PRESENT),
            expected=len(session.attendance),
        )
        for session in _held_sessions(group)
    }


# --- volunteers and community activities ---------------------------------------------------


# --- calendar feeds ------------------------------------------------------------------------
