"""Who saw whose personal data: one mechanism for every page, PDF, export and search.

A model that holds a resident's or a worker's identifying data is registered with
``personal_data``. Whenever a request loads such a row from the database, the row is noted;
when the request has answered a signed-in user with something they can read (a page, a
re-shown form, a download), one ``personal_data.view`` audit entry per unit is written, with
an ``AuditDisclosure`` row for every record it showed. No view has to remember to call
anything, so a new page is audited from its first day.

A row loaded but not shown (a redirect after a change, a 403 or 404) leaves no entry: the
answer carried none of it. The entries hold ids only, never the data itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import ForeignKey, Index, String, event, insert
from sqlalchemy.orm import Mapped, mapped_column

from casework.core import audit
from casework.core.audit import AuditEntry
from casework.core.models import utcnow
from casework.extensions import Base, db

ACTION = "personal_data.view"


class AuditDisclosure(Base):
    """One record shown by the request an audit entry describes."""

    __tablename__ = "audit_disclosures"
    __table_args__ = (Index("ix_audit_disclosures_object", "object_type", "object_id"),)

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("audit_entries.id", ondelete="CASCADE"), primary_key=True
    )
    object_type: Mapped[str] = mapped_column(String(64), primary_key=True)
    object_id: Mapped[int] = mapped_column(primary_key=True)


@dataclass(frozen=True)
class _Kind:
    table: str
    # A row its reader need not be audited for seeing (a worker's own personnel file).
    is_own: Callable[[Any, Any], bool]
    # The column naming the unit whose data the row is (whose audit log lists the view).
    unit_column: str


_KINDS: dict[type, _Kind] = {}


def _never(_row: Any, _user: Any) -> bool:
    return False


def personal_data(
    model: type, *, is_own: Callable[[Any, Any], bool] = _never, unit_column: str = "unit_id"
) -> None:
    """Audit every request that shows rows of ``model`` (which has ``id`` and the unit in
    ``unit_column``)."""
    _KINDS[model] = _Kind(model.__tablename__, is_own, unit_column)  # type: ignore[attr-defined]
    event.listen(model, "load", _note_load)


def _note_load(row: Any, _context: Any) -> None:
    if not has_request_context():
        return
    kind = _KINDS[type(row)]
    seen: dict[tuple[str, int], tuple[Any, int | None]] = g.setdefault("personal_data_seen", {})
    # From the loaded state, so that a query which deferred a column does not load it here.
    loaded = row.__dict__
    seen.setdefault((kind.table, loaded["id"]), (row, loaded.get(kind.unit_column)))


def _shows_content(response: Response) -> bool:
    """A page, a download or a form shown again; not a redirect or an error page."""
    return 200 <= response.status_code < 300 or response.status_code == 422


def _record_disclosures(response: Response) -> Response:
    seen: dict[tuple[str, int], tuple[Any, int | None]] | None = g.pop("personal_data_seen", None)
    if not seen or not _shows_content(response) or not current_user.is_authenticated:
        return response
    by_unit: dict[int | None, list[tuple[str, int]]] = {}
    for (table, object_id), (row, unit_id) in seen.items():
        if _KINDS[type(row)].is_own(row, current_user):
            continue
        by_unit.setdefault(unit_id, []).append((table, object_id))
    if by_unit:
        _write(by_unit)
    return response


def _details(count: int) -> dict[str, Any]:
    """The page (endpoint) that showed the records; for an API call, also its token."""
    details: dict[str, Any] = {"endpoint": request.endpoint, "count": count}
    if "api_token_id" in g:
        details["api_token"] = g.api_token_id
    return details


def _write(by_unit: dict[int | None, list[tuple[str, int]]]) -> None:
    """In a connection of its own, so the entries stand whatever the request's session did;
    two statements however many units and records the response showed."""
    units = list(by_unit.items())
    audit.note_written()
    with db.engine.begin() as connection:
        # One entry per unit, so the unit tells which id is whose (a batch may come back in
        # any order).
        entry_of_unit = {
            unit_id: entry_id
            for entry_id, unit_id in connection.execute(
                insert(AuditEntry).returning(AuditEntry.id, AuditEntry.unit_id),
                [
                    {
                        "at": utcnow(),
                        "actor_id": int(current_user.id),
                        "action": ACTION,
                        "object_type": shown[0][0],
                        "object_id": shown[0][1],
                        "unit_id": unit_id,
                        "ip_address": request.remote_addr,
                        "details": _details(len(shown)),
                    }
                    for unit_id, shown in units
                ],
            )
        }
        connection.execute(
            insert(AuditDisclosure),
            [
                {
                    "entry_id": entry_of_unit[unit_id],
                    "object_type": object_type,
                    "object_id": object_id,
                }
                for unit_id, shown in units
                for object_type, object_id in shown
            ],
        )


def register_disclosure_audit(app: Flask) -> None:
    app.after_request(_record_disclosures)
