"""Supervision records (督导记录): who met, which cases were discussed, advice agreed."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.accounts.models import User
from casework.cases.models import Case
from casework.core.disclosure import personal_data
from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import TimestampMixin
from casework.extensions import Base
from casework.orgs.models import Unit


class SupervisionForm(LabelledEnum):
    INDIVIDUAL = "individual", _l("个别督导")
    GROUP = "group", _l("小组督导")
    ON_SITE = "on_site", _l("现场督导")
    ONLINE = "online", _l("线上督导")


supervision_workers = Table(
    "supervision_workers",
    Base.metadata,
    Column(
        "supervision_id",
        ForeignKey("supervision_sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

supervision_cases = Table(
    "supervision_cases",
    Base.metadata,
    Column(
        "supervision_id",
        ForeignKey("supervision_sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
)


class SupervisionSession(TimestampMixin, Base):
    __tablename__ = "supervision_sessions"
    __table_args__ = (
        Index("ix_supervision_sessions_tutor_held_on", "tutor_id", "held_on"),
        # A station head's list: the unit's records, newest first.
        Index("ix_supervision_sessions_unit_held_on", "unit_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tutor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    form: Mapped[SupervisionForm] = mapped_column(enum_type(SupervisionForm))
    duration_minutes: Mapped[int]
    topics: Mapped[str] = mapped_column(Text)
    advice: Mapped[str] = mapped_column(Text)
    follow_up: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(100), default="")

    tutor: Mapped[User] = relationship(foreign_keys=[tutor_id])
    unit: Mapped[Unit] = relationship()
    workers: Mapped[list[User]] = relationship(
        secondary=supervision_workers, order_by="User.display_name"
    )
    cases: Mapped[list[Case]] = relationship(secondary=supervision_cases, order_by="Case.number")

    def __repr__(self) -> str:
        return f"<SupervisionSession {self.id} {self.held_on}>"


# Its records are about the people in it: every request that shows one is audited.
personal_data(SupervisionSession)
