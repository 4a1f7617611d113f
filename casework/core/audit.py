"""The append-only audit log: who did or saw what, when, from where.

Entries never hold residents' personal data, only ids and codes.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.models import utcnow
from casework.extensions import Base, db

if TYPE_CHECKING:
    from casework.accounts.models import User


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_object", "object_type", "object_id"),
        # The log is read newest first (by id), filtered by actor or by the head's unit.
        Index("ix_audit_entries_actor_id_id", "actor_id", "id"),
        Index("ix_audit_entries_unit_id_id", "unit_id", "id"),
        # Sealing finds the entries not yet in the chain without reading the whole log.
        Index(
            "ix_audit_entries_unsealed",
            "id",
            sqlite_where=text("seq IS NULL"),
            postgresql_where=text("seq IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[int | None]
    # The unit the object belongs to, so a station head can read their unit's entries.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The hash chain (core.audit_chain): filled once, after commit, by sealing.
    seq: Mapped[int | None] = mapped_column(unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    entry_hash: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} {self.object_type}:{self.object_id}>"


def _current_actor_id() -> int | None:
    if has_request_context() and current_user.is_authenticated:
        return int(current_user.id)
    return None


def record(
    action: str,
    obj: Any = None,
    *,
    actor_id: int | None = None,
    unit_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the session; the request's single commit stores it."""
    entry = AuditEntry(
        action=action,
        actor_id=actor_id if actor_id is not None else _current_actor_id(),
        object_type=getattr(obj, "__tablename__", None),
        object_id=getattr(obj, "id", None),
        unit_id=unit_id if unit_id is not None else getattr(obj, "unit_id", None),
        ip_address=request.remote_addr if has_request_context() else None,
        details=details or {},
    )
    db.session.add(entry)
    note_written()
    return entry


def note_written() -> None:
    """The request wrote the log: its entries are sealed once it is answered."""
    if has_request_context():
        g.audit_written = True
