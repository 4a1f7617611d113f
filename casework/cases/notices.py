"""The daily notices of what falls due (``flask casework notify-due``, each morning).

Each worker hears once, on the day before, of a plan review or follow-up due tomorrow, and
once, on the first day it is late, of one now overdue and of a referral the receiving
unit has not answered by its due date. Running the command twice a day tells nobody twice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.accounts.models import User
from casework.cases.enums import ReferralOutcome
from casework.cases.models import Case, Referral
from casework.cases.queries import FOLLOW_UP_STATUSES, PLAN_REVIEW_STATUSES
from casework.core.clock import local_timezone
from casework.extensions import db
from casework.notifications.models import Notification
from casework.notifications.services import notify


def _told_today(user: User, kind: str, url: str, today: date) -> bool:
    # In UTC, as the column is stored (SQLite keeps no offset).
    start = datetime.combine(today, time(), tzinfo=local_timezone()).astimezone(UTC)
    return (
        db.session.scalar(
            select(Notification.id).where(
                Notification.user_id == user.id,
                Notification.kind == kind,
                Notification.url == url,
                Notification.created_at >= start,
            )
        )
        is not None
    )


def _tell(case: Case, kind: str, message: Any, url: str, today: date) -> int:
    if _told_today(case.worker, kind, url, today):
        return 0
    return len(notify([case.worker], kind, message, url, case_id=case.id))


def notify_due(today: date) -> int:
    """Send today's notices; how many were sent."""
    tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
    sent = 0
    reviews = select(Case).where(Case.status.in_(PLAN_REVIEW_STATUSES))
    follow_ups = select(Case).where(Case.status.in_(FOLLOW_UP_STATUSES))
    for case in db.session.scalars(reviews.where(Case.plan_review_due == tomorrow)):
        message = _l("服务计划明天需要检讨。")
        sent += _tell(case, "due_tomorrow", message, f"/cases/{case.id}", today)
    for case in db.session.scalars(follow_ups.where(Case.follow_up_due == tomorrow)):
        message = _l("明天需要回访。")
        sent += _tell(case, "due_tomorrow", message, f"/cases/{case.id}", today)
    for case in db.session.scalars(reviews.where(Case.plan_review_due == yesterday)):
        message = _l("服务计划检讨已逾期。")
        sent += _tell(case, "overdue", message, f"/cases/{case.id}", today)
    for case in db.session.scalars(follow_ups.where(Case.follow_up_due == yesterday)):
        message = _l("回访已逾期。")
        sent += _tell(case, "overdue", message, f"/cases/{case.id}", today)
    late_referrals = select(Referral).where(
        Referral.outcome == ReferralOutcome.PENDING, Referral.due_on == yesterday
    )
    for referral in db.session.scalars(late_referrals):
        case = referral.case
        message = _l("转介对方逾期未答复。")
        url = f"/cases/{case.id}#referral-{referral.id}"
        sent += _tell(case, "overdue", message, url, today)
    return sent
