"""The annual assessment (年度考核) of a social worker by the head of their unit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.accounts.models import User
from casework.core.disclosure import personal_data
from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import TimestampMixin
from casework.extensions import Base
from casework.orgs.models import Unit


class AssessmentGrade(LabelledEnum):
    EXCELLENT = "excellent", _l("优秀")
    COMPETENT = "competent", _l("合格")
    BASICALLY_COMPETENT = "basically_competent", _l("基本合格")
    NOT_COMPETENT = "not_competent", _l("不合格")


class AssessmentStatus(LabelledEnum):
    DRAFT = "draft", _l("草稿")
    COMPLETED = "completed", _l("待本人确认")
    SIGNED = "signed", _l("本人已确认")


class AnnualAssessment(TimestampMixin, Base):
    __tablename__ = "annual_assessments"
    __table_args__ = (
        UniqueConstraint("worker_id", "year", name="uq_annual_assessments_worker_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    year: Mapped[int]
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[AssessmentStatus] = mapped_column(
        enum_type(AssessmentStatus), default=AssessmentStatus.DRAFT
    )
    # The year's figures as the head saw them when completing the assessment.
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    grade: Mapped[AssessmentGrade | None] = mapped_column(enum_type(AssessmentGrade))
    strengths: Mapped[str] = mapped_column(Text, default="")
    improvements: Mapped[str] = mapped_column(Text, default="")
    comments: Mapped[str] = mapped_column(Text, default="")
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker_agrees: Mapped[bool | None]
    worker_comment: Mapped[str] = mapped_column(String(500), default="")

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    assessor: Mapped[User | None] = relationship(foreign_keys=[assessor_id])
    unit: Mapped[Unit] = relationship()

    @property
    def is_signed(self) -> bool:
        return self.status is AssessmentStatus.SIGNED

    def __repr__(self) -> str:
        return f"<AnnualAssessment {self.id} {self.worker_id} {self.year}>"


# An assessment judges a named worker: showing one to anyone but the worker is audited.
personal_data(AnnualAssessment, is_own=lambda assessment, user: assessment.worker_id == user.id)
