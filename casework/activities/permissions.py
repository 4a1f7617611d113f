"""Who may see and run community activities."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from casework.accounts.models import User
from casework.accounts.permissions import casework_unit_ids, is_front_line
from casework.activities.models import CommunityActivity


def activities_visible_to(user: User) -> Select[CommunityActivity]:
    unit_ids = casework_unit_ids(user)
    if not unit_ids:
        return select(CommunityActivity).where(false())
    return select(CommunityActivity).where(CommunityActivity.unit_id.in_(unit_ids))


def can_manage_activity(user: User, activity: CommunityActivity) -> bool:
    return is_front_line(user, activity.unit_id)
