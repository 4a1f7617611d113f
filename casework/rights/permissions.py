"""Who handles residents' rights requests: the front-line staff of the person's unit."""

from __future__ import annotations

from sqlalchemy import Select, select

from casework.accounts.models import Role, User
from casework.rights.models import RightsRequest


def can_handle_rights(user: User) -> bool:
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD) and not user.is_pending_confirmation


def can_delete_person(user: User, request: RightsRequest) -> bool:
    """Deletion cannot be undone: the station head grants it."""
    return user.role is Role.STATION_HEAD and user.unit_id == request.unit_id


def rights_requests_visible_to(user: User) -> Select[RightsRequest]:
    query = select(RightsRequest)
    if not can_handle_rights(user):
        return query.where(RightsRequest.id.is_(None))
    return query.where(RightsRequest.unit_id == user.unit_id)
