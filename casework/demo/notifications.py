"""The demo's notifications: its history was lived through, so most are read."""

from __future__ import annotations

from sqlalchemy import select

from casework.cases.enums import CaseStatus
from casework.cases.models import Case
from casework.extensions import db
from casework.notifications.models import Notification


def settle_notifications() -> None:
    """The demo's history was lived through: its notifications are read, but for what still
    waits for someone (a plan or closure to review, a transfer, a file request, a work
    order)."""
    db.session.flush()
    waiting = {
        "plan_submitted": CaseStatus.PLAN_PENDING_APPROVAL,
        "closure_submitted": CaseStatus.CLOSURE_PENDING_APPROVAL,
    }
    pending_cases = {
        kind: {
            f"/cases/{case_id}"
            for case_id in db.session.scalars(select(Case.id).where(Case.status == status))
        }
        for kind, status in waiting.items()
    }
    still_open = ("transfer_received", "file_request_received", "work_order_received")
    for notification in db.session.scalars(select(Notification)):
        if notification.kind in still_open:
            continue
        if notification.url in pending_cases.get(notification.kind, set()):
            continue
        notification.read_at = notification.created_at
