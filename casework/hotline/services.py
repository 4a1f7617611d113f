"""Connecting a system, receiving its work orders, and reporting back.

A work order becomes a help request in the target station's queue (channel 12345, the
caller's words and number as the hotline took them). Its acceptance is reported at once;
every later answer, referral, refusal, conversion to a case and the closing (办结) is
reported as it is recorded (``register_callback_events`` watches the request's events).
Reports wait in ``work_order_callbacks`` and are delivered by ``deliver_due`` (``flask
casework deliver-callbacks``, every minute from a timer): a JSON POST signed with
HMAC-SHA256 over the timestamp and body, retried with growing pauses until a 2xx, every
attempt logged; after the last pause it is given up and shows as failed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from casework.accounts.queries import heads_of
from casework.accounts.services import token_digest
from casework.core import audit
from casework.core.models import utcnow
from casework.core.rules import RuleError
from casework.extensions import db
from casework.helpdesk import services as helpdesk
from casework.helpdesk.models import (
    ContactPreference,
    EventKind,
    HelpRequest,
    HelpRequestEvent,
    RequestCategory,
)
from casework.hotline.models import (
    CallbackAttempt,
    CallbackStatus,
    ConnectedSystem,
    WorkOrder,
    WorkOrderCallback,
)
from casework.notifications.services import notify
from casework.orgs.models import Unit, UnitKind

TOKEN_PREFIX = "cws_"  # noqa: S105  (the mark of a service token, not a secret)
# Pauses before each retry: 1 min, 5 min, 30 min, 2 h, 12 h; then the report is given up.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
TIMEOUT_SECONDS = 10
# Events of the request that the system is told about, by the name the report carries.
REPORTED_EVENTS = {
    EventKind.REPLY: "answered",
    EventKind.REFERRED: "referred",
    EventKind.DECLINED: "declined",
    EventKind.CONVERTED: "converted_to_case",
    EventKind.CLOSED: "closed",
}
SIGNATURE_HEADER = "X-Casework-Signature"
TIMESTAMP_HEADER = "X-Casework-Timestamp"


class WorkOrderError(RuleError):
    MESSAGES: ClassVar[dict[str, Any]] = {
        "community": _l("没有这个社区站点，或它不在本系统可派单的范围内"),
        "content": _l("请填写工单内容"),
    }

    def __init__(self, code: str) -> None:
        super().__init__(self.MESSAGES[code], code=code)


@dataclass(frozen=True)
class Connection:
    system: ConnectedSystem
    token: str
    callback_secret: str


def connect_system(*, name: str, unit: Unit, callback_url: str | None) -> Connection:
    """A new connected system; its token and callback key are handed over once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    callback_secret = secrets.token_urlsafe(32)
    system = ConnectedSystem(
        name=name.strip()[:64],
        unit_id=unit.id,
        token_hash=token_digest(token),
        prefix=token[:10],
        callback_url=(callback_url or "").strip() or None,
        callback_secret=callback_secret,
    )
    db.session.add(system)
    db.session.flush()
    audit.record("connected_system.create", system, unit_id=unit.id)
    return Connection(system, token, callback_secret)


def system_for(token: str) -> ConnectedSystem | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    system = db.session.scalar(
        select(ConnectedSystem).where(ConnectedSystem.token_hash == token_digest(token))
    )
    return system if system is not None and system.is_active else None


@dataclass(frozen=True)
class OrderDetails:
    order_number: str
    community: str  # the station's unit code
    category: RequestCategory
    content: str
    caller_name: str | None
    caller_phone: str | None
    deadline: datetime | None


def receive(*, system: ConnectedSystem, details: OrderDetails) -> tuple[WorkOrder, bool]:
    """The work order as a help request in the station's queue, and whether it is new: the
    same order number again (a retry) answers the order already received."""
    existing = db.session.scalar(
        select(WorkOrder).where(
            WorkOrder.system_id == system.id, WorkOrder.order_number == details.order_number
        )
    )
    if existing is not None:
        return existing, False
    if not details.content.strip():
        raise WorkOrderError("content")
    station = db.session.scalar(
        select(Unit).where(
            Unit.code == details.community,
            Unit.kind == UnitKind.STATION,
            Unit.is_active.is_(True),
            Unit.path.startswith(system.unit.path, autoescape=True),
        )
    )
    if station is None:
        raise WorkOrderError("community")
    request = helpdesk.receive_work_order(
        unit=station,
        details=helpdesk.RequestDetails(
            category=details.category,
            description=details.content,
            name=details.caller_name,
            phone=details.caller_phone,
            contact_preference=ContactPreference.PHONE
            if details.caller_phone
            else ContactPreference.ONLINE_ONLY,
        ),
    )
    order = WorkOrder(
        system_id=system.id,
        order_number=details.order_number,
        help_request_id=request.id,
        # In UTC, as every moment is stored (SQLite would keep the wall time and drop the
        # offset).
        deadline=details.deadline.astimezone(UTC) if details.deadline else None,
    )
    db.session.add(order)
    db.session.flush()
    _queue(order, "accepted", request, body="")
    notify(
        heads_of(station.id),
        "work_order_received",
        _l("收到 12345 工单 %(number)s，请受理。", number=details.order_number),
        f"/requests/{request.id}",
    )
    audit.record(
        "work_order.receive",
        request,
        unit_id=station.id,
        details={"system": system.id, "order_number": details.order_number},
    )
    return order, True


def _queue(order: WorkOrder, name: str, request: HelpRequest, body: str) -> None:
    db.session.add(
        WorkOrderCallback(
            work_order_id=order.id,
            event=name,
            payload={
                "order_number": order.order_number,
                "event": name,
                "status": request.status.value,
                "tracking_code": request.tracking_code,
                "station": request.unit.code if request.unit else None,
                # Only what the resident reads on the status page: the public answer.
                "message": body,
                "at": utcnow().isoformat(),
            },
        )
    )


def _report_events(session: Session, _context: Any, _instances: Any) -> None:
    """Queue a report for each reported event of a work order's request in this flush."""
    events = [
        item
        for item in session.new
        if isinstance(item, HelpRequestEvent) and item.kind in REPORTED_EVENTS
    ]
    if not events:
        return
    with session.no_autoflush:
        for item in events:
            request = item.request
            order = session.scalar(select(WorkOrder).where(WorkOrder.help_request_id == request.id))
            if order is not None:
                _queue(
                    order, REPORTED_EVENTS[item.kind], request, item.body if item.is_public else ""
                )


def register_callback_events() -> None:
    """Watch every flush for events of work orders' requests (idempotent)."""
    if not event.contains(Session, "before_flush", _report_events):
        event.listen(Session, "before_flush", _report_events)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, timestamp + "." + body)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError("a callback address must be http or https")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        # Only http and https reach here (checked above): no file: or custom schemes.
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  # nosec B310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def deliver(callback: WorkOrderCallback, now: datetime) -> bool:
    """One attempt; the outcome and the next attempt (or giving up) are recorded."""
    system = callback.work_order.system
    body = json.dumps(callback.payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(now.timestamp()))
    started = time.monotonic()
    status_code: int | None = None
    error: str | None = None
    if not system.callback_url:
        error = "no callback URL configured"
    else:
        try:
            status_code = _post(
                system.callback_url,
                body,
                {
                    "Content-Type": "application/json; charset=utf-8",
                    TIMESTAMP_HEADER: timestamp,
                    SIGNATURE_HEADER: signature(system.callback_secret, timestamp, body),
                },
            )
        except (OSError, ValueError) as failure:
            error = f"{type(failure).__name__}: {failure}"[:500]
    delivered = status_code is not None and 200 <= status_code < 300
    db.session.add(
        CallbackAttempt(
            callback_id=callback.id,
            at=now,
            status_code=status_code,
            error=error if not delivered else None,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    )
    callback.attempts += 1
    if delivered:
        callback.status = CallbackStatus.DELIVERED
        callback.delivered_at = now
    elif callback.attempts > len(BACKOFF):
        callback.status = CallbackStatus.FAILED
    else:
        callback.next_attempt_at = now + BACKOFF[callback.attempts - 1]
    return delivered


def deliver_due(now: datetime | None = None, limit: int = 200) -> tuple[int, int]:
    """Attempt every report that is due, oldest first; (delivered, not delivered)."""
    now = now or utcnow()
    due = db.session.scalars(
        select(WorkOrderCallback)
        .where(
            WorkOrderCallback.status == CallbackStatus.PENDING,
            WorkOrderCallback.next_attempt_at <= now,
        )
        .order_by(WorkOrderCallback.id)
        .limit(limit)
    ).all()
    delivered = 0
    for callback in due:
        # Reports of one order go out in order: a later one waits for an earlier one.
        earlier = db.session.scalar(
            select(WorkOrderCallback.id).where(
                WorkOrderCallback.work_order_id == callback.work_order_id,
                WorkOrderCallback.id < callback.id,
                WorkOrderCallback.status == CallbackStatus.PENDING,
            )
        )
        if earlier is not None:
            continue
        delivered += deliver(callback, now)
        db.session.commit()
    return delivered, len(due) - delivered
