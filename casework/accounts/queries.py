"""Who works in a unit: the staff lists every domain's forms offer."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select

from casework.accounts.models import Role, User, tutor_units
from casework.accounts.permissions import (
    can_confirm_account,
    can_unlock_account,
    users_visible_to,
)
from casework.core.models import utcnow
from casework.extensions import db

FRONT_LINE_ROLES = (Role.SOCIAL_WORKER, Role.STATION_HEAD)


def front_line_staff(unit_ids: Sequence[int]) -> list[User]:
    """The active social workers and heads of the units: who may hold cases, lead groups."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.unit_id.in_(list(unit_ids)),
                User.role.in_(FRONT_LINE_ROLES),
                User.is_active.is_(True),
            )
            .order_by(User.display_name, User.id)
        )
    )


def tutors_of(unit_id: int) -> list[User]:
    """The active tutors who supervise the unit."""
    supervising = select(tutor_units.c.user_id).where(tutor_units.c.unit_id == unit_id)
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.TUTOR, User.is_active.is_(True), User.id.in_(supervising))
            .order_by(User.display_name, User.id)
        )
    )


def heads_of(unit_id: int) -> list[User]:
    """The active, confirmed station heads of the unit."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.unit_id == unit_id,
                User.role == Role.STATION_HEAD,
                User.is_active.is_(True),
                User.is_pending_confirmation.is_(False),
            )
            .order_by(User.display_name, User.id)
        )
    )


def accounts_needing_action(actor: User) -> list[User]:
    """Accounts ``actor`` should act on now: waiting for their confirmation, or locked after
    failed logins (which the head hears about here)."""
    candidates = db.session.scalars(
        users_visible_to(actor)
        .where(
            or_(User.is_pending_confirmation.is_(True), User.locked_until > utcnow()),
            User.is_active.is_(True),
        )
        .order_by(User.username)
    )
    return [
        user
        for user in candidates
        if (user.is_pending_confirmation and can_confirm_account(actor, user))
        or (user.locked_until is not None and can_unlock_account(actor, user))
    ]
