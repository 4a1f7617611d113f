"""Who has which dashboard."""

from __future__ import annotations

from casework.accounts.models import Role, User


def can_use_tutor_dashboard(user: User) -> bool:
    return user.role is Role.TUTOR


def can_use_station_dashboard(user: User) -> bool:
    return user.role is Role.STATION_HEAD
