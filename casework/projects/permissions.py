"""Who manages agencies, projects and evaluations, and who may read a project.

Bureaus manage what lies in their subtree: the agency's unit, the project's purchaser.
Station heads of a covered station and the agency's own staff read their project (its
figures are aggregates); nobody else sees it (404). Administrators manage accounts and
units, not contracts, and see none of this.
"""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from casework.accounts.models import Role, User
from casework.orgs.models import Unit
from casework.orgs.services import subtree_ids
from casework.projects.models import Agency, Project

AGENCY_STAFF_ROLES = (Role.STATION_HEAD, Role.SOCIAL_WORKER)


def is_managing_bureau(user: User) -> bool:
    return user.role is Role.BUREAU_VIEWER and not user.is_pending_confirmation


def can_manage_projects(user: User) -> bool:
    """Whether the user may add agencies, projects, indicators and evaluations at all."""
    return is_managing_bureau(user)


def _in_subtree(user: User, unit: Unit) -> bool:
    return unit.path.startswith(user.unit.path)


def can_edit_agency(user: User, agency: Agency) -> bool:
    return is_managing_bureau(user) and _in_subtree(user, agency.unit)


def can_edit_project(user: User, project: Project) -> bool:
    return is_managing_bureau(user) and _in_subtree(user, project.purchaser)


def can_list_projects(user: User) -> bool:
    """Whether the menu shows the projects list (without a query)."""
    if user.is_pending_confirmation:
        return False
    return user.role in (Role.BUREAU_VIEWER, Role.STATION_HEAD, Role.SOCIAL_WORKER)


def _ancestor_ids(unit: Unit) -> list[int]:
    """The units above ``unit``, from its materialised path."""
    return [int(part) for part in unit.path.strip("/").split("/")[:-1] if part]


def shows_projects_menu(user: User) -> bool:
    """The menu entry: bureaus and station heads (agency workers reach their project from
    the address their head gives them; most workers have none)."""
    return not user.is_pending_confirmation and user.role in (
        Role.BUREAU_VIEWER,
        Role.STATION_HEAD,
    )


def agencies_visible_to(user: User) -> Select[Agency]:
    """Agencies of the bureau's subtree and those registered with a bureau above it; the
    agency itself to its own staff."""
    query = select(Agency)
    if user.is_pending_confirmation:
        return query.where(false())
    if user.role is Role.BUREAU_VIEWER:
        # A county buys from agencies registered with the city above it, too.
        registered_above = select(Unit.id).where(Unit.parent_id.in_(_ancestor_ids(user.unit)))
        return query.where(
            or_(
                Agency.unit_id.in_(subtree_ids(user.unit)),
                Agency.unit_id.in_(registered_above),
            )
        )
    if user.role in AGENCY_STAFF_ROLES:
        return query.where(Agency.unit_id == user.unit_id)
    return query.where(false())


def projects_visible_to(user: User) -> Select[Project]:
    """Projects bought in the bureau's subtree; a covered station's head's projects; the
    agency's projects to its own staff."""
    query = select(Project)
    if user.is_pending_confirmation:
        return query.where(false())
    if user.role is Role.BUREAU_VIEWER:
        return query.where(Project.purchaser_id.in_(subtree_ids(user.unit)))
    own_agency = Project.agency.has(Agency.unit_id == user.unit_id)
    if user.role is Role.STATION_HEAD:
        return query.where(or_(Project.units.any(Unit.id == user.unit_id), own_agency))
    if user.role is Role.SOCIAL_WORKER:
        return query.where(own_agency)
    return query.where(false())
