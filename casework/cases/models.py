"""Cases and the records of each stage of the casework process."""

from __future__ import annotations

from datetime import date, datetime

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
from casework.cases.enums import (
    AssessmentArea,
    Attainment,
    CaseSource,
    CaseStatus,
    ClosureType,
    NeedLevel,
    PlanStatus,
    ProblemCategory,
    ReferralOutcome,
    RiskLevel,
    ServiceDomain,
    ServiceForm,
    TransferStatus,
)
from casework.core.disclosure import personal_data
from casework.core.enums import enum_type
from casework.core.models import TimestampMixin, utcnow
from casework.extensions import Base
from casework.orgs.models import Unit
from casework.people.models import ConsentBasis, ServiceUser

COMMUNITY_DOMAINS = (
    ServiceDomain.SOCIAL_AID,
    ServiceDomain.COMMUNITY_HEALTH,
    ServiceDomain.COMMUNITY_CORRECTION,
    ServiceDomain.COMMUNITY_EDUCATION,
    ServiceDomain.COMMUNITY_SERVICE,
)


# Cases in these states are no longer being worked on.
INACTIVE_STATUSES = (CaseStatus.DECLINED, CaseStatus.CLOSED)


class CaseProblem(Base):
    __tablename__ = "case_problems"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[ProblemCategory] = mapped_column(enum_type(ProblemCategory), primary_key=True)


class CaseNumberCounter(Base):
    """The last case sequence used per unit and year; its row lock serialises numbering."""

    __tablename__ = "case_number_counters"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_sequence: Mapped[int] = mapped_column(default=0)


class Case(TimestampMixin, Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("unit_id", "year", "sequence", name="uq_cases_unit_year_sequence"),
        Index("ix_cases_unit_status", "unit_id", "status"),
        Index("ix_cases_worker_status", "worker_id", "status"),
        # Statistics count cases opened and closed per unit and period.
        Index("ix_cases_unit_opened_on", "unit_id", "opened_on"),
        Index("ix_cases_unit_closed_on", "unit_id", "closed_on"),
        # The caseload's filters and sorts (domain, risk, last service, a worker's cases).
        Index("ix_cases_unit_domain_opened_on", "unit_id", "domain", "opened_on"),
        Index("ix_cases_unit_risk_opened_on", "unit_id", "risk_level", "opened_on"),
        Index("ix_cases_unit_last_service_on", "unit_id", "last_service_on"),
        # Covers "the people of the unit's cases" (people_visible_to).
        Index("ix_cases_unit_person", "unit_id", "service_user_id"),
        Index("ix_cases_worker_opened_on", "worker_id", "opened_on"),
        # Statistics' "open at the end of the period" count, answered from the index alone.
        Index("ix_cases_unit_opened_status_closed", "unit_id", "opened_on", "status", "closed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(48), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int]
    sequence: Mapped[int]
    service_user_id: Mapped[int] = mapped_column(ForeignKey("service_users.id"), index=True)
    domain: Mapped[ServiceDomain] = mapped_column(enum_type(ServiceDomain))
    source: Mapped[CaseSource] = mapped_column(enum_type(CaseSource))
    risk_level: Mapped[RiskLevel] = mapped_column(enum_type(RiskLevel))
    status: Mapped[CaseStatus] = mapped_column(enum_type(CaseStatus), default=CaseStatus.INTAKE)
    summary: Mapped[str] = mapped_column(String(200))
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    tutor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    # Kept by the services for the reminders: the approved plan's review date, and the
    # next follow-up date after closure.
    plan_review_due: Mapped[date | None] = mapped_column(Date, index=True)
    follow_up_due: Mapped[date | None] = mapped_column(Date, index=True)
    last_service_on: Mapped[date | None] = mapped_column(Date)

    unit: Mapped[Unit] = relationship()
    service_user: Mapped[ServiceUser] = relationship()
    problem_links: Mapped[list[CaseProblem]] = relationship(cascade="all, delete-orphan")
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    tutor: Mapped[User | None] = relationship(foreign_keys=[tutor_id])
    transitions: Mapped[list[CaseTransition]] = relationship(
        back_populates="case", order_by="CaseTransition.id"
    )
    intake: Mapped[IntakeRecord | None] = relationship(back_populates="case")
    assessment: Mapped[Assessment | None] = relationship(back_populates="case")
    plans: Mapped[list[ServicePlan]] = relationship(
        back_populates="case", order_by="ServicePlan.version"
    )
    service_records: Mapped[list[ServiceRecord]] = relationship(
        back_populates="case", order_by="(ServiceRecord.served_on, ServiceRecord.id)"
    )
    referrals: Mapped[list[Referral]] = relationship(back_populates="case", order_by="Referral.id")
    # A reopened case is evaluated and closed again: earlier reports stay, superseded.
    evaluations: Mapped[list[Evaluation]] = relationship(
        back_populates="case", order_by="Evaluation.id"
    )
    closure_reports: Mapped[list[ClosureReport]] = relationship(
        back_populates="case", order_by="ClosureReport.id"
    )
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="case", order_by="(FollowUp.followed_on, FollowUp.id)"
    )

    @property
    def problems(self) -> list[ProblemCategory]:
        order = list(ProblemCategory)
        return sorted((link.category for link in self.problem_links), key=order.index)

    @property
    def current_plan(self) -> ServicePlan | None:
        live = [plan for plan in self.plans if plan.status is not PlanStatus.SUPERSEDED]
        return live[-1] if live else None

    @property
    def approved_plan(self) -> ServicePlan | None:
        approved = [plan for plan in self.plans if plan.status is PlanStatus.APPROVED]
        return approved[-1] if approved else None

    @property
    def evaluation(self) -> Evaluation | None:
        """The evaluation of the current round of service."""
        current = [e for e in self.evaluations if not e.is_superseded]
        return current[-1] if current else None

    @property
    def closure(self) -> ClosureReport | None:
        """The closure report of the current round of service."""
        current = [r for r in self.closure_reports if not r.is_superseded]
        return current[-1] if current else None

    @property
    def is_active(self) -> bool:
        return self.status not in INACTIVE_STATUSES

    def __repr__(self) -> str:
        return f"<Case {self.number} {self.status.value}>"


class CaseTransition(Base):
    """One step of the lifecycle: who moved the case from where to where, when and why."""

    __tablename__ = "case_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[CaseStatus | None] = mapped_column(enum_type(CaseStatus))
    to_status: Mapped[CaseStatus] = mapped_column(enum_type(CaseStatus))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="transitions")
    actor: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<CaseTransition {self.action} case={self.case_id}>"


class _CaseRecord(TimestampMixin):
    """Columns every stage record has: its case and who last wrote it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class IntakeRecord(_CaseRecord, Base):
    __tablename__ = "intake_records"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    presenting_problem: Mapped[str] = mapped_column(Text)
    arrival: Mapped[str] = mapped_column(Text)
    first_judgement: Mapped[str] = mapped_column(Text)
    agreement_signed: Mapped[bool] = mapped_column(default=False)
    agreement_signed_on: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="intake")
    author: Mapped[User] = relationship()


class Assessment(_CaseRecord, Base):
    """The 预估表: each standard area rated with a note, then needs, strengths and risks.

    The areas are columns (``<area>_level``, ``<area>_note``) rather than rows, so the notes
    are indexed for search like every other record field.
    """

    __tablename__ = "assessments"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    needs: Mapped[str] = mapped_column(Text)
    strengths: Mapped[str] = mapped_column(Text)
    risks: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    # A level is missing only on assessments written before the areas were rated.
    physical_level: Mapped[NeedLevel | None] = mapped_column(enum_type(NeedLevel))
    physical_note: Mapped[str] = mapped_column(Text, default="")
    psychological_level: Mapped[NeedLevel | None] = mapped_column(enum_type(NeedLevel))
    psychological_note: Mapped[str] = mapped_column(Text, default="")
    daily_living_level: Mapped[NeedLevel | None] = mapped_column(enum_type(NeedLevel))
    daily_living_note: Mapped[str] = mapped_column(Text, default="")
    family_level: Mapped[NeedLevel | None] = mapped_column(enum_type(NeedLevel))
    family_note: Mapped[str] = mapped_column(Text, default="")
    social_support_level: Mapped[NeedLevel | None] = mapped_column(enum_type(NeedLevel))
    social_support_note: Mapped[str] = mapped_column(Text, default="")
    economic_level: Mapped[NeedLevel | None] = mapped_column(enum_type(NeedLevel))
    economic_note: Mapped[str] = mapped_column(Text, default="")
    housing_level: Mapped[NeedLevel | None] = mapped_column(enum_type(NeedLevel))
    housing_note: Mapped[str] = mapped_column(Text, default="")
    legal_level: Mapped[NeedLevel | None] = mapped_column(enum_type(NeedLevel))
    legal_note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="assessment")
    author: Mapped[User] = relationship()

    def level(self, area: AssessmentArea) -> NeedLevel | None:
        level: NeedLevel | None = getattr(self, f"{area.value}_level")
        return level

    def note(self, area: AssessmentArea) -> str:
        return str(getattr(self, f"{area.value}_note") or "")


class ServicePlan(_CaseRecord, Base):
    """A version of the service plan; a revision supersedes, never overwrites, the last."""

    __tablename__ = "service_plans"
    __table_args__ = (UniqueConstraint("case_id", "version", name="uq_service_plans_case_version"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[PlanStatus] = mapped_column(enum_type(PlanStatus), default=PlanStatus.DRAFT)
    overall_goal: Mapped[str] = mapped_column(Text)
    review_due: Mapped[date] = mapped_column(Date)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="plans")
    author: Mapped[User] = relationship(foreign_keys="ServicePlan.author_id")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    goals: Mapped[list[PlanGoal]] = relationship(
        back_populates="plan", order_by="PlanGoal.position", cascade="all, delete-orphan"
    )


class PlanGoal(Base):
    __tablename__ = "plan_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("service_plans.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    indicator: Mapped[str] = mapped_column(Text)
    actions: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(64))
    due_on: Mapped[date] = mapped_column(Date)

    plan: Mapped[ServicePlan] = relationship(back_populates="goals")


# The plan goals a service record worked towards.
service_record_goals = Table(
    "service_record_goals",
    Base.metadata,
    Column(
        "service_record_id",
        ForeignKey("service_records.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "goal_id", ForeignKey("plan_goals.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class ServiceRecord(_CaseRecord, Base):
    __tablename__ = "service_records"
    __table_args__ = (
        # A case's records by date; statistics reach the records of a unit subtree through
        # its cases and count them by form and minutes from this index alone.
        Index(
            "ix_service_records_case_served_on_cover",
            "case_id",
            "served_on",
            "form",
            "duration_minutes",
        ),
        # Statistics count records and minutes by form per period without reading the text.
        Index(
            "ix_service_records_served_on_cover",
            "served_on",
            "case_id",
            "form",
            "duration_minutes",
        ),
        # A worker's summary counts the records they wrote in a period.
        Index("ix_service_records_author_served_on", "author_id", "served_on"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    served_on: Mapped[date] = mapped_column(Date)
    form: Mapped[ServiceForm] = mapped_column(enum_type(ServiceForm))
    duration_minutes: Mapped[int]
    content: Mapped[str] = mapped_column(Text)
    response: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="service_records")
    author: Mapped[User] = relationship()
    goals: Mapped[list[PlanGoal]] = relationship(
        secondary=service_record_goals, order_by="PlanGoal.position"
    )


class Referral(_CaseRecord, Base):
    """转介: to a unit of the organisation, which finds it in its inbound queue and answers
    (accepts, declines, completes with feedback), or to an outside agency, whose answer the
    sender records."""

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_to_unit_outcome", "to_unit_id", "outcome"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    referred_on: Mapped[date] = mapped_column(Date)
    # The unit that referred (the case's unit then; the case may move later).
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    to_agency: Mapped[str | None] = mapped_column(String(100))
    # The outside agency's contact person and telephone.
    agency_contact: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    # What the receiving unit sees: only what the sender chose to share, and on what basis
    # the person agreed to it (PIPL Art. 23: providing personal information to another).
    shared_information: Mapped[str | None] = mapped_column(Text)
    consent_basis: Mapped[ConsentBasis | None] = mapped_column(enum_type(ConsentBasis))
    # The answer is due by then (working days); past it, both sides see it as overdue.
    due_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[ReferralOutcome] = mapped_column(
        enum_type(ReferralOutcome), default=ReferralOutcome.PENDING
    )
    outcome_note: Mapped[str | None] = mapped_column(Text)
    outcome_on: Mapped[date | None] = mapped_column(Date)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="referrals")
    from_unit: Mapped[Unit | None] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Unit | None] = relationship(foreign_keys=[to_unit_id])
    author: Mapped[User] = relationship(foreign_keys="Referral.author_id")
    responded_by: Mapped[User | None] = relationship(foreign_keys=[responded_by_id])

    @property
    def destination(self) -> str:
        return self.to_unit.name if self.to_unit else (self.to_agency or "")

    def is_overdue_on(self, day: date) -> bool:
        """No answer by its due date (``cases.referrals.overdue`` asks the same in SQL)."""
        return (
            self.outcome is ReferralOutcome.PENDING
            and self.due_on is not None
            and self.due_on < day
        )


class Evaluation(_CaseRecord, Base):
    __tablename__ = "evaluations"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    is_superseded: Mapped[bool] = mapped_column(default=False)
    client_view: Mapped[str] = mapped_column(Text)
    satisfaction: Mapped[int]
    summary: Mapped[str] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="evaluations")
    author: Mapped[User] = relationship()
    goal_results: Mapped[list[GoalResult]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", order_by="GoalResult.id"
    )


class GoalResult(Base):
    __tablename__ = "goal_results"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "goal_id", name="uq_goal_results_evaluation_goal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    goal_id: Mapped[int] = mapped_column(ForeignKey("plan_goals.id", ondelete="CASCADE"))
    attainment: Mapped[Attainment] = mapped_column(enum_type(Attainment))
    note: Mapped[str] = mapped_column(Text, default="")

    evaluation: Mapped[Evaluation] = relationship(back_populates="goal_results")
    goal: Mapped[PlanGoal] = relationship()


class ClosureReport(_CaseRecord, Base):
    __tablename__ = "closure_reports"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    is_superseded: Mapped[bool] = mapped_column(default=False)
    closure_type: Mapped[ClosureType] = mapped_column(enum_type(ClosureType))
    summary: Mapped[str] = mapped_column(Text)
    follow_up_plan: Mapped[str] = mapped_column(Text, default="")
    follow_up_due: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="closure_reports")
    author: Mapped[User] = relationship()


class FollowUp(_CaseRecord, Base):
    __tablename__ = "follow_ups"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    followed_on: Mapped[date] = mapped_column(Date)
    form: Mapped[ServiceForm] = mapped_column(enum_type(ServiceForm))
    content: Mapped[str] = mapped_column(Text)
    next_due: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="follow_ups")
    author: Mapped[User] = relationship()


class SupervisorComment(Base):
    """督导意见 on a case or on one of its records (subject_type names the record)."""

    __tablename__ = "supervisor_comments"
    __table_args__ = (Index("ix_supervisor_comments_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User] = relationship()


class CaseTransfer(Base):
    """A case moving to another unit of the organisation: proposed by the sending worker
    with a reason and a handover note, accepted (with the receiving worker) or rejected by
    the receiving unit's station head."""

    __tablename__ = "case_transfers"
    __table_args__ = (Index("ix_case_transfers_to_unit_status", "to_unit_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    status: Mapped[TransferStatus] = mapped_column(
        enum_type(TransferStatus), default=TransferStatus.PENDING
    )
    reason: Mapped[str] = mapped_column(Text)
    handover_note: Mapped[str] = mapped_column(Text)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    from_worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)
    to_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The local day the case moved: statistics count it at the sending unit before that day
    # and at the receiving one from it (casework/summaries/measures.py).
    transferred_on: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship()
    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Unit] = relationship(foreign_keys=[to_unit_id])
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    to_worker: Mapped[User | None] = relationship(foreign_keys=[to_worker_id])


# Every request that shows one is audited (core/disclosure.py). A referral carries what its
# sender shared with the receiving unit: it is the sending unit's data.
personal_data(Case)
personal_data(Referral, unit_column="from_unit_id")


class WordingRule(TimestampMixin, Base):
    """A judgemental or labelling word to hint about in narrative records, with neutral
    wording to use instead; the administrator keeps the list (``cases.wording``)."""

    __tablename__ = "wording_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(50), unique=True)
    suggestion: Mapped[str] = mapped_column(String(300))
    # Phrases (separated by "、") that contain the word but are not judgemental.
    exceptions: Mapped[str] = mapped_column(String(300), default="")
    is_active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<WordingRule {self.id}>"
