"""The workforce: personnel files, certificates, posts, continuing education, training."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.accounts.models import User
from casework.core.crypto import BLIND_INDEX_LENGTH, EncryptedText, blind_indexed
from casework.core.disclosure import personal_data
from casework.core.enums import LabelledEnum, enum_type
from casework.core.masking import mask_id_number, mask_phone
from casework.core.models import TimestampMixin, utcnow
from casework.extensions import Base
from casework.orgs.models import Unit
from casework.people.models import Gender

# Registration within one year of obtaining the certificate; re-registration every three years.
REGISTRATION_GRACE_YEARS = 1
REGISTRATION_PERIOD_YEARS = 3
# A completed degree (学历教育) counts once, as this many hours.
DEGREE_HOURS = Decimal(90)


class CertificateLevel(LabelledEnum):
    ASSISTANT = "assistant", _l("助理社会工作师")
    INTERMEDIATE = "intermediate", _l("社会工作师")
    SENIOR = "senior", _l("高级社会工作师")

    @property
    def rank(self) -> int:
        return _LEVEL_RANKS[self]


_LEVEL_RANKS = {
    CertificateLevel.ASSISTANT: 1,
    CertificateLevel.INTERMEDIATE: 2,
    CertificateLevel.SENIOR: 3,
}

_REQUIRED_HOURS = {
    CertificateLevel.ASSISTANT: 72,
    CertificateLevel.INTERMEDIATE: 90,
    CertificateLevel.SENIOR: 90,
}


def required_hours(level: CertificateLevel) -> int:
    """Continuing-education hours required in one three-year registration period."""
    return _REQUIRED_HOURS[level]


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class EducationLevel(LabelledEnum):
    HIGH_SCHOOL = "high_school", _l("高中及以下")
    JUNIOR_COLLEGE = "junior_college", _l("大专")
    BACHELOR = "bachelor", _l("本科")
    MASTER = "master", _l("硕士")
    DOCTORATE = "doctorate", _l("博士")


class PostKind(LabelledEnum):
    FULL_TIME = "full_time", _l("专职社会工作岗位")
    CONVERTED = "converted", _l("转换岗位")
    COMMUNITY = "community", _l("社区社会工作岗位")


class EducationKind(LabelledEnum):
    TRAINING = "training", _l("培训")
    SUPERVISION = "supervision", _l("接受督导")
    CONFERENCE = "conference", _l("学术会议")
    DEGREE = "degree", _l("学历教育")
    OTHER = "other", _l("其他")


class CourseKind(LabelledEnum):
    CONTINUING_EDUCATION = "continuing_education", _l("继续教育")
    EXAM_PREPARATION = "exam_preparation", _l("考前培训")
    SPECIALISED = "specialised", _l("专项培训")


class CourseFormat(LabelledEnum):
    EXPERT_LECTURE = "expert_lecture", _l("专家讲座")
    THEMATIC_TRAINING = "thematic_training", _l("专题培训")
    STUDY_VISIT = "study_visit", _l("学习考察")
    OTHER = "other", _l("其他")


class PartnerKind(LabelledEnum):
    UNIVERSITY = "university", _l("高校")
    PARTY_SCHOOL = "party_school", _l("党校")
    TECHNICAL_SCHOOL = "technical_school", _l("技校")
    OTHER = "other", _l("其他")


class WorkerProfile(TimestampMixin, Base):
    """人员档案: one per social worker, with or without a staff account."""

    __tablename__ = "worker_profiles"
    __table_args__ = (Index("ix_worker_profiles_unit_name", "unit_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[Gender | None] = mapped_column(enum_type(Gender))
    # Encrypted at rest (core.crypto); found by value through the blind indexes.
    id_number: Mapped[str | None] = mapped_column(EncryptedText("id_number"))
    phone: Mapped[str | None] = mapped_column(EncryptedText("phone"))
    id_number_index: Mapped[str | None] = mapped_column(String(BLIND_INDEX_LENGTH), index=True)
    phone_index: Mapped[str | None] = mapped_column(String(BLIND_INDEX_LENGTH), index=True)
    education_level: Mapped[EducationLevel | None] = mapped_column(enum_type(EducationLevel))
    major: Mapped[str | None] = mapped_column(String(100))
    is_social_work_major: Mapped[bool] = mapped_column(default=False)
    position_title: Mapped[str | None] = mapped_column(String(50))
    employed_since: Mapped[date | None] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    certificates: Mapped[list[Certificate]] = relationship(
        back_populates="profile", order_by="Certificate.obtained_on", cascade="all, delete-orphan"
    )
    employment_records: Mapped[list[EmploymentRecord]] = relationship(
        back_populates="profile",
        order_by="EmploymentRecord.started_on.desc()",
        cascade="all, delete-orphan",
    )
    exam_records: Mapped[list[ExamRecord]] = relationship(
        back_populates="profile", order_by="ExamRecord.year.desc()", cascade="all, delete-orphan"
    )
    award_records: Mapped[list[AwardRecord]] = relationship(
        back_populates="profile",
        order_by="AwardRecord.awarded_on.desc()",
        cascade="all, delete-orphan",
    )
    education_entries: Mapped[list[ContinuingEducationEntry]] = relationship(
        back_populates="profile",
        order_by="ContinuingEducationEntry.started_on.desc()",
        cascade="all, delete-orphan",
    )

    _blind_indexes = blind_indexed("id_number", "phone")

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def current_certificate(self) -> Certificate | None:
        """The highest level held; the most recent of that level on a tie."""
        if not self.certificates:
            return None
        return max(self.certificates, key=lambda c: (c.level.rank, c.obtained_on))

    def __repr__(self) -> str:
        return f"<WorkerProfile {self.id}>"


class Certificate(TimestampMixin, Base):
    """职业水平证书 and its registration (登记) and re-registration (再登记)."""

    __tablename__ = "worker_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("worker_profiles.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[CertificateLevel] = mapped_column(enum_type(CertificateLevel))
    certificate_number: Mapped[str] = mapped_column(String(40), unique=True)
    obtained_on: Mapped[date] = mapped_column(Date)
    registration_number: Mapped[str | None] = mapped_column(String(40))
    registered_on: Mapped[date | None] = mapped_column(Date)
    last_reregistered_on: Mapped[date | None] = mapped_column(Date)

    profile: Mapped[WorkerProfile] = relationship(back_populates="certificates")

    @property
    def is_registered(self) -> bool:
        return self.registered_on is not None

    @property
    def registration_due_on(self) -> date | None:
        """First registration is due one year after the certificate was obtained."""
        if self.registered_on is not None:
            return None
        return add_years(self.obtained_on, REGISTRATION_GRACE_YEARS)

    @property
    def period_start(self) -> date | None:
        """The current three-year registration period starts at the latest (re)registration."""
        return self.last_reregistered_on or self.registered_on

    @property
    def reregistration_due_on(self) -> date | None:
        start = self.period_start
        return None if start is None else add_years(start, REGISTRATION_PERIOD_YEARS)

    @property
    def next_due_on(self) -> date:
        """Whichever of registration or re-registration comes next."""
        return self.reregistration_due_on or add_years(self.obtained_on, REGISTRATION_GRACE_YEARS)

    @property
    def required_hours(self) -> int:
        return required_hours(self.level)

    def __repr__(self) -> str:
        return f"<Certificate {self.id} {self.level.value}>"


class EmploymentRecord(TimestampMixin, Base):
    """工作经历: one earlier or current job."""

    __tablename__ = "employment_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("worker_profiles.id", ondelete="CASCADE"), index=True
    )
    employer: Mapped[str] = mapped_column(String(100))
    position: Mapped[str | None] = mapped_column(String(50))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)

    profile: Mapped[WorkerProfile] = relationship(back_populates="employment_records")

    def __repr__(self) -> str:
        return f"<EmploymentRecord {self.id} of {self.profile_id}>"


class ExamRecord(TimestampMixin, Base):
    """One sitting of the national 职业水平考试."""

    __tablename__ = "exam_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("worker_profiles.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    level: Mapped[CertificateLevel] = mapped_column(enum_type(CertificateLevel))
    subjects_passed: Mapped[str | None] = mapped_column(String(100))
    is_passed: Mapped[bool] = mapped_column(default=False)

    profile: Mapped[WorkerProfile] = relationship(back_populates="exam_records")

    def __repr__(self) -> str:
        return f"<ExamRecord {self.id} of {self.profile_id}>"


class AwardRecord(TimestampMixin, Base):
    """奖励与考核: an award or an annual evaluation."""

    __tablename__ = "award_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("worker_profiles.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(100))
    awarded_by: Mapped[str | None] = mapped_column(String(100))
    awarded_on: Mapped[date] = mapped_column(Date)

    profile: Mapped[WorkerProfile] = relationship(back_populates="award_records")

    def __repr__(self) -> str:
        return f"<AwardRecord {self.id} of {self.profile_id}>"


class Post(TimestampMixin, Base):
    """社会工作岗位 of a unit, and who holds it."""

    __tablename__ = "workforce_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    kind: Mapped[PostKind] = mapped_column(enum_type(PostKind))
    required_level: Mapped[CertificateLevel | None] = mapped_column(enum_type(CertificateLevel))
    salary_band: Mapped[str | None] = mapped_column(String(50))
    holder_profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("worker_profiles.id", ondelete="SET NULL"), index=True
    )

    unit: Mapped[Unit] = relationship()
    holder: Mapped[WorkerProfile | None] = relationship()

    @property
    def is_filled(self) -> bool:
        return self.holder_profile_id is not None

    @property
    def is_filled_by_certified(self) -> bool:
        """Held by someone in post with a certificate of at least the required level (any if
        none): the rule workforce.statistics.counts_by_unit counts 持证上岗 by."""
        if self.holder is None or not self.holder.is_active:
            return False
        held = self.holder.current_certificate
        if held is None:
            return False
        return self.required_level is None or held.level.rank >= self.required_level.rank

    def __repr__(self) -> str:
        return f"<Post {self.id}>"


class TrainingPlan(TimestampMixin, Base):
    """培训计划 of a unit for one year."""

    __tablename__ = "training_plans"
    __table_args__ = (Index("ix_training_plans_unit_year", "unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[Unit] = relationship()
    courses: Mapped[list[TrainingCourse]] = relationship(
        back_populates="plan", order_by="TrainingCourse.id"
    )

    def __repr__(self) -> str:
        return f"<TrainingPlan {self.id} {self.year}>"


class TrainingCourse(TimestampMixin, Base):
    __tablename__ = "training_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("training_plans.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    kind: Mapped[CourseKind] = mapped_column(enum_type(CourseKind))
    format: Mapped[CourseFormat] = mapped_column(enum_type(CourseFormat))
    trainer: Mapped[str | None] = mapped_column(String(100))
    partner_kind: Mapped[PartnerKind | None] = mapped_column(enum_type(PartnerKind))
    partner_name: Mapped[str | None] = mapped_column(String(100))
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 1), default=Decimal(0))

    plan: Mapped[TrainingPlan | None] = relationship(back_populates="courses")
    unit: Mapped[Unit] = relationship()
    sessions: Mapped[list[TrainingSession]] = relationship(
        back_populates="course",
        order_by="TrainingSession.held_on",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<TrainingCourse {self.id}>"


class TrainingSession(TimestampMixin, Base):
    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("training_courses.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    place: Mapped[str | None] = mapped_column(String(100))

    course: Mapped[TrainingCourse] = relationship(back_populates="sessions")
    attendance: Mapped[list[TrainingAttendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<TrainingSession {self.id}>"


class TrainingAttendance(Base):
    __tablename__ = "training_attendance"
    __table_args__ = (UniqueConstraint("session_id", "profile_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("worker_profiles.id", ondelete="CASCADE"), index=True
    )
    is_present: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    session: Mapped[TrainingSession] = relationship(back_populates="attendance")
    profile: Mapped[WorkerProfile] = relationship()

    def __repr__(self) -> str:
        return f"<TrainingAttendance {self.session_id}:{self.profile_id}>"


class ContinuingEducationEntry(TimestampMixin, Base):
    """继续教育: hours from a course, supervision, a conference or a degree."""

    __tablename__ = "continuing_education"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("worker_profiles.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EducationKind] = mapped_column(enum_type(EducationKind))
    title: Mapped[str] = mapped_column(String(100))
    provider: Mapped[str | None] = mapped_column(String(100))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    # Only a completed degree counts (once, as DEGREE_HOURS).
    is_degree_completed: Mapped[bool] = mapped_column(default=False)
    evidence: Mapped[str | None] = mapped_column(String(200))
    source_attendance_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_attendance.id", ondelete="CASCADE"), unique=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    profile: Mapped[WorkerProfile] = relationship(back_populates="education_entries")

    @property
    def counted_on(self) -> date:
        """The day that places the entry in a registration period: when it ended."""
        return self.ended_on or self.started_on

    @property
    def is_automatic(self) -> bool:
        return self.source_attendance_id is not None

    def __repr__(self) -> str:
        return f"<ContinuingEducationEntry {self.id} of {self.profile_id}>"


class WorkforceTarget(TimestampMixin, Base):
    """The number of certified workers a bureau aims for in its area, and by when."""

    __tablename__ = "workforce_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), unique=True)
    target: Mapped[int]
    due_on: Mapped[date | None] = mapped_column(Date)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship()

    def __repr__(self) -> str:
        return f"<WorkforceTarget {self.unit_id} {self.target}>"


# The plan's target: 2,000 certified workers province-wide by the end of 2015.
DEFAULT_TARGET = 2000
DEFAULT_TARGET_DUE = date(2015, 12, 31)


# Every request that shows one is audited (core/disclosure.py), but not one's own file.
personal_data(WorkerProfile, is_own=lambda profile, user: profile.user_id == user.id)
