"""Personal API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.accounts.models import User
from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import utcnow
from casework.extensions import Base


class TokenScope(LabelledEnum):
    READ = "read", _l("只读")
    # Reading, and what the user may change on the pages (a case's lifecycle steps …).
    WRITE = "write", _l("读写")


class ApiToken(Base):
    """A token a user made for a system of theirs: named, scoped, expiring, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    scope: Mapped[TokenScope] = mapped_column(enum_type(TokenScope))
    # Only a SHA-256 of the token is kept; the first characters identify it in lists.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    # The owner's session version when made: a password change or disabling voids it.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}>"
