"""Service users, their household members and vulnerable-group tags."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Column, Date, DateTime, ForeignKey, Index, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.accounts.models import User
from casework.core.crypto import BLIND_INDEX_LENGTH, EncryptedText, blind_indexed
from casework.core.disclosure import personal_data
from casework.core.enums import LabelledEnum, enum_type
from casework.core.masking import mask_id_number, mask_phone
from casework.core.models import TimestampMixin, utcnow
from casework.extensions import Base
from casework.orgs.models import Unit


class Gender(LabelledEnum):
    MALE = "male", _l("男")
    FEMALE = "female", _l("女")


class ConsentBasis(LabelledEnum):
    WRITTEN = "written", _l("本人书面同意")
    ORAL_RECORDED = "oral_recorded", _l("本人口头同意（已记录）")
    GUARDIAN = "guardian", _l("监护人同意")
    LEGAL_DUTY = "legal_duty", _l("履行法定职责所必需")
    EMERGENCY = "emergency", _l("紧急情况下保护生命健康所必需")


service_user_tags = Table(
    "service_user_tags",
    Base.metadata,
    Column("service_user_id", ForeignKey("service_users.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("vulnerability_tags.id", ondelete="CASCADE"), primary_key=True),
)


class VulnerabilityTag(TimestampMixin, Base):
    """Reference data (低保, 特困, 残疾 …) that an administrator can extend."""

    __tablename__ = "vulnerability_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<VulnerabilityTag {self.name}>"


# One person, one file: an ID number belongs to one current record in the whole
# organisation. Records merged into another, and records registered twice before the rule
# (marked ``id_number_conflict`` until an administrator merges them or a worker corrects the
# number), stand outside it.
_HOLDS_ID_NUMBER = "merged_into_id IS NULL AND id_number_conflict = false"


class ServiceUser(TimestampMixin, Base):
    __tablename__ = "service_users"
    __table_args__ = (
        Index("ix_service_users_unit_name", "unit_id", "name"),
        Index(
            "uq_service_users_id_number",
            "id_number_index",
            unique=True,
            sqlite_where=text(_HOLDS_ID_NUMBER),
            postgresql_where=text(_HOLDS_ID_NUMBER),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    gender: Mapped[Gender | None] = mapped_column(enum_type(Gender))
    birth_date: Mapped[date | None] = mapped_column(Date)
    # Encrypted at rest (core.crypto); found by value through the blind indexes.
    id_number: Mapped[str | None] = mapped_column(EncryptedText("id_number"))
    phone: Mapped[str | None] = mapped_column(EncryptedText("phone"))
    # Deferred: lists never show it, so they do not decrypt it either.
    address: Mapped[str | None] = mapped_column(EncryptedText("address"), deferred=True)
    id_number_index: Mapped[str | None] = mapped_column(String(BLIND_INDEX_LENGTH), index=True)
    phone_index: Mapped[str | None] = mapped_column(String(BLIND_INDEX_LENGTH), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    consent_given_on: Mapped[date | None] = mapped_column(Date)
    consent_basis: Mapped[ConsentBasis | None] = mapped_column(enum_type(ConsentBasis))
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The person withdrew consent (a rights request): no consent-based processing from then
    # on (groups, community activities); casework under a legal duty goes on.
    consent_withdrawn_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Archived records are out of every list and page: today, those merged into another.
    is_archived: Mapped[bool] = mapped_column(default=False)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("service_users.id"))
    id_number_conflict: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    # Retention (casework/retention): a legal hold keeps the person's data past the
    # retention period (a dispute, a court case); anonymised_at marks what was removed.
    legal_hold: Mapped[bool] = mapped_column(default=False)
    legal_hold_reason: Mapped[str | None] = mapped_column(String(200))
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    unit: Mapped[Unit] = relationship()
    tags: Mapped[list[VulnerabilityTag]] = relationship(
        secondary=service_user_tags, order_by="VulnerabilityTag.position"
    )
    household: Mapped[list[HouseholdMember]] = relationship(
        back_populates="service_user", order_by="HouseholdMember.id"
    )
    consent_recorded_by: Mapped[User | None] = relationship(foreign_keys=[consent_recorded_by_id])

    _blind_indexes = blind_indexed("id_number", "phone")

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def has_consent(self) -> bool:
        return self.consent_given_on is not None and self.consent_basis is not None

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def __repr__(self) -> str:
        return f"<ServiceUser {self.id}>"


class HouseholdMember(TimestampMixin, Base):
    __tablename__ = "household_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_user_id: Mapped[int] = mapped_column(
        ForeignKey("service_users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(64))
    relationship_to_user: Mapped[str] = mapped_column(String(32))
    birth_year: Mapped[int | None]
    lives_together: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str | None] = mapped_column(String(200))

    service_user: Mapped[ServiceUser] = relationship(back_populates="household")

    def __repr__(self) -> str:
        return f"<HouseholdMember {self.id} of {self.service_user_id}>"


class Household(TimestampMixin, Base):
    """户档: a household of the unit, with its address and the service users living in it."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(EncryptedText("address"))
    notes: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship()
    members: Mapped[list[HouseholdPerson]] = relationship(
        back_populates="household", order_by="HouseholdPerson.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Household {self.id}>"


class HouseholdPerson(Base):
    """A service user's place in a household (one household per person)."""

    __tablename__ = "household_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True
    )
    service_user_id: Mapped[int] = mapped_column(ForeignKey("service_users.id"), unique=True)
    relationship_to_head: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    household: Mapped[Household] = relationship(back_populates="members")
    person: Mapped[ServiceUser] = relationship()

    def __repr__(self) -> str:
        return f"<HouseholdPerson {self.service_user_id} in {self.household_id}>"


class PersonMerge(Base):
    """An administrator's merge of a duplicate record (``source``) into the one kept
    (``target``): which rows moved, so that it can be undone within the undo period."""

    __tablename__ = "person_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("service_users.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("service_users.id"), index=True)
    merged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    merged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(String(200))
    # {"cases": [ids], "attachments": [...], ...}: the rows that moved, by table.
    moved: Mapped[dict[str, list[int]]] = mapped_column(JSON)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    target: Mapped[ServiceUser] = relationship(foreign_keys=[target_id])
    source: Mapped[ServiceUser] = relationship(foreign_keys=[source_id])
    merged_by: Mapped[User] = relationship(foreign_keys=[merged_by_id])

    def __repr__(self) -> str:
        return f"<PersonMerge {self.source_id} into {self.target_id}>"


class FileRequestKind(LabelledEnum):
    # The requesting unit may see the person's file and open its own cases for them.
    ACCESS = "access", _l("查阅并服务")
    # The person's file moves to the requesting unit (调档).
    TRANSFER = "transfer", _l("调档")


class FileRequestStatus(LabelledEnum):
    PENDING = "pending", _l("待答复")
    GRANTED = "granted", _l("已同意")
    DECLINED = "declined", _l("已拒绝")
    WITHDRAWN = "withdrawn", _l("已撤回")
    REVOKED = "revoked", _l("已收回")


class FileRequest(Base):
    """A unit asking the unit that holds a person's file for access to it, or for the file
    itself (one person, one file: never a second record). The requester knows the person
    only by the ID number they typed; the request keeps that number masked."""

    __tablename__ = "file_requests"
    __table_args__ = (Index("ix_file_requests_to_unit_status", "to_unit_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_user_id: Mapped[int] = mapped_column(
        ForeignKey("service_users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[FileRequestKind] = mapped_column(enum_type(FileRequestKind))
    status: Mapped[FileRequestStatus] = mapped_column(
        enum_type(FileRequestStatus), default=FileRequestStatus.PENDING
    )
    from_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    masked_id_number: Mapped[str] = mapped_column(String(18))
    reason: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answer_note: Mapped[str | None] = mapped_column(Text)
    # Access lasts until this day (inclusive), unless the holding unit takes it back first.
    access_until: Mapped[date | None] = mapped_column(Date)

    person: Mapped[ServiceUser] = relationship()
    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Unit] = relationship(foreign_keys=[to_unit_id])
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    def __repr__(self) -> str:
        return f"<FileRequest {self.id} {self.kind.value} {self.status.value}>"


# Every request that shows one is audited (core/disclosure.py).
personal_data(ServiceUser)
personal_data(Household)
# The holder's data: the person asked about, and why.
personal_data(FileRequest, unit_column="to_unit_id")
