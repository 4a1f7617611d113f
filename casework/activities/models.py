"""Community activities (社区活动) and their registered participants."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.accounts.models import User
from casework.cases.enums import ServiceDomain
from casework.core.disclosure import personal_data
from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import TimestampMixin
from casework.extensions import Base
from casework.orgs.models import Unit
from casework.people.models import ServiceUser

if TYPE_CHECKING:
    # Volunteers sit above activities: an assignment names the activity it served.
    from casework.volunteers.models import VolunteerAssignment


class ActivityType(LabelledEnum):
    PUBLICITY = "publicity", _l("宣传教育")
    FREE_CLINIC = "free_clinic", _l("义诊")
    CLEAN_UP = "clean_up", _l("环境整治")
    CULTURE_SPORTS = "culture_sports", _l("文体活动")
    MUTUAL_HELP = "mutual_help", _l("互助活动")
    OTHER = "other", _l("其他")


class CommunityActivity(TimestampMixin, Base):
    """社区活动: campaigns, free clinics, clean-ups, joint "单位+楼院" events."""

    __tablename__ = "community_activities"
    __table_args__ = (
        Index("ix_community_activities_unit_held_on", "unit_id", "held_on"),
        # The list's type and domain filters, newest first.
        Index("ix_community_activities_unit_type_held_on", "unit_id", "activity_type", "held_on"),
        Index("ix_community_activities_unit_domain_held_on", "unit_id", "domain", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    title: Mapped[str] = mapped_column(String(100))
    held_on: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    place: Mapped[str] = mapped_column(String(100))
    domain: Mapped[ServiceDomain] = mapped_column(enum_type(ServiceDomain))
    activity_type: Mapped[ActivityType] = mapped_column(enum_type(ActivityType))
    organiser_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    description: Mapped[str] = mapped_column(Text, default="")
    participant_count: Mapped[int] = mapped_column(default=0)

    unit: Mapped[Unit] = relationship()
    organiser: Mapped[User] = relationship()
    participants: Mapped[list[ServiceUser]] = relationship(
        secondary="activity_participants", order_by="ServiceUser.name"
    )
    assignments: Mapped[list[VolunteerAssignment]] = relationship(back_populates="activity")


activity_participants = Table(
    "activity_participants",
    Base.metadata,
    Column(
        "activity_id", ForeignKey("community_activities.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("service_user_id", ForeignKey("service_users.id"), primary_key=True),
)


personal_data(CommunityActivity)
