"""What the personal-data view audit recorded, for tests of the pages that show people."""

from __future__ import annotations

from sqlalchemy import select

from casework.core.audit import AuditEntry
from casework.core.disclosure import ACTION, AuditDisclosure
from casework.extensions import db


def shown_to(actor_id: int) -> list[tuple[str, int, int | None]]:
    """Every record shown to ``actor_id``, with the unit of the entry that lists it, in order."""
    db.session.expire_all()
    rows = db.session.execute(
        select(AuditDisclosure.object_type, AuditDisclosure.object_id, AuditEntry.unit_id)
        .join(AuditEntry, AuditEntry.id == AuditDisclosure.entry_id)
        .where(AuditEntry.action == ACTION, AuditEntry.actor_id == actor_id)
        .order_by(AuditEntry.id)
    )
    return [(object_type, object_id, unit_id) for object_type, object_id, unit_id in rows]
