"""Read-side queries for the group and volunteer pages: lists, members, memberships, hours."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from casework.accounts.models import User
from casework.extensions import db
from casework.groups.models import (
    Group,
    GroupMember,
    GroupSession,
    GroupStage,
    GroupStatus,
    GroupTransition,
    GroupType,
    Volunteer,
    VolunteerAssignment,
    VolunteerCategory,
    group_co_facilitators,
)
from casework.people.models import ServiceUser

CANDIDATE_LIMIT = 20


@dataclass
class GroupFilters:
    status: GroupStatus | None = None
    stage: GroupStage | None = None
    group_type: GroupType | None = None
    mine: bool = False


def filtered_groups(scope: Select[Group], filters: GroupFilters, user: User) -> Select[Group]:
    """Apply the list filters to a visibility-scoped query, newest first.

    "Mine" is every group the user leads, co-leads, observes or supervises.
    """
    query = scope
    if filters.status is not None:
        query = query.where(Group.status == filters.status)
    if filters.stage is not None:
        query = query.where(Group.stage == filters.stage)
    if filters.group_type is not None:
        query = query.where(Group.group_type == filters.group_type)
    if filters.mine:
        co_led = select(group_co_facilitators.c.group_id).where(
            group_co_facilitators.c.user_id == user.id
        )
        query = query.where(
            or_(
                Group.facilitator_id == user.id,
                Group.observer_id == user.id,
                Group.tutor_id == user.id,
                Group.id.in_(co_led),
            )
        )
    return query.options(
        selectinload(Group.facilitator), selectinload(Group.unit), selectinload(Group.members)
    ).order_by(Group.created_at.desc(), Group.id.desc())


def member_candidates(
    people: Select[ServiceUser], group: Group, condition: object
) -> list[ServiceUser]:
    """Service users of the group's unit matching a search, current members left out."""
    current = select(GroupMember.service_user_id).where(
        GroupMember.group_id == group.id, GroupMember.left_on.is_(None)
    )
    query = (
        people.where(
            ServiceUser.unit_id == group.unit_id,
            ServiceUser.id.not_in(current),
            condition,  # type: ignore[arg-type]
        )
        .order_by(ServiceUser.name, ServiceUser.id)
        .limit(CANDIDATE_LIMIT)
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class Membership:
    group: Group
    member: GroupMember


def memberships_of(scope: Select[Group], person_id: int) -> list[Membership]:
    """The groups in ``scope`` that the person belongs or belonged to, newest first."""
    rows = db.session.execute(
        scope.add_columns(GroupMember)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.service_user_id == person_id)
        .order_by(GroupMember.joined_on.desc(), Group.id.desc())
    ).all()
    return [Membership(group=row[0], member=row[1]) for row in rows]


def group_page_options() -> list[Any]:
    """Loader options for a group's page: members, sessions with attendance, history."""
    return [
        selectinload(Group.unit),
        selectinload(Group.facilitator),
        selectinload(Group.co_facilitators),
        selectinload(Group.observer),
        selectinload(Group.tutor),
        selectinload(Group.members),
        selectinload(Group.sessions).selectinload(GroupSession.attendance),
        selectinload(Group.transitions).selectinload(GroupTransition.actor),
    ]


# The volunteer list's status filter: 在册 (the volunteers.registered figure) by default.
VOLUNTEER_STATUSES = ("active", "inactive", "all")


def volunteer_status_from(args: Mapping[str, str]) -> str:
    status = args.get("status", "active")
    return status if status in VOLUNTEER_STATUSES else "active"


def filtered_volunteers(
    scope: Select[Volunteer], category: VolunteerCategory | None, status: str
) -> Select[Volunteer]:
    """The volunteer list and its export: the filters applied, those in the register first."""
    query = scope.options(selectinload(Volunteer.unit))
    if category is not None:
        query = query.where(Volunteer.category == category)
    if status != "all":
        query = query.where(Volunteer.is_active.is_(status == "active"))
    return query.order_by(Volunteer.is_active.desc(), Volunteer.name, Volunteer.id)


def hours_by_volunteer(volunteer_ids: list[int]) -> dict[int, float]:
    """Total hours of each listed volunteer, in one aggregate query."""
    if not volunteer_ids:
        return {}
    rows = db.session.execute(
        select(VolunteerAssignment.volunteer_id, func.sum(VolunteerAssignment.hours))
        .where(VolunteerAssignment.volunteer_id.in_(volunteer_ids))
        .group_by(VolunteerAssignment.volunteer_id)
    )
    return {volunteer_id: float(total or 0) for volunteer_id, total in rows}
