"""Groups with their plan, members, sessions and attendance."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.accounts.models import User
from casework.cases.enums import ServiceDomain
from casework.core.disclosure import personal_data
from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import TimestampMixin, utcnow
from casework.extensions import Base
from casework.orgs.models import Unit
from casework.people.models import ServiceUser


class GroupType(LabelledEnum):
    # The five standing working groups the plan asks every unit to have.
    MEDIATION = "mediation", _l("矛盾纠纷调解小组")
    CULTURE_SPORTS = "culture_sports", _l("文体活动指导小组")
    HARDSHIP_RELIEF = "hardship_relief", _l("帮困解难救助小组")
    ENVIRONMENT = "environment", _l("环境卫生服务小组")
    HEALTH_COUNSELLING = "health_counselling", _l("健康心理辅导小组")
    # Group-work types of the casework literature.
    THERAPEUTIC = "therapeutic", _l("治疗小组")
    SUPPORT = "support", _l("支持小组")
    EDUCATION = "education", _l("教育小组")
    RECREATION = "recreation", _l("娱乐小组")
    MUTUAL_AID = "mutual_aid", _l("互助小组")


class GroupStatus(LabelledEnum):
    PLANNING = "planning", _l("筹备中")
    PLAN_PENDING_APPROVAL = "plan_pending_approval", _l("计划待审核")
    RUNNING = "running", _l("进行中")
    CLOSURE_PENDING_APPROVAL = "closure_pending_approval", _l("结束待审核")
    CLOSED = "closed", _l("已结束")


class GroupStage(LabelledEnum):
    """The stages of MZ/T 095-2017."""

    PREPARATION = "preparation", _l("筹备期")
    FORMATION = "formation", _l("形成期")
    TRANSITION = "transition", _l("转折期")
    MATURITY = "maturity", _l("成熟期")
    ENDING = "ending", _l("结束期")


class AttendanceStatus(LabelledEnum):
    PRESENT = "present", _l("出席")
    ABSENT = "absent", _l("缺席")
    EXCUSED = "excused", _l("请假")


group_co_facilitators = Table(
    "group_co_facilitators",
    Base.metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Group(TimestampMixin, Base):
    __tablename__ = "groups"
    __table_args__ = (
        Index("ix_groups_unit_status", "unit_id", "status"),
        # The list's order and its stage and type filters.
        Index("ix_groups_unit_created", "unit_id", "created_at"),
        Index("ix_groups_unit_stage", "unit_id", "stage"),
        Index("ix_groups_unit_type", "unit_id", "group_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    name: Mapped[str] = mapped_column(String(100))
    group_type: Mapped[GroupType] = mapped_column(enum_type(GroupType))
    domain: Mapped[ServiceDomain] = mapped_column(enum_type(ServiceDomain))
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    observer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    tutor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[GroupStatus] = mapped_column(
        enum_type(GroupStatus), default=GroupStatus.PLANNING
    )
    stage: Mapped[GroupStage] = mapped_column(enum_type(GroupStage), default=GroupStage.PREPARATION)
    # 小组计划书
    purpose: Mapped[str] = mapped_column(Text)
    goals: Mapped[str] = mapped_column(Text)
    target_members: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text, default="")
    session_plan: Mapped[str] = mapped_column(Text, default="")
    planned_sessions: Mapped[int]
    recruitment_from: Mapped[date | None] = mapped_column(Date)
    recruitment_until: Mapped[date | None] = mapped_column(Date)
    # The simple before/after measure the worker defines for this group (e.g. 孤独感量表).
    measure_name: Mapped[str] = mapped_column(String(100), default="")
    measure_max: Mapped[int] = mapped_column(default=10)
    plan_decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    plan_decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # 小组总结报告
    summary: Mapped[str] = mapped_column(Text, default="")
    outcomes: Mapped[str] = mapped_column(Text, default="")
    started_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)

    unit: Mapped[Unit] = relationship()
    facilitator: Mapped[User] = relationship(foreign_keys=[facilitator_id])
    observer: Mapped[User | None] = relationship(foreign_keys=[observer_id])
    tutor: Mapped[User | None] = relationship(foreign_keys=[tutor_id])
    co_facilitators: Mapped[list[User]] = relationship(
        secondary=group_co_facilitators, order_by="User.display_name"
    )
    members: Mapped[list[GroupMember]] = relationship(
        back_populates="group", order_by="GroupMember.id"
    )
    sessions: Mapped[list[GroupSession]] = relationship(
        back_populates="group", order_by="GroupSession.number"
    )
    transitions: Mapped[list[GroupTransition]] = relationship(
        back_populates="group", order_by="GroupTransition.id"
    )

    @property
    def current_members(self) -> list[GroupMember]:
        return [member for member in self.members if member.left_on is None]

    def __repr__(self) -> str:
        return f"<Group {self.id} {self.status.value}>"


class GroupTransition(Base):
    """A step of the group's status or stage: who, when, from, to, why."""

    __tablename__ = "group_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[GroupStatus | None] = mapped_column(enum_type(GroupStatus))
    to_status: Mapped[GroupStatus] = mapped_column(enum_type(GroupStatus))
    stage: Mapped[GroupStage] = mapped_column(enum_type(GroupStage))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)

    group: Mapped[Group] = relationship(back_populates="transitions")
    actor: Mapped[User] = relationship()


class GroupMember(TimestampMixin, Base):
    __tablename__ = "group_members"
    __table_args__ = (
        UniqueConstraint("group_id", "service_user_id", name="uq_group_members_group_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    service_user_id: Mapped[int] = mapped_column(ForeignKey("service_users.id"), index=True)
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    leave_reason: Mapped[str | None] = mapped_column(String(200))
    pre_score: Mapped[int | None]
    post_score: Mapped[int | None]

    group: Mapped[Group] = relationship(back_populates="members")
    # Every page that lists members shows their names: load them with the members.
    service_user: Mapped[ServiceUser] = relationship(lazy="selectin")


class GroupSession(TimestampMixin, Base):
    """节次: planned content, then the session record (每节记录) and attendance."""

    __tablename__ = "group_sessions"
    __table_args__ = (
        UniqueConstraint("group_id", "number", name="uq_group_sessions_group_number"),
        Index("ix_group_sessions_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    number: Mapped[int]
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    duration_minutes: Mapped[int] = mapped_column(default=90)
    place: Mapped[str] = mapped_column(String(100))
    topic: Mapped[str] = mapped_column(String(200))
    planned_content: Mapped[str] = mapped_column(Text, default="")
    # The session record, written after the session.
    process: Mapped[str] = mapped_column(Text, default="")
    observations: Mapped[str] = mapped_column(Text, default="")
    goal_progress: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    tutor_comment: Mapped[str] = mapped_column(Text, default="")
    tutor_comment_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    group: Mapped[Group] = relationship(back_populates="sessions")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    tutor_comment_by: Mapped[User | None] = relationship(foreign_keys=[tutor_comment_by_id])
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "member_id", name="uq_attendance_session_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(
        ForeignKey("group_members.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[AttendanceStatus] = mapped_column(enum_type(AttendanceStatus))

    session: Mapped[GroupSession] = relationship(back_populates="attendance")
    member: Mapped[GroupMember] = relationship(lazy="selectin")


personal_data(Group)
