"""Who has which dashboard."""

from __future__ import annotations

from casework.accounts.models import Role, User
from casework.dashboards.models import DisplayToken


def can_use_tutor_dashboard(user: User) -> bool:
    return user.role is Role.TUTOR


def can_use_station_dashboard(user: User) -> bool:
    return user.role is Role.STATION_HEAD


def can_use_bureau_dashboard(user: User) -> bool:
    """Bureau viewers: the aggregates of their own subtree."""
    return user.role is Role.BUREAU_VIEWER


def can_manage_displays(user: User) -> bool:
    """Wall screens show a bureau's aggregates, so its bureau viewers set them up."""
    return user.role is Role.BUREAU_VIEWER


def can_revoke_display(user: User, row: DisplayToken) -> bool:
    return can_manage_displays(user) and row.unit_id == user.unit_id
