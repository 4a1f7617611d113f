"""Who may see and handle help requests: the same scope as cases."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from casework.accounts.models import Role, User
from casework.accounts.permissions import casework_unit_ids
from casework.helpdesk.models import HelpRequest
from casework.orgs.models import Unit, UnitKind


def requests_visible_to(user: User) -> Select[HelpRequest]:
    """Requests addressed to the units whose casework ``user`` does or supervises."""
    unit_ids = casework_unit_ids(user)
    if not unit_ids:
        return select(HelpRequest).where(false())
    return select(HelpRequest).where(HelpRequest.unit_id.in_(unit_ids))


def can_handle_request(user: User, request: HelpRequest) -> bool:
    """The front-line staff of the request's unit act on it; tutors only read."""
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD) and user.unit_id == request.unit_id


def can_log_request(user: User) -> bool:
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD)


def can_edit_profile(user: User, unit: Unit) -> bool:
    """The station head keeps the notice board of their own station."""
    return (
        user.role is Role.STATION_HEAD
        and user.unit_id == unit.id
        and unit.kind in (UnitKind.STATION, UnitKind.CENTRE, UnitKind.INSTITUTION, UnitKind.AGENCY)
    )
