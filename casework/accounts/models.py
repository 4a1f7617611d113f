"""Staff accounts and their roles."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Column, DateTime, Enum, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.models import TimestampMixin
from casework.extensions import Base
from casework.orgs.models import Unit


class Role(enum.Enum):
    SOCIAL_WORKER = "social_worker"
    TUTOR = "tutor"
    STATION_HEAD = "station_head"
    BUREAU_VIEWER = "bureau_viewer"
    SYSADMIN = "sysadmin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.SOCIAL_WORKER: _l("社工"),
    Role.TUTOR: _l("督导"),
    Role.STATION_HEAD: _l("站长"),
    Role.BUREAU_VIEWER: _l("民政局"),
    Role.SYSADMIN: _l("系统管理员"),
}

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
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="user_role", values_callable=lambda roles: [r.value for r in roles])
    )
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
