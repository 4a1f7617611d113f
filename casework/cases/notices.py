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
from sqlalchemy.orm import selectinload

from casework.cases.enums import ReferralOutcome
from casework.cases.models import Case, Referral
from casework.cases.queries import FOLLOW_UP_STATUSES, PLAN_REVIEW_STATUSES
from casework.core.clock import local_timezone
from casework.extensions import db
from casework.notifications.models import Notification
from casework.notifications.services import notify

Told = set[tuple[int, str, str]]


def _told_today(today: date) -> Told:
    """(user, kind, link) of the notices already sent today, read once."""
    # In UTC, as the column is stored (SQLite keeps no offset).
    start = datetime.combine(today, time(), tzinfo=local_timezone()).astimezone(UTC)
    rows = db.session.execute(
        select(Notification.user_id, Notification.kind, Notification.url).where(
            Notification.kind.in_(("due_tomorrow", "overdue")), Notification.created_at >= start
        )
    )
    return {(user_id, kind, url) for user_id, kind, url in rows}


def _tell(told: Told, case: Case, kind: str, message: Any, url: str) -> int:
    if (case.worker_id, kind, url) in told:
        return 0
    told.add((case.worker_id, kind, url))
    return len(notify([case.worker], kind, message, url, case_id=case.id))


def notify_due(today: date) -> int:
    """Send today's notices; how many were sent."""
    tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
    told = _told_today(today)
    sent = 0
    with_worker = selectinload(Case.worker)
    reviews = select(Case).where(Case.status.in_(PLAN_REVIEW_STATUSES)).options(with_worker)
    follow_ups = select(Case).where(Case.status.in_(FOLLOW_UP_STATUSES)).options(with_worker)
    notices = (
        (
            reviews.where(Case.plan_review_due == tomorrow),
            "due_tomorrow",
            _l("服务计划明天需要检讨。"),
        ),
        (follow_ups.where(Case.follow_up_due == tomorrow), "due_tomorrow", _l("明天需要回访。")),
        (reviews.where(Case.plan_review_due == yesterday), "overdue", _l("服务计划检讨已逾期。")),
        (follow_ups.where(Case.follow_up_due == yesterday), "overdue", _l("回访已逾期。")),
    )
    for query, kind, message in notices:
        for case in db.session.scalars(query):
            sent += _tell(told, case, kind, message, f"/cases/{case.id}")
    late_referrals = (
        select(Referral)
        .where(Referral.outcome == ReferralOutcome.PENDING, Referral.due_on == yesterday)
        .options(selectinload(Referral.case).selectinload(Case.worker))
    )
    for referral in db.session.scalars(late_referrals):
        url = f"/cases/{referral.case_id}#referral-{referral.id}"
        sent += _tell(told, referral.case, "overdue", _l("转介对方逾期未答复。"), url)
    return sent
