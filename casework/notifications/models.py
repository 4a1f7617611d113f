"""A user's notifications and how they want to receive them."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.models import utcnow
from casework.extensions import Base

if TYPE_CHECKING:
    from casework.cases.models import Case


class Notification(Base):
    """One thing a user should know or do, linking to where it is done."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(300))
    # The case it is about, if any: the inbox shows its number from the case itself, so that
    # seeing it is audited like any page that shows a case (core/disclosure.py).
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # "pending" while an email is owed (the user chose email for this kind), "sent" once
    # delivered, "failed" after the last try; None when no email is wanted.
    email_status: Mapped[str | None] = mapped_column(String(16), index=True)
    email_attempts: Mapped[int] = mapped_column(default=0)

    case: Mapped[Case | None] = relationship("Case")


class NotificationSettings(Base):
    """Which notifications a user wants, which also by email, where, and when not to send."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str | None] = mapped_column(String(254))
    # Kinds the user does not want at all (not even in the inbox).
    muted_kinds: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    email_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Local times; no email between them (an evening-to-morning span crosses midnight).
    quiet_from: Mapped[time | None] = mapped_column(Time)
    quiet_until: Mapped[time | None] = mapped_column(Time)
