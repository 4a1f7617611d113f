"""Help requests from residents, their history, and each station's notice board."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.accounts.models import User
from casework.cases.models import Case
from casework.core.crypto import BLIND_INDEX_LENGTH, EncryptedText, blind_indexed
from casework.core.disclosure import personal_data
from casework.core.enums import LabelledEnum, enum_type
from casework.core.masking import mask_phone
from casework.core.models import TimestampMixin, utcnow
from casework.extensions import Base
from casework.orgs.models import Unit


class RequestCategory(LabelledEnum):
    LIVELIHOOD = "livelihood", _l("生活困难/救助")
    HEALTH = "health", _l("医疗卫生/心理")
    DISPUTE = "dispute", _l("矛盾纠纷/家庭暴力")
    EDUCATION = "education", _l("教育/青少年")
    OTHER = "other", _l("其他")


class Channel(LabelledEnum):
    WEB = "web", _l("网上")
    HOTLINE = "hotline", _l("热线")
    LETTER = "letter", _l("信件")
    WALK_IN = "walk_in", _l("来访")
    # A work order of the 12345 government service hotline (casework/hotline).
    HOTLINE_12345 = "hotline_12345", _l("12345 热线工单")


class ContactPreference(LabelledEnum):
    PHONE = "phone", _l("电话联系")
    SMS = "sms", _l("短信联系")
    VISIT = "visit", _l("到站面谈或上门")
    ONLINE_ONLY = "online_only", _l("不需要联系，我用查询码查看答复")


class RequestStatus(LabelledEnum):
    NEW = "new", _l("新提交")
    ACKNOWLEDGED = "acknowledged", _l("已受理")
    IN_PROGRESS = "in_progress", _l("处理中")
    ANSWERED = "answered", _l("已答复")
    REFERRED = "referred", _l("已转介")
    DECLINED = "declined", _l("不予受理")
    CONVERTED = "converted", _l("已转为个案")
    CLOSED = "closed", _l("已办结")


# Requests still waiting for the station: they count against the response-time limits.
OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.ACKNOWLEDGED, RequestStatus.IN_PROGRESS)
# Requests not yet ended (未办结): an answered request may still be assigned, referred or
# converted into a case until the station closes or declines it.
ACTIVE_STATUSES = (*OPEN_STATUSES, RequestStatus.ANSWERED)


class EventKind(LabelledEnum):
    SUBMITTED = "submitted", _l("提交求助")
    LOGGED = "logged", _l("登记求助")
    ACKNOWLEDGED = "acknowledged", _l("受理")
    ASSIGNED = "assigned", _l("分派")
    STARTED = "started", _l("开始处理")
    REPLY = "reply", _l("公开答复")
    NOTE = "note", _l("内部备注")
    REFERRED = "referred", _l("转介")
    DECLINED = "declined", _l("不予受理")
    CONVERTED = "converted", _l("转为个案")
    CLOSED = "closed", _l("办结")


class HelpRequest(TimestampMixin, Base):
    """A resident's request (求助/诉求), from the web form or logged by staff."""

    __tablename__ = "help_requests"
    __table_args__ = (
        Index("ix_help_requests_unit_status_submitted", "unit_id", "status", "submitted_at"),
        Index("ix_help_requests_unit_submitted", "unit_id", "submitted_at"),
        # The queue's category and channel filters, and answers counted per period.
        Index("ix_help_requests_unit_category_submitted", "unit_id", "category", "submitted_at"),
        Index("ix_help_requests_unit_channel_submitted", "unit_id", "channel", "submitted_at"),
        Index("ix_help_requests_unit_answered", "unit_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    channel: Mapped[Channel] = mapped_column(enum_type(Channel))
    category: Mapped[RequestCategory] = mapped_column(enum_type(RequestCategory))
    description: Mapped[str] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(EncryptedText("phone"))  # encrypted at rest
    phone_index: Mapped[str | None] = mapped_column(String(BLIND_INDEX_LENGTH), index=True)
    contact_preference: Mapped[ContactPreference] = mapped_column(enum_type(ContactPreference))
    consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[RequestStatus] = mapped_column(
        enum_type(RequestStatus), default=RequestStatus.NEW
    )
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    referral_agency: Mapped[str | None] = mapped_column(String(100))
    # When retention removed the caller's details and the text (casework/retention).
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A resident who chose SMS contact is texted when the station answers: "pending" until
    # sent ("sent"), or "failed" after the last try (casework/notifications/sms.py).
    sms_status: Mapped[str | None] = mapped_column(String(16), index=True)
    sms_attempts: Mapped[int] = mapped_column(default=0, server_default=text("0"))

    unit: Mapped[Unit] = relationship()
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    logged_by: Mapped[User | None] = relationship(foreign_keys=[logged_by_id])
    case: Mapped[Case | None] = relationship()
    events: Mapped[list[HelpRequestEvent]] = relationship(
        back_populates="request", order_by="HelpRequestEvent.id"
    )

    _blind_indexes = blind_indexed("phone")

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_open(self) -> bool:
        """Still waiting for the station: the response-time limits apply."""
        return self.status in OPEN_STATUSES

    @property
    def is_active(self) -> bool:
        """Not yet ended (未办结): it can still be assigned, referred or converted."""
        return self.status in ACTIVE_STATUSES

    def __repr__(self) -> str:
        return f"<HelpRequest {self.id} {self.status.value}>"


class HelpRequestEvent(Base):
    """One thing that happened to a request; public ones are shown to the resident."""

    __tablename__ = "help_request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    body: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(default=False)
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    request: Mapped[HelpRequest] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
    from_unit: Mapped[Unit | None] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Unit | None] = relationship(foreign_keys=[to_unit_id])


class StationProfile(TimestampMixin, Base):
    """A station's notice board (公示栏) and its response-time limits, kept by the head."""

    __tablename__ = "station_profiles"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    opening_hours: Mapped[str] = mapped_column(String(200), default="")
    hotline: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    services: Mapped[str] = mapped_column(Text, default="")
    # Working days (Monday to Friday) within which a request must be acknowledged / answered.
    acknowledge_within_days: Mapped[int] = mapped_column(default=1)
    answer_within_days: Mapped[int] = mapped_column(default=5)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship()


# Every request that shows one is audited (core/disclosure.py).
personal_data(HelpRequest)
