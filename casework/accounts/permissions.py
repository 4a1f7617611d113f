"""Who may manage which accounts."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from casework.accounts.models import Role, User
from casework.extensions import db

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
    """Units whose cases and service users ``user`` works with or supervises (none while the
    account waits for confirmation)."""
    if user.is_pending_confirmation:
        return []
    if user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD):
        return [user.unit_id]
    if user.role is Role.TUTOR:
        return [unit.id for unit in user.supervised_units]
    return []


def _has_confirming_head(user: User) -> bool:
    """Whether ``user``'s unit has an active, confirmed station head other than ``user``."""
    return bool(
        db.session.scalar(
            select(User.id)
            .where(
                User.unit_id == user.unit_id,
                User.role == Role.STATION_HEAD,
                User.is_active.is_(True),
                User.is_pending_confirmation.is_(False),
                User.id != user.id,
            )
            .limit(1)
        )
    )


def can_confirm_account(actor: User, user: User) -> bool:
    """The station head confirms the accounts of their unit; where the unit has no head (or
    the account is the head's own), an administrator other than the one who asked. A new
    administrator account is confirmed by another administrator only."""
    if not user.is_pending_confirmation or actor.id == user.id or actor.is_pending_confirmation:
        return False
    second_administrator = (
        actor.role is Role.SYSADMIN and actor.id != user.confirmation_requested_by_id
    )
    if user.role is Role.SYSADMIN:
        return second_administrator
    if actor.role is Role.STATION_HEAD:
        return actor.unit_id == user.unit_id
    return second_administrator and not _has_confirming_head(user)


def can_unlock_account(actor: User, user: User) -> bool:
    """The head of the account's unit, or the administrator, may lift a lock early."""
    return actor.id != user.id and (
        actor.role is Role.SYSADMIN
        or (actor.role is Role.STATION_HEAD and actor.unit_id == user.unit_id)
    )


def can_end_sessions(actor: User, user: User) -> bool:
    return actor.role is Role.SYSADMIN and actor.id != user.id


def is_front_line(user: User, unit_id: int) -> bool:
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD) and user.unit_id == unit_id


def can_reset_second_factor(actor: User, user: User) -> bool:
    """Whoever may reset the account's password may reset its second factor (never one's
    own: that would let a stolen password replace the factor)."""
    return actor.id != user.id and can_manage_user(actor, user) and user.mfa_enabled_at is not None
