"""One tree of units; every person and record belongs to exactly one unit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.enums import LabelledEnum, enum_type
from casework.core.models import TimestampMixin
from casework.extensions import Base


class UnitKind(LabelledEnum):
    PROVINCE_BUREAU = "province_bureau", _l("省民政厅")
    CITY_BUREAU = "city_bureau", _l("市民政局")
    COUNTY_BUREAU = "county_bureau", _l("县（区）民政局")
    CENTRE = "centre", _l("街道（乡镇）社会工作服务中心")
    STATION = "station", _l("社区社会工作服务站")
    INSTITUTION = "institution", _l("民政事业单位")
    AGENCY = "agency", _l("民办社会工作服务机构")

    @property
    def is_bureau(self) -> bool:
        return self in BUREAU_KINDS


BUREAU_KINDS = frozenset({UnitKind.PROVINCE_BUREAU, UnitKind.CITY_BUREAU, UnitKind.COUNTY_BUREAU})

# Units where front-line work is done and staff accounts other than bureau viewers live.
SERVICE_KINDS = frozenset(
    {UnitKind.CENTRE, UnitKind.STATION, UnitKind.INSTITUTION, UnitKind.AGENCY}
)


class Unit(TimestampMixin, Base):
    __tablename__ = "units"
    __table_args__ = (
        # Subtrees are prefix matches (LIKE '/1/4/%'). On PostgreSQL a plain b-tree serves
        # LIKE only under the C collation; the pattern operator class serves it under any.
        Index("ix_units_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[UnitKind] = mapped_column(enum_type(UnitKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # Materialised path of ids, e.g. "/1/4/9/": a subtree is one indexed prefix match.
    path: Mapped[str] = mapped_column(String(255), default="")
    is_active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.code")

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.kind.value}>"
