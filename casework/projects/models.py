"""Agencies, the service projects a bureau buys from them, and their evaluations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import TimestampMixin, utcnow
from casework.extensions import Base
from casework.orgs.models import Unit


class QualificationLevel(LabelledEnum):
    NONE = "none", _l("未评级")
    A1 = "1a", _l("1A级")
    A2 = "2a", _l("2A级")
    A3 = "3a", _l("3A级")
    A4 = "4a", _l("4A级")
    A5 = "5a", _l("5A级")


class FundSource(LabelledEnum):
    FISCAL = "fiscal", _l("财政")
    DONATION = "donation", _l("社会捐助")
    SELF_RAISED = "self_raised", _l("自筹")
    PAID_SERVICE = "paid_service", _l("有偿服务")


class DeliverableKind(LabelledEnum):
    CASES_OPENED = "cases_opened", _l("新开个案（个）")
    CASES_CLOSED = "cases_closed", _l("结案个案（个）")
    SERVICE_HOURS = "service_hours", _l("服务时长（小时）")
    GROUPS = "groups", _l("开展小组（个）")
    GROUP_SESSIONS = "group_sessions", _l("小组活动节次")
    ACTIVITIES = "activities", _l("社区活动（场）")
    ACTIVITY_PARTICIPANTS = "activity_participants", _l("社区活动参与人次")
    VOLUNTEER_HOURS = "volunteer_hours", _l("志愿服务时长（小时）")
    RESPONSE_HOURS = "response_hours", _l("求助响应时间中位数（小时，不超过）")

    @property
    def is_count(self) -> bool:
        """Counts of people's records: hidden from aggregate-only readers when small."""
        return self not in HOUR_KINDS

    @property
    def is_limit(self) -> bool:
        """The target is a ceiling (response time), not an amount to reach."""
        return self is DeliverableKind.RESPONSE_HOURS


HOUR_KINDS = frozenset(
    {
        DeliverableKind.SERVICE_HOURS,
        DeliverableKind.VOLUNTEER_HOURS,
        DeliverableKind.RESPONSE_HOURS,
    }
)


class MilestoneKind(LabelledEnum):
    MID_TERM = "mid_term", _l("中期评估")
    FINAL = "final", _l("末期评估")


class Agency(TimestampMixin, Base):
    """民办社会工作服务机构: the registration details of an agency unit of the tree."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), unique=True)
    # 统一社会信用代码 (GB 32100-2015), checked by credit_code.is_valid.
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    registration_authority: Mapped[str] = mapped_column(String(100))
    legal_representative: Mapped[str] = mapped_column(String(50))
    founded_on: Mapped[date] = mapped_column(Date)
    qualification: Mapped[QualificationLevel] = mapped_column(
        enum_type(QualificationLevel), default=QualificationLevel.NONE
    )

    unit: Mapped[Unit] = relationship()
    projects: Mapped[list[Project]] = relationship(
        back_populates="agency", order_by="Project.starts_on.desc()"
    )

    @property
    def name(self) -> str:
        return self.unit.name

    def __repr__(self) -> str:
        return f"<Agency {self.id} unit={self.unit_id}>"


project_units = Table(
    "project_units",
    Base.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class Project(TimestampMixin, Base):
    """服务项目: a contract between a purchasing bureau and an agency for covered units."""

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="period_ordered"),
        CheckConstraint("budget_fen >= 0", name="budget_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    purchaser_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    contract_number: Mapped[str] = mapped_column(String(50), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # Money is kept in fen (分), never as a float.
    budget_fen: Mapped[int] = mapped_column(BigInteger)

    purchaser: Mapped[Unit] = relationship()
    agency: Mapped[Agency] = relationship(back_populates="projects")
    units: Mapped[list[Unit]] = relationship(secondary=project_units, order_by="Unit.path")
    funds: Mapped[list[ProjectFund]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectFund.id"
    )
    deliverables: Mapped[list[Deliverable]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Deliverable.id"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Milestone.held_on"
    )
    # The documents not archived; archiving keeps the file for the record.
    documents: Mapped[list[ProjectDocument]] = relationship(
        order_by="ProjectDocument.id",
        primaryjoin="and_(ProjectDocument.project_id == Project.id, "
        "ProjectDocument.is_archived.is_(False))",
        viewonly=True,
    )
    evaluations: Mapped[list[ProjectEvaluation]] = relationship(
        back_populates="project", order_by="ProjectEvaluation.evaluated_on.desc()"
    )

    @property
    def funds_received_fen(self) -> int:
        return sum(fund.amount_fen for fund in self.funds)

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.contract_number}>"


class ProjectFund(Base):
    """Money received for a project from one source."""

    __tablename__ = "project_funds"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    source: Mapped[FundSource] = mapped_column(enum_type(FundSource))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    received_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")

    project: Mapped[Project] = relationship(back_populates="funds")

    def __repr__(self) -> str:
        return f"<ProjectFund {self.id} {self.source.value} {self.amount_fen}>"


class Deliverable(Base):
    """A contracted target; its progress is counted live from the covered units' records."""

    __tablename__ = "project_deliverables"
    __table_args__ = (
        UniqueConstraint("project_id", "kind", name="uq_project_deliverables_project_kind"),
        CheckConstraint("target > 0", name="target_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    kind: Mapped[DeliverableKind] = mapped_column(enum_type(DeliverableKind))
    target: Mapped[Decimal] = mapped_column(Numeric(12, 1))

    project: Mapped[Project] = relationship(back_populates="deliverables")

    def __repr__(self) -> str:
        return f"<Deliverable {self.project_id} {self.kind.value} {self.target}>"


class Milestone(Base):
    """A mid-term or final evaluation meeting of a project, with its findings."""

    __tablename__ = "project_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[MilestoneKind] = mapped_column(enum_type(MilestoneKind))
    held_on: Mapped[date] = mapped_column(Date)
    findings: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))

    project: Mapped[Project] = relationship(back_populates="milestones")

    def __repr__(self) -> str:
        return f"<Milestone {self.project_id} {self.kind.value} {self.held_on}>"


class ProjectDocument(Base):
    """A document of a project (contract, plan, evaluation papers), checked by content and
    stored under a random name in the upload folder, like an attachment."""

    __tablename__ = "project_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    description: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    is_archived: Mapped[bool] = mapped_column(default=False)

    project: Mapped[Project] = relationship()

    def __repr__(self) -> str:
        return f"<ProjectDocument {self.id} project={self.project_id}>"


class EvaluationIndicator(Base):
    """One indicator of a bureau's evaluation scheme; the active ones' weights sum to 100."""

    __tablename__ = "evaluation_indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    weight: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    # A replaced scheme is kept for the evaluations that used it.
    is_active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<EvaluationIndicator {self.id} {self.weight}>"


class ProjectEvaluation(TimestampMixin, Base):
    """An evaluation of a project (and so of its agency): scores per indicator and a report."""

    __tablename__ = "project_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    evaluator: Mapped[str] = mapped_column(String(100))
    evaluated_on: Mapped[date] = mapped_column(Date)
    report: Mapped[str] = mapped_column(Text, default="")
    # Sum of score × weight / 100, kept as computed when saved.
    total: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    project: Mapped[Project] = relationship(back_populates="evaluations")
    scores: Mapped[list[ProjectEvaluationScore]] = relationship(
        back_populates="evaluation",
        cascade="all, delete-orphan",
        order_by="ProjectEvaluationScore.id",
    )

    def __repr__(self) -> str:
        return f"<ProjectEvaluation {self.id} project={self.project_id} {self.total}>"


class ProjectEvaluationScore(Base):
    """The score of one indicator, with the indicator's name and weight as they were."""

    __tablename__ = "project_evaluation_scores"
    __table_args__ = (CheckConstraint("score >= 0 AND score <= 100", name="score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("project_evaluations.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("evaluation_indicators.id"))
    name: Mapped[str] = mapped_column(String(50))
    weight: Mapped[int]
    score: Mapped[Decimal] = mapped_column(Numeric(5, 1))

    evaluation: Mapped[ProjectEvaluation] = relationship(back_populates="scores")

    def __repr__(self) -> str:
        return f"<ProjectEvaluationScore {self.evaluation_id} {self.name} {self.score}>"
