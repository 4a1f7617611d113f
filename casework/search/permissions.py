"""Who may use the search box."""

from __future__ import annotations

from casework.accounts.models import Role, User


def can_search(user: User) -> bool:
    """Staff who work with individuals; bureau viewers see aggregates only."""
    return user.role is not Role.BUREAU_VIEWER
