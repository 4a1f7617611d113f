"""Who works in a unit: the staff lists every domain's forms offer."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from casework.accounts.models import Role, User, tutor_units
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
