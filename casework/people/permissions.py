"""Who may see and change service users' records."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, or_, select

from casework.accounts.models import Role, User
from casework.accounts.permissions import casework_unit_ids
from casework.cases.breakglass import BreakGlassGrant
from casework.cases.models import Case
from casework.core.clock import local_today
from casework.core.models import utcnow
from casework.people.models import FileRequest, FileRequestKind, FileRequestStatus, ServiceUser


def people_visible_to(user: User) -> Select[ServiceUser]:
    """Every service user ``user`` may open: their units' people, or via a break-glass grant."""
    query = select(ServiceUser).where(ServiceUser.is_archived.is_(False))
    if user.role is Role.SYSADMIN:
        granted = (
            select(Case.service_user_id)
            .join(BreakGlassGrant, BreakGlassGrant.case_id == Case.id)
            .where(BreakGlassGrant.user_id == user.id, BreakGlassGrant.expires_at > utcnow())
        )
        return query.where(ServiceUser.id.in_(granted))
    unit_ids = casework_unit_ids(user)
    if not unit_ids:
        return query.where(false())
    # A unit's own people; the people of its cases (a case stays with its unit when the
    # person's file moves, or was opened under access another unit granted); and the people
    # another unit let it see (people/file_requests.py).
    return query.where(
        or_(
            ServiceUser.unit_id.in_(unit_ids),
            ServiceUser.id.in_(select(Case.service_user_id).where(Case.unit_id.in_(unit_ids))),
            ServiceUser.id.in_(people_with_access(unit_ids)),
        )
    )


def people_with_access(unit_ids: list[int]) -> Select[int]:
    """The service users another unit has let one of ``unit_ids`` see, as of today."""
    return select(FileRequest.service_user_id).where(
        FileRequest.from_unit_id.in_(unit_ids),
        FileRequest.kind == FileRequestKind.ACCESS,
        FileRequest.status == FileRequestStatus.GRANTED,
        FileRequest.access_until >= local_today(),
    )


def can_list_people(user: User) -> bool:
    """Bureau viewers never list individuals."""
    return user.role is not Role.BUREAU_VIEWER


def can_register_person(user: User) -> bool:
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD)


def can_edit_person(user: User, person: ServiceUser) -> bool:
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD) and user.unit_id == person.unit_id


def can_see_full_numbers(user: User, person: ServiceUser) -> bool:
    """Full ID and phone numbers only for the front-line staff of the person's unit."""
    return can_edit_person(user, person)


def may_export_full_identifiers(user: User) -> bool:
    """Front-line staff may ask for a list with full numbers (of their own unit's people)."""
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD) and not user.is_pending_confirmation


def can_manage_tags(user: User) -> bool:
    return user.role is Role.SYSADMIN


def can_set_legal_hold(user: User, person: ServiceUser) -> bool:
    """The station head of the person's unit decides that data must outlive its retention
    period (a dispute, a court case, an inspection)."""
    return (
        user.role is Role.STATION_HEAD
        and user.unit_id == person.unit_id
        and not user.is_pending_confirmation
    )


def may_invite() -> ColumnElement[bool]:
    """People who may be offered consent-based services (groups, community activities):
    not those who withdrew their consent."""
    return ServiceUser.consent_withdrawn_on.is_(None)
