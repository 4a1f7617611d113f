"""Read-side queries for the group and volunteer pages: lists, members, memberships, hours."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from casework.accounts.models import User
from casework.cases.timeliness import is_written_late
from casework.core.clock import local_date
from casework.core.models import as_utc
from casework.extensions import db
from casework.groups.models import (
    Group,
    GroupMember,
    GroupSession,
    GroupStage,
    GroupStatus,
    GroupTransition,
    GroupType,
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
    return memberships_by_person(scope, [person_id]).get(person_id, [])


def memberships_by_person(
    scope: Select[Group], person_ids: Sequence[int]
) -> dict[int, list[Membership]]:
    """``memberships_of`` for several people at once (a household), in one query."""
    rows = db.session.execute(
        scope.add_columns(GroupMember)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.service_user_id.in_(list(person_ids)))
        .order_by(GroupMember.joined_on.desc(), Group.id.desc())
    ).all()
    found: dict[int, list[Membership]] = {}
    for group, member in rows:
        found.setdefault(member.service_user_id, []).append(Membership(group=group, member=member))
    return found


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


def sessions_awaiting_record(
    scope: Select[Group], facilitator_id: int, now: datetime
) -> list[GroupSession]:
    """Sessions held by ``facilitator_id`` whose session record (每节记录) is still missing
    after the allowance for writing it (``cases.timeliness``), earliest first."""
    held = db.session.scalars(
        select(GroupSession)
        .join(Group, GroupSession.group_id == Group.id)
        .where(
            Group.id.in_(
                scope.with_only_columns(Group.id).where(Group.facilitator_id == facilitator_id)
            ),
            Group.status == GroupStatus.RUNNING,
            GroupSession.recorded_at.is_(None),
            GroupSession.starts_at < now,
        )
        .options(selectinload(GroupSession.group))
        .order_by(GroupSession.starts_at, GroupSession.id)
    ).all()
    return [
        session for session in held if is_written_late(local_date(as_utc(session.starts_at)), now)
    ]
