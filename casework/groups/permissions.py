"""Who may see and run groups, activities and volunteers: the casework scope of units."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from casework.accounts.models import Role, User
from casework.accounts.permissions import casework_unit_ids, is_front_line
from casework.groups.models import Group


def groups_visible_to(user: User) -> Select[Group]:
    unit_ids = casework_unit_ids(user)
    if not unit_ids:
        return select(Group).where(false())
    return select(Group).where(Group.unit_id.in_(unit_ids))


def can_create_group(user: User) -> bool:
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD)


def can_run_group(user: User, group: Group) -> bool:
    """Facilitators and the unit's head run the group (plan, members, sessions, records)."""
    if not is_front_line(user, group.unit_id):
        return False
    if user.role is Role.STATION_HEAD or user.id == group.facilitator_id:
        return True
    return any(co.id == user.id for co in group.co_facilitators)


def can_supervise_group(user: User, group: Group) -> bool:
    return user.role is Role.TUTOR and group.unit_id in casework_unit_ids(user)
