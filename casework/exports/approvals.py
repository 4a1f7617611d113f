"""The two-person rule for bulk exports with full identifiers (ASVS 2.3.5).

A file with full ID and phone numbers of more than ``EXPORT_APPROVAL_THRESHOLD`` people
needs a second authorised person's approval: the station head for a social worker's request,
another of the unit's front-line staff for the head's own (or where the unit has no head).
The approved file can be built and downloaded once, by the requester, within
``EXPORT_APPROVAL_HOURS``; every step is audited. Masked exports stay one click.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from casework.accounts.models import Role, User
from casework.core import audit
from casework.core.models import as_utc, utcnow
from casework.core.rules import RuleError
from casework.exports.models import ApprovalStatus, ExportApproval
from casework.extensions import db
from casework.people.permissions import may_export_full_identifiers


class ApprovalError(RuleError):
    MESSAGES: ClassVar[dict[str, Any]] = {
        "not_pending": _l("该申请已处理。"),
        "not_ready": _l("该导出尚未批准，或已下载、已过期。"),
        "note_required": _l("请说明不批准的原因"),
    }

    def __init__(self, code: str) -> None:
        super().__init__(self.MESSAGES[code], code=code)


def needs_approval(row_count: int) -> bool:
    return row_count > int(current_app.config["EXPORT_APPROVAL_THRESHOLD"])


def is_expired(approval: ExportApproval) -> bool:
    return approval.expires_at is not None and as_utc(approval.expires_at) <= utcnow()


def is_ready(approval: ExportApproval) -> bool:
    """Approved, in time, and not downloaded yet."""
    return approval.status is ApprovalStatus.APPROVED and not is_expired(approval)


# --- who may do what -------------------------------------------------------------------------


def _unit_has_head(unit_id: int, other_than: int) -> bool:
    return (
        db.session.scalar(
            select(User.id)
            .where(
                User.unit_id == unit_id,
                User.role == Role.STATION_HEAD,
                User.is_active.is_(True),
                User.is_pending_confirmation.is_(False),
                User.id != other_than,
            )
            .limit(1)
        )
        is not None
    )


def can_approve(actor: User, approval: ExportApproval) -> bool:
    """A second person who may see the same numbers: never the requester."""
    if actor.id == approval.requested_by_id or actor.unit_id != approval.unit_id:
        return False
    if not may_export_full_identifiers(actor):
        return False
    if actor.role is Role.STATION_HEAD:
        return True
    requester_is_head = approval.requested_by.role is Role.STATION_HEAD
    return requester_is_head or not _unit_has_head(approval.unit_id, approval.requested_by_id)


def approvals_visible_to(user: User) -> Select[ExportApproval]:
    """The requests of ``user``'s own unit, for its front-line staff; none for anyone else."""
    query = select(ExportApproval)
    if not may_export_full_identifiers(user):
        return query.where(ExportApproval.id.is_(None))
    return query.where(ExportApproval.unit_id == user.unit_id)


def waiting_for(user: User) -> list[ExportApproval]:
    """Pending requests ``user`` may decide, oldest first (the head's home page)."""
    pending = db.session.scalars(
        approvals_visible_to(user)
        .options(selectinload(ExportApproval.requested_by))
        .where(ExportApproval.status == ApprovalStatus.PENDING)
        .order_by(ExportApproval.requested_at)
    )
    return [approval for approval in pending if can_approve(user, approval)]


# --- the steps ------------------------------------------------------------------------------


def request_approval(
    *, actor: User, kind: str, reason: str, file_format: str, criteria: dict[str, Any], rows: int
) -> ExportApproval:
    approval = ExportApproval(
        kind=kind,
        unit_id=actor.unit_id,
        requested_by_id=actor.id,
        reason=reason,
        file_format=file_format,
        criteria=criteria,
        row_count=rows,
    )
    db.session.add(approval)
    db.session.flush()
    audit.record(
        "export.approval_requested",
        approval,
        actor_id=actor.id,
        details={"kind": kind, "rows": rows, "reason": reason},
    )
    return approval


def approve(*, actor: User, approval: ExportApproval) -> None:
    if approval.status is not ApprovalStatus.PENDING:
        raise ApprovalError("not_pending")
    approval.status = ApprovalStatus.APPROVED
    approval.decided_by_id = actor.id
    approval.decided_at = utcnow()
    approval.expires_at = utcnow() + timedelta(hours=current_app.config["EXPORT_APPROVAL_HOURS"])
    audit.record("export.approved", approval, actor_id=actor.id, details={"kind": approval.kind})


def reject(*, actor: User, approval: ExportApproval, note: str) -> None:
    if approval.status is not ApprovalStatus.PENDING:
        raise ApprovalError("not_pending")
    if not note.strip():
        raise ApprovalError("note_required")
    approval.status = ApprovalStatus.REJECTED
    approval.decided_by_id = actor.id
    approval.decided_at = utcnow()
    approval.decision_note = note.strip()
    audit.record("export.rejected", approval, actor_id=actor.id, details={"kind": approval.kind})


def withdraw(*, actor: User, approval: ExportApproval) -> None:
    if approval.status not in (ApprovalStatus.PENDING, ApprovalStatus.APPROVED):
        raise ApprovalError("not_pending")
    approval.status = ApprovalStatus.WITHDRAWN
    audit.record("export.withdrawn", approval, actor_id=actor.id, details={"kind": approval.kind})


def mark_downloaded(approval: ExportApproval) -> None:
    """The one download: after it, the approval is spent."""
    if not is_ready(approval):
        raise ApprovalError("not_ready")
    approval.status = ApprovalStatus.DOWNLOADED
    approval.downloaded_at = utcnow()
