"""The search index: one row per indexed person, case or record (derived data)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from casework.core.models import utcnow
from casework.extensions import Base


class SearchDocument(Base):
    """Tokens of one entity's searchable text, with what scoping needs.

    ``kind`` is the entity's table name. No foreign keys: the index is rebuilt from the
    source tables at will, and results are always re-read through the visibility queries.
    """

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "entity_id", name="uq_search_documents_kind_entity_id"),
        Index("ix_search_documents_case_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int]
    unit_id: Mapped[int]
    case_id: Mapped[int | None]
    person_id: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    tokens: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<SearchDocument {self.kind}:{self.entity_id}>"
