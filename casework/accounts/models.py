"""Staff accounts and their roles."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Column, DateTime, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.crypto import EncryptedText
from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import TimestampMixin, utcnow
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
    # Bumped on password change, reset or disabling: calendar feeds issued before are void.
    session_version: Mapped[int] = mapped_column(default=1)
    locale: Mapped[str | None] = mapped_column(String(10))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Separation of duties: an account an administrator created, or whose password an
    # administrator reset, opens no person or case until the station head (or, where there
    # is none, a second administrator) confirms it.
    is_pending_confirmation: Mapped[bool] = mapped_column(default=False)
    confirmation_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmation_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What the administrator did: "created", "password_reset" or "mfa_reset".
    confirmation_reason: Mapped[str | None] = mapped_column(String(16))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Consecutive failed logins, and the lock they led to.
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Second factor (accounts.mfa): the TOTP seed, encrypted with the data key; it counts
    # only once enrolment is confirmed with a code (mfa_enabled_at). The last time step
    # accepted, so a code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText("totp", 128))
    mfa_enabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_last_step: Mapped[int | None]

    unit: Mapped[Unit] = relationship()
    supervised_units: Mapped[list[Unit]] = relationship(secondary=tutor_units, order_by="Unit.code")
    confirmation_requested_by: Mapped[User | None] = relationship(
        foreign_keys=[confirmation_requested_by_id], remote_side="User.id"
    )

    def get_id(self) -> str:
        return str(self.id)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"


class UserSession(Base):
    """A signed-in session, kept on the server: the cookie holds only a random token.

    Logout, a password change or reset, disabling the account and an administrator's "end
    all sessions" end it at once, so a copied cookie stops working; so do the idle timeout
    and the absolute lifetime (``SESSION_IDLE_MINUTES``, ``SESSION_MAX_HOURS``).
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_reason: Mapped[str | None] = mapped_column(String(32))
    ip_address: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.id} of {self.user_id}>"


class PasswordLink(Base):
    """A one-time link to set one's own password: nobody else ever knows a working one."""

    __tablename__ = "password_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<PasswordLink {self.id} for {self.user_id}>"


class RecoveryCode(Base):
    """A one-time code that stands in for the authenticator app; stored as a SHA-256 (the
    codes are random, 50 bits each, so a fast hash suffices)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.id} of {self.user_id}>"
