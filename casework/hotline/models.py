"""Connected systems, their work orders, and the callbacks that report back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.crypto import EncryptedText
from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import utcnow
from casework.extensions import Base
from casework.helpdesk.models import HelpRequest
from casework.orgs.models import Unit


class ConnectedSystem(Base):
    """A system that dispatches work orders (the city's 12345 platform …) to the stations
    under ``unit``: its service token (a hash only) and where results are reported."""

    __tablename__ = "connected_systems"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    # Work orders may target the stations in this unit's subtree only.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    callback_url: Mapped[str | None] = mapped_column(String(500))
    # The HMAC key of the callbacks' signatures, encrypted at rest.
    callback_secret: Mapped[str] = mapped_column(EncryptedText("callback_secret"))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    unit: Mapped[Unit] = relationship()

    def __repr__(self) -> str:
        return f"<ConnectedSystem {self.id} {self.name}>"


class WorkOrder(Base):
    """A work order received from a connected system, as a help request in a station's
    queue (channel 12345)."""

    __tablename__ = "work_orders"
    __table_args__ = (UniqueConstraint("system_id", "order_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("connected_systems.id"))
    order_number: Mapped[str] = mapped_column(String(64))
    help_request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), unique=True
    )
    # The system's deadline for the result (办结时限).
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    system: Mapped[ConnectedSystem] = relationship()
    help_request: Mapped[HelpRequest] = relationship()


class CallbackStatus(LabelledEnum):
    PENDING = "pending", _l("待发送")
    DELIVERED = "delivered", _l("已送达")
    FAILED = "failed", _l("发送失败")


class WorkOrderCallback(Base):
    """One report to the system (acceptance, an answer, the closing): sent until the
    system acknowledges it with a 2xx, with growing pauses, then given up."""

    __tablename__ = "work_order_callbacks"
    __table_args__ = (Index("ix_work_order_callbacks_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(
        ForeignKey("work_orders.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[CallbackStatus] = mapped_column(
        enum_type(CallbackStatus), default=CallbackStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    work_order: Mapped[WorkOrder] = relationship()


class CallbackAttempt(Base):
    """Every attempt to deliver a callback: when, what came back, how long it took."""

    __tablename__ = "callback_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    callback_id: Mapped[int] = mapped_column(
        ForeignKey("work_order_callbacks.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(default=0)
