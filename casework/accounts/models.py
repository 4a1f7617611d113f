"""Staff accounts and their roles."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Column, DateTime, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import TimestampMixin
from casework.extensions import Base
from casework.orgs.models import Unit


class Role(LabelledEnum):
    SOCIAL_WORKER = "social_worker", _l("社工")
    TUTOR = "tutor", _l("督导")
    STATION_HEAD = "station_head", _l("站长")
    BUREAU_VIEWER = "bureau_viewer", _l("民政局")
    SYSADMIN = "sysadmin", _l("系统管理员")


tutor_units = Table(
    "tutor_units",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change or disabling: every session issued before is void.
    session_version: Mapped[int] = mapped_column(default=1)
    locale: Mapped[str | None] = mapped_column(String(10))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    unit: Mapped[Unit] = relationship()
    supervised_units: Mapped[list[Unit]] = relationship(secondary=tutor_units, order_by="Unit.code")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"
