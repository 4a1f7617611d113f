"""Who may manage which accounts."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from casework.accounts.models import Role, User

# Station heads add the front-line staff of their own unit; everything else is the administrator's.
ROLES_A_STATION_HEAD_MANAGES = (Role.SOCIAL_WORKER,)


def can_manage_users(user: User) -> bool:
    return user.role in (Role.SYSADMIN, Role.STATION_HEAD)


def can_manage_user(actor: User, target: User) -> bool:
    if actor.role is Role.SYSADMIN:
        return True
    return (
        actor.role is Role.STATION_HEAD
        and target.unit_id == actor.unit_id
        and target.role in ROLES_A_STATION_HEAD_MANAGES
    )


def assignable_roles(actor: User) -> tuple[Role, ...]:
    if actor.role is Role.SYSADMIN:
        return tuple(Role)
    if actor.role is Role.STATION_HEAD:
        return ROLES_A_STATION_HEAD_MANAGES
    return ()


def users_visible_to(actor: User) -> Select[User]:
    """The accounts ``actor`` may list: all for the administrator, the own unit for a head."""
    query = select(User)
    if actor.role is Role.SYSADMIN:
        return query
    if actor.role is Role.STATION_HEAD:
        return query.where(User.unit_id == actor.unit_id)
    return query.where(false())


def casework_unit_ids(user: User) -> list[int]:
    """Units whose cases and service users ``user`` works with or supervises."""
    if user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD):
        return [user.unit_id]
    if user.role is Role.TUTOR:
        return [unit.id for unit in user.supervised_units]
    return []
