"""Files about a case, a person or a community activity."""

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


class Attachment(Base):
    """A file about a case or a person, stored under the upload folder with a random name."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    service_user_id: Mapped[int | None] = mapped_column(ForeignKey("service_users.id"), index=True)
    # Photos and documents of a community activity (社区活动).
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_activities.id"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    description: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    is_archived: Mapped[bool] = mapped_column(default=False)

    uploaded_by: Mapped[User] = relationship()
