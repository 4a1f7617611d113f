"""The demo's notifications: what still waits is unread, the lived history is read."""

from __future__ import annotations

from sqlalchemy import select

from casework.accounts.models import User
from casework.cases.enums import CaseStatus
from casework.cases.models import Case
from casework.extensions import db
from casework.notifications.models import Notification
from tests.demo.conftest import Seeded


def _unread(username: str) -> list[Notification]:
    user = db.session.scalars(select(User).where(User.username == username)).one()
    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
    )


def test_head1_has_the_file_request_and_the_work_order_unread(seeded: Seeded) -> None:
    kinds = sorted(notification.kind for notification in _unread("head1"))
    assert kinds == ["file_request_received", "work_order_received"]


def test_the_tutors_unread_notifications_are_the_cases_waiting_for_review(
    seeded: Seeded,
) -> None:
    waiting = {
        f"/cases/{case.id}"
        for case in db.session.scalars(
            select(Case).where(
                Case.status.in_(
                    (CaseStatus.PLAN_PENDING_APPROVAL, CaseStatus.CLOSURE_PENDING_APPROVAL)
                )
            )
        )
    }
    assert waiting
    assert {notification.url for notification in _unread("tutor")} == waiting
