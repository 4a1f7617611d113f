"""Volunteers (志愿者) and the hours they serve on activities and groups."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.activities.models import CommunityActivity
from casework.core.crypto import BLIND_INDEX_LENGTH, EncryptedText, blind_indexed
from casework.core.disclosure import personal_data
from casework.core.enums import LabelledEnum, enum_type
from casework.core.masking import mask_phone
from casework.core.models import TimestampMixin
from casework.extensions import Base
from casework.groups.models import Group
from casework.orgs.models import Unit


class VolunteerCategory(LabelledEnum):
    CIVIL_SERVANT = "civil_servant", _l("公职人员")
    PARTY_LEAGUE = "party_league", _l("党团员")
    DEPUTY = "deputy", _l("人大政协代表")
    MODEL_WORKER = "model_worker", _l("劳动模范")
    MEDICAL = "medical", _l("医务人员")
    TEACHER = "teacher", _l("教师")
    VETERAN = "veteran", _l("复退军人")
    LOW_INCOME = "low_income", _l("低保对象")
    STUDENT = "student", _l("大学生")
    RESIDENT = "resident", _l("社区居民")
    OTHER = "other", _l("其他")


class Volunteer(TimestampMixin, Base):
    """义工/志愿者: registered by category, skills and availability; never a login."""

    __tablename__ = "volunteers"
    __table_args__ = (
        # The list's order (active first, by name) and its category filter.
        Index("ix_volunteers_unit_active_name", "unit_id", "is_active", "name"),
        Index("ix_volunteers_unit_category", "unit_id", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(EncryptedText("phone"))  # encrypted at rest
    phone_index: Mapped[str | None] = mapped_column(String(BLIND_INDEX_LENGTH), index=True)
    category: Mapped[VolunteerCategory] = mapped_column(enum_type(VolunteerCategory))
    skills: Mapped[str] = mapped_column(String(200), default="")
    availability: Mapped[str] = mapped_column(String(200), default="")
    is_active: Mapped[bool] = mapped_column(default=True)

    unit: Mapped[Unit] = relationship()
    assignments: Mapped[list[VolunteerAssignment]] = relationship(back_populates="volunteer")

    _blind_indexes = blind_indexed("phone")

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class VolunteerAssignment(TimestampMixin, Base):
    """A volunteer's part in an activity or a group, with the hours served."""

    __tablename__ = "volunteer_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_activities.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    served_on: Mapped[date] = mapped_column(Date, index=True)
    hours: Mapped[float] = mapped_column(Numeric(6, 1, asdecimal=False))
    role: Mapped[str] = mapped_column(String(100), default="")

    volunteer: Mapped[Volunteer] = relationship(back_populates="assignments")
    activity: Mapped[CommunityActivity | None] = relationship(back_populates="assignments")
    group: Mapped[Group | None] = relationship()


# Every request that shows one is audited (core/disclosure.py): a volunteer, and a group or
# activity, whose records are about the people in it.
personal_data(Volunteer)
