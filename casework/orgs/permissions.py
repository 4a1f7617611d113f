"""Who may change the organisation tree."""

from __future__ import annotations

from casework.accounts.models import Role, User


def can_manage_units(user: User) -> bool:
    return user.role is Role.SYSADMIN
