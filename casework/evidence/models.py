"""An evidence pack asked for by one user: its scope, its build's progress and its files."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.accounts.models import User
from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import utcnow
from casework.extensions import Base
from casework.orgs.models import Unit


class PackStatus(LabelledEnum):
    QUEUED = "queued", _l("排队中")
    BUILDING = "building", _l("生成中")
    READY = "ready", _l("可下载")
    FAILED = "failed", _l("生成失败")
    EXPIRED = "expired", _l("已过期")


class EvidencePack(Base):
    """评估台账: a unit's (or subtree's) records of a period, built in the background."""

    __tablename__ = "evidence_packs"
    __table_args__ = (
        Index("ix_evidence_packs_requested_by_created_at", "requested_by_id", "created_at"),
        Index("ix_evidence_packs_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    includes_subtree: Mapped[bool] = mapped_column(default=False)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    is_aggregate_only: Mapped[bool] = mapped_column(default=False)
    status: Mapped[PackStatus] = mapped_column(enum_type(PackStatus), default=PackStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    # The section being built, as its label's source text (translated when shown).
    step: Mapped[str] = mapped_column(String(100), default="")
    # What went wrong, for the requester; never personal data.
    error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set by the builder as it works: a build whose heartbeat stopped was left by a dead
    # process and is started again.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Random names in the evidence folder (instance/evidence), never derived from content.
    pdf_name: Mapped[str | None] = mapped_column(String(64))
    zip_name: Mapped[str | None] = mapped_column(String(64))
    pdf_size: Mapped[int | None]
    zip_size: Mapped[int | None]
    page_count: Mapped[int | None]
    # The cases whose files the PDF holds: each download's audit entry names them.
    case_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)

    unit: Mapped[Unit] = relationship()
    requested_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<EvidencePack {self.id} unit={self.unit_id} {self.status.value}>"
