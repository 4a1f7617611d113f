"""Residents' requests to exercise their rights over their personal information (PIPL)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.accounts.models import User
from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import TimestampMixin
from casework.extensions import Base
from casework.orgs.models import Unit
from casework.people.models import ServiceUser


class RightsKind(LabelledEnum):
    """PIPL Art. 44–48: what a resident may ask of the station."""

    ACCESS = "access", _l("查阅、复制")
    CORRECTION = "correction", _l("更正、补充")
    DELETION = "deletion", _l("删除")
    WITHDRAWAL = "withdrawal", _l("撤回同意")
    EXPLANATION = "explanation", _l("解释说明")


class RightsChannel(LabelledEnum):
    WALK_IN = "walk_in", _l("来访")
    PHONE = "phone", _l("电话")
    LETTER = "letter", _l("信件")
    ONLINE = "online", _l("网上")


class RightsStatus(LabelledEnum):
    OPEN = "open", _l("办理中")
    DONE = "done", _l("已办结")
    REFUSED = "refused", _l("不予办理")


class RightsRequest(TimestampMixin, Base):
    """个人信息权利请求: recorded by staff, answered within 15 working days."""

    __tablename__ = "rights_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_user_id: Mapped[int] = mapped_column(ForeignKey("service_users.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[RightsKind] = mapped_column(enum_type(RightsKind))
    channel: Mapped[RightsChannel] = mapped_column(enum_type(RightsChannel))
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RightsStatus] = mapped_column(enum_type(RightsStatus), default=RightsStatus.OPEN)
    outcome: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    person: Mapped[ServiceUser] = relationship()
    unit: Mapped[Unit] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])

    def __repr__(self) -> str:
        return f"<RightsRequest {self.id} {self.kind.value} {self.status.value}>"
