"""Display tokens: the secret address of a wall screen (数据大屏)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.accounts.models import User
from casework.core.models import utcnow
from casework.extensions import Base
from casework.orgs.models import Unit


class DisplayToken(Base):
    """The secret address of a control-room display showing a unit subtree's aggregates.

    Bound to the unit, not to the person who created it (a screen keeps working when its
    creator changes password or leaves), valid until revoked or ``expires_at``.
    """

    __tablename__ = "display_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    # Only a SHA-256 of the token is stored: a database leak does not reveal screen addresses.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    unit: Mapped[Unit] = relationship()
    created_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<DisplayToken {self.id} unit={self.unit_id}>"
