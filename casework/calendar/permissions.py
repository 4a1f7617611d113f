"""Who has a work calendar."""

from __future__ import annotations

from casework.accounts.models import User
from casework.accounts.permissions import casework_unit_ids


def can_use_calendar(user: User) -> bool:
    return bool(casework_unit_ids(user))
