"""Who may see and manage a unit's volunteers."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from casework.accounts.models import User
from casework.accounts.permissions import casework_unit_ids, is_front_line
from casework.volunteers.models import Volunteer


def volunteers_visible_to(user: User) -> Select[Volunteer]:
    unit_ids = casework_unit_ids(user)
    if not unit_ids:
        return select(Volunteer).where(false())
    return select(Volunteer).where(Volunteer.unit_id.in_(unit_ids))


def can_manage_volunteers(user: User, unit_id: int) -> bool:
    return is_front_line(user, unit_id)
