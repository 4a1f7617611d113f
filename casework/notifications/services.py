"""Notifying users, reading the inbox, and sending the emails users asked for.

``notify`` is called by the service where the thing happens (a plan returned, a transfer
proposed …), in the same transaction. Every notification lands in the inbox; one whose
kind the user chose for email waits as ``email_status = "pending"`` until ``send_emails``
(``flask casework send-notifications``, every minute from a timer) delivers it through
SMTP, outside the user's quiet hours.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from datetime import datetime, time
from email.message import EmailMessage
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from casework.accounts.models import User
from casework.core.clock import local_timezone
from casework.core.models import utcnow
from casework.extensions import db
from casework.notifications.models import Notification, NotificationSettings

# Every kind of notification, as the settings page offers them.
KINDS: dict[str, Any] = {
    "plan_submitted": _l("服务计划待审核"),
    "plan_returned": _l("服务计划被退回"),
    "closure_submitted": _l("结案申请待审核"),
    "closure_returned": _l("结案申请被退回"),
    "transfer_received": _l("个案转移待接收"),
    "referral_received": _l("收到转介"),
    "file_request_received": _l("收到档案请求"),
    "work_order_received": _l("收到 12345 工单"),
    "due_tomorrow": _l("明天到期的事项"),
    "overdue": _l("逾期事项"),
}
EMAIL_ATTEMPTS = 5


def notify(
    users: Iterable[User], kind: str, message: Any, url: str, case_id: int | None = None
) -> list[Notification]:
    """Tell each of ``users`` (once each, active accounts only); ``message`` (a lazy
    translation) is kept in each user's language. ``case_id``: the case it is about, whose
    number the inbox and the email show beside the message."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    made = []
    seen: set[int] = set()
    for user in users:
        if user.id in seen or not user.is_active:
            continue
        seen.add(user.id)
        settings = db.session.get(NotificationSettings, user.id)
        if settings is not None and kind in (settings.muted_kinds or []):
            continue
        wants_email = settings is not None and bool(settings.email) and kind in settings.email_kinds
        with force_locale(user.locale or "zh_CN"):
            text = str(message)
        notification = Notification(
            user_id=user.id,
            kind=kind,
            message=text[:300],
            url=url[:300],
            case_id=case_id,
            email_status="pending" if wants_email else None,
        )
        db.session.add(notification)
        made.append(notification)
    return made


def unread_count(user: User) -> int:
    return int(
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def inbox(user: User, limit: int = 100) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .options(selectinload(Notification.case))
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()


def mark_all_read(user: User) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


def settings_for(user: User) -> NotificationSettings:
    return db.session.get(NotificationSettings, user.id) or NotificationSettings(
        user_id=user.id, email_kinds=[], muted_kinds=[]
    )


def save_settings(
    *,
    user: User,
    email: str | None,
    email_kinds: list[str],
    quiet_from: time | None,
    quiet_until: time | None,
    wanted_kinds: list[str] | None = None,
) -> NotificationSettings:
    """``wanted_kinds``: the kinds the user wants at all (None: every kind)."""
    settings = settings_for(user)
    wanted = set(KINDS) if wanted_kinds is None else set(wanted_kinds)
    settings.muted_kinds = [kind for kind in KINDS if kind not in wanted]
    settings.email = (email or "").strip() or None
    settings.email_kinds = [kind for kind in email_kinds if kind in KINDS and kind in wanted]
    settings.quiet_from, settings.quiet_until = quiet_from, quiet_until
    db.session.add(settings)
    return settings


def is_quiet(settings: NotificationSettings, moment: datetime) -> bool:
    """Whether ``moment`` falls in the user's quiet hours (local time)."""
    start, end = settings.quiet_from, settings.quiet_until
    if start is None or end is None or start == end:
        return False
    local = moment.astimezone(local_timezone()).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def _message(user: User, settings: NotificationSettings, notification: Notification) -> Any:
    base = str(current_app.config.get("EXTERNAL_URL") or "").rstrip("/")
    with force_locale(user.locale or "zh_CN"):
        subject = f"[casework] {KINDS[notification.kind]}"
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = settings.email
    email["Subject"] = subject
    subject_of = f"{notification.case.number}：" if notification.case is not None else ""
    email.set_content(f"{subject_of}{notification.message}\n\n{base}{notification.url}\n")
    return email


def send_emails(now: datetime | None = None, limit: int = 200) -> tuple[int, int]:
    """Send the pending emails of users outside their quiet hours; (sent, not sent)."""
    now = now or utcnow()
    pending = db.session.scalars(
        select(Notification)
        .where(Notification.email_status == "pending")
        .order_by(Notification.id)
        .limit(limit)
    ).all()
    if not pending or not current_app.config["MAIL_SERVER"]:
        return 0, len(pending)
    sent = 0
    with _smtp() as smtp:
        for notification in pending:
            user = db.session.get(User, notification.user_id)
            settings = db.session.get(NotificationSettings, notification.user_id)
            if user is None or settings is None or not settings.email:
                notification.email_status = None
                continue
            if is_quiet(settings, now):
                continue
            try:
                smtp.send_message(_message(user, settings, notification))
            except smtplib.SMTPException:
                notification.email_attempts += 1
                if notification.email_attempts >= EMAIL_ATTEMPTS:
                    notification.email_status = "failed"
                continue
            notification.email_status = "sent"
            sent += 1
    db.session.commit()
    return sent, len(pending) - sent


def _smtp() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10)
    if config["MAIL_USE_TLS"]:
        smtp.starttls()
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return smtp
