"""Who may see and manage pilot units and the pilot's stages.

The province bureau keeps the stages and every pilot unit; a city or county bureau the
pilot units of its subtree; a station head reads their own unit's record. Everyone else,
the administrator included, has no pilot pages: they hold no case content, but nothing
here is theirs to keep.
"""

from __future__ import annotations

from sqlalchemy import Select, false, select

from casework.accounts.models import Role, User
from casework.orgs.models import Unit, UnitKind
from casework.pilot.models import LEVEL_OF_DESIGNATING_BUREAU, PilotUnit


def _is_bureau(user: User) -> bool:
    return user.role is Role.BUREAU_VIEWER and not user.is_pending_confirmation


def can_view_pilot(user: User) -> bool:
    """The pilot overview: bureau viewers, for their subtree."""
    return _is_bureau(user)


def can_view_own_pilot(user: User) -> bool:
    """A station head's page for their own unit's pilot record."""
    return user.role is Role.STATION_HEAD and not user.is_pending_confirmation


def can_manage_stages(user: User) -> bool:
    """The pilot's stages are the province's: only the province bureau changes them."""
    return _is_bureau(user) and user.unit.kind is UnitKind.PROVINCE_BUREAU


def can_designate_pilots(user: User) -> bool:
    """A province, city or county bureau (its designations' level is its own)."""
    return _is_bureau(user) and user.unit.kind in LEVEL_OF_DESIGNATING_BUREAU


def can_manage_pilot_unit(user: User, unit: Unit) -> bool:
    """A bureau manages the pilots below it, never its own designation (its parent's)."""
    return _is_bureau(user) and unit.id != user.unit_id and unit.path.startswith(user.unit.path)


def can_manage_pilot(user: User, pilot: PilotUnit) -> bool:
    """Edit or withdraw a designation: a pilot below the user's unit that the user's own
    bureau or one below it designated (a city never changes the province's designation)."""
    return can_manage_pilot_unit(user, pilot.unit) and pilot.designated_by_unit.path.startswith(
        user.unit.path
    )


def pilot_units_visible_to(user: User) -> Select[PilotUnit]:
    """The pilot units ``user`` may read: a bureau its subtree, a station head their own."""
    query = select(PilotUnit).join(PilotUnit.unit)
    if _is_bureau(user):
        return query.where(Unit.path.startswith(user.unit.path, autoescape=True))
    if can_view_own_pilot(user):
        return query.where(PilotUnit.unit_id == user.unit_id)
    return query.where(false())
