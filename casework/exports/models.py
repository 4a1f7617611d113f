"""Approvals of bulk exports with full identifiers (the two-person rule)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.accounts.models import User
from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import utcnow
from casework.extensions import Base
from casework.orgs.models import Unit


class ApprovalStatus(LabelledEnum):
    PENDING = "pending", _l("待审批")
    APPROVED = "approved", _l("已批准")
    REJECTED = "rejected", _l("未批准")
    DOWNLOADED = "downloaded", _l("已下载")
    WITHDRAWN = "withdrawn", _l("已撤回")


class ExportApproval(Base):
    """A request for a file with full ID and phone numbers of more people than the threshold.

    The file is never stored: once a second person approves, the requester may build and
    download it once, within ``EXPORT_APPROVAL_HOURS``, from the list and filters asked for.
    """

    __tablename__ = "export_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Which list: "people" or "requests".
    kind: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str] = mapped_column(String(200))
    file_format: Mapped[str] = mapped_column(String(8))
    # The list's search term or filters, to build the same list again at download.
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    row_count: Mapped[int]
    status: Mapped[ApprovalStatus] = mapped_column(
        enum_type(ApprovalStatus), default=ApprovalStatus.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    downloaded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    unit: Mapped[Unit] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def __repr__(self) -> str:
        return f"<ExportApproval {self.id} {self.kind} {self.status.value}>"
