"""Who may see and run groups, activities and volunteers: the casework scope of units."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from casework.accounts.models import Role, User
from casework.accounts.permissions import casework_unit_ids
from casework.groups.models import CommunityActivity, Group, Volunteer


def groups_visible_to(user: User) -> Select[Group]:
    unit_ids = casework_unit_ids(user)
    if not unit_ids:
        return select(Group).where(false())
    return select(Group).where(Group.unit_id.in_(unit_ids))


def activities_visible_to(user: User) -> Select[CommunityActivity]:
    unit_ids = casework_unit_ids(user)
    if not unit_ids:
        return select(CommunityActivity).where(false())
    return select(CommunityActivity).where(CommunityActivity.unit_id.in_(unit_ids))


def volunteers_visible_to(user: User) -> Select[Volunteer]:
    unit_ids = casework_unit_ids(user)
    if not unit_ids:
        return select(Volunteer).where(false())
    return select(Volunteer).where(Volunteer.unit_id.in_(unit_ids))


def is_front_line(user: User, unit_id: int) -> bool:
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD) and user.unit_id == unit_id


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


def can_manage_activity(user: User, activity: CommunityActivity) -> bool:
    return is_front_line(user, activity.unit_id)


def can_manage_volunteers(user: User, unit_id: int) -> bool:
    return is_front_line(user, unit_id)


def can_use_calendar(user: User) -> bool:
    return bool(casework_unit_ids(user))
