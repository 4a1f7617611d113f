"""Spreadsheet imports: one row per uploaded file, from preview to its result."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.accounts.models import User
from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import TimestampMixin
from casework.extensions import Base
from casework.orgs.models import Unit
from casework.people.models import ConsentBasis


class ImportKind(LabelledEnum):
    STAFF = "staff", _l("社工人员及证书")
    VOLUNTEERS = "volunteers", _l("志愿者")
    SERVICE_USERS = "service_users", _l("服务对象")


class ImportStatus(LabelledEnum):
    PENDING = "pending", _l("待确认")
    COMPLETED = "completed", _l("已导入")
    FAILED = "failed", _l("导入失败")
    CANCELLED = "cancelled", _l("已取消")
    EXPIRED = "expired", _l("已过期")


class ImportRun(TimestampMixin, Base):
    """An uploaded list: kept as a file while pending, then its result (no personal data).

    ``skipped_rows`` holds, per skipped row, only its row number and the fields and
    problem codes that made it invalid, never the cell values.
    """

    __tablename__ = "import_runs"
    __table_args__ = (Index("ix_import_runs_unit_created", "unit_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportKind] = mapped_column(enum_type(ImportKind))
    status: Mapped[ImportStatus] = mapped_column(
        enum_type(ImportStatus), default=ImportStatus.PENDING
    )
    # The unit picked for the rows; None when an administrator's file names each row's unit.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    # Random name under the upload folder while pending; cleared once the file is gone.
    stored_name: Mapped[str | None] = mapped_column(String(32))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # What the uploader states for a list of service users (PIPL): the basis and its date.
    consent_basis: Mapped[ConsentBasis | None] = mapped_column(enum_type(ConsentBasis))
    consent_given_on: Mapped[date | None] = mapped_column(Date)
    total_rows: Mapped[int] = mapped_column(default=0)
    invalid_rows: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    skipped_count: Mapped[int] = mapped_column(default=0)
    skipped_rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    unit: Mapped[Unit | None] = relationship()
    created_by: Mapped[User] = relationship()

    @property
    def is_pending(self) -> bool:
        return self.status is ImportStatus.PENDING

    def __repr__(self) -> str:
        return f"<ImportRun {self.id} {self.kind.value} {self.status.value}>"
