"""Changes to the organisation tree."""

from __future__ import annotations

from sqlalchemy import Select, select

from casework.core import audit
from casework.extensions import db
from casework.orgs.models import BUREAU_KINDS, Unit, UnitKind

# Which kinds of unit may sit directly under which; None means "may be a root".
ALLOWED_PARENT_KINDS: dict[UnitKind, frozenset[UnitKind | None]] = {
    UnitKind.PROVINCE_BUREAU: frozenset({None}),
    UnitKind.CITY_BUREAU: frozenset({None, UnitKind.PROVINCE_BUREAU}),
    UnitKind.COUNTY_BUREAU: frozenset({UnitKind.CITY_BUREAU, UnitKind.PROVINCE_BUREAU}),
    UnitKind.CENTRE: frozenset(BUREAU_KINDS),
    UnitKind.STATION: frozenset({UnitKind.CENTRE}),
    UnitKind.INSTITUTION: frozenset(BUREAU_KINDS),
    UnitKind.AGENCY: frozenset(BUREAU_KINDS),
}


class InvalidParent(ValueError):
    """The unit kind may not be placed under that parent."""


def is_allowed_parent(kind: UnitKind, parent: Unit | None) -> bool:
    return (parent.kind if parent else None) in ALLOWED_PARENT_KINDS[kind]


def create_unit(
    *, actor_id: int | None, code: str, name: str, kind: UnitKind, parent: Unit | None
) -> Unit:
    """Add a unit under ``parent`` and give it its materialised path."""
    if not is_allowed_parent(kind, parent):
        raise InvalidParent(kind)
    unit = Unit(code=code, name=name, kind=kind, parent=parent)
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    audit.record("unit.create", unit, actor_id=actor_id, details={"code": code})
    return unit


def subtree_ids(unit: Unit) -> Select[int]:
    """The ids of ``unit`` and everything below it, as a subquery-ready select."""
    return select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))


def units_in_subtree(unit: Unit) -> list[Unit]:
    return list(
        db.session.scalars(
            select(Unit).where(Unit.path.startswith(unit.path, autoescape=True)).order_by(Unit.path)
        )
    )


def all_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).order_by(Unit.path)))
