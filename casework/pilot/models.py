"""Pilot units (试点单位) with their responsible persons, and the pilot's stages."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.crypto import EncryptedText
from casework.core.disclosure import personal_data
from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import TimestampMixin
from casework.extensions import Base
from casework.orgs.models import Unit, UnitKind


class PilotKind(LabelledEnum):
    """The plan's three pilot fields (试点范围), and the pilot areas the province names."""

    AREA = "area", _l("试点地区")
    INSTITUTION = "institution", _l("民政事业单位试点")
    COMMUNITY = "community", _l("城乡社区试点")
    AGENCY = "agency", _l("民办社工服务机构试点")


# Which units each kind of pilot may be: an area is a bureau's whole territory.
UNIT_KINDS_FOR_PILOT = {
    PilotKind.AREA: frozenset({UnitKind.CITY_BUREAU, UnitKind.COUNTY_BUREAU}),
    PilotKind.INSTITUTION: frozenset({UnitKind.INSTITUTION}),
    PilotKind.COMMUNITY: frozenset({UnitKind.CENTRE, UnitKind.STATION}),
    PilotKind.AGENCY: frozenset({UnitKind.AGENCY}),
}


class PilotLevel(LabelledEnum):
    """Who designated the pilot: the province (省级试点), a city (各市州至少确定1个) or a
    county bureau (县级)."""

    PROVINCE = "province", _l("省级试点")
    CITY = "city", _l("市（州）级试点")
    COUNTY = "county", _l("县（区）级试点")


# The level of a pilot designated by a bureau of each kind.
LEVEL_OF_DESIGNATING_BUREAU = {
    UnitKind.PROVINCE_BUREAU: PilotLevel.PROVINCE,
    UnitKind.CITY_BUREAU: PilotLevel.CITY,
    UnitKind.COUNTY_BUREAU: PilotLevel.COUNTY,
}


_ACTIVE = "withdrawn_on IS NULL"


class PilotUnit(TimestampMixin, Base):
    """A unit designated as a pilot, with its 一把手 and its day-to-day contact."""

    __tablename__ = "pilot_units"
    __table_args__ = (
        Index("ix_pilot_units_withdrawn_on", "withdrawn_on"),
        # A unit is a pilot once at a time; after a withdrawal it may be designated again
        # (a new record: the withdrawn one is kept).
        Index(
            "uq_pilot_units_unit_id_active",
            "unit_id",
            unique=True,
            sqlite_where=text(_ACTIVE),
            postgresql_where=text(_ACTIVE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[PilotKind] = mapped_column(enum_type(PilotKind))
    level: Mapped[PilotLevel] = mapped_column(enum_type(PilotLevel))
    designated_on: Mapped[date] = mapped_column(Date)
    designated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The bureau that designated it: only that bureau or one above it changes the record.
    designated_by_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    head_name: Mapped[str] = mapped_column(String(64))
    head_post: Mapped[str] = mapped_column(String(64))
    head_phone: Mapped[str | None] = mapped_column(EncryptedText("phone"))
    contact_name: Mapped[str] = mapped_column(String(64))
    contact_post: Mapped[str] = mapped_column(String(64))
    contact_phone: Mapped[str | None] = mapped_column(EncryptedText("phone"))
    # A pilot is withdrawn, never deleted: the list of who was designated when is kept.
    withdrawn_on: Mapped[date | None] = mapped_column(Date)

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    designated_by_unit: Mapped[Unit] = relationship(foreign_keys=[designated_by_unit_id])

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None

    def __repr__(self) -> str:
        return f"<PilotUnit {self.unit_id} {self.kind.value}>"


class PilotStage(TimestampMixin, Base):
    """One stage of a province's pilot and its dates (the province bureau keeps them)."""

    __tablename__ = "pilot_stages"
    __table_args__ = (Index("ix_pilot_stages_province_id_starts_on", "province_id", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    name: Mapped[str] = mapped_column(String(50))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)

    def __repr__(self) -> str:
        return f"<PilotStage {self.province_id} {self.starts_on}>"


# The responsible persons' names and phones are personal data: every page showing them is
# audited.
personal_data(PilotUnit)
