"""A worker's secret calendar feed address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.accounts.models import User
from casework.core.models import utcnow
from casework.extensions import Base


class CalendarFeed(Base):
    """A worker's secret iCalendar feed address; revoking it makes the old address useless."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Only a SHA-256 of the token is stored: a database leak does not reveal feed addresses.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The owner's session version when created: a password change or disabling voids it.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
