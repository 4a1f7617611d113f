"""Merging a person's duplicate record into the one kept, and undoing it.

Before ID numbers were unique across the organisation, a person could be registered at two
stations. The upgrade marks all but the first record of each ID number
(``ServiceUser.id_number_conflict``); an administrator merges each marked record into the
one kept here. A merge moves the duplicate's cases, attachments, group and activity places,
rights requests, household members and household place to the kept record, archives the
duplicate and notes every row it moved, so that it can be undone exactly for ``UNDO_DAYS``.
Nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from casework.accounts.models import User
from casework.activities.models import activity_participants
from casework.attachments.models import Attachment
from casework.cases.models import Case
from casework.core import audit
from casework.core.models import utcnow
from casework.core.rules import RuleError
from casework.extensions import db
from casework.groups.models import GroupMember
from casework.orgs.models import Unit
from casework.people.models import HouseholdMember, HouseholdPerson, PersonMerge, ServiceUser
from casework.people.services import holds_id_number
from casework.rights.models import RightsRequest

UNDO_DAYS = 30

# The rows that belong to a person, by the name a merge records them under.
_OWNED: dict[str, Any] = {
    "cases": Case,
    "attachments": Attachment,
    "group_members": GroupMember,
    "rights_requests": RightsRequest,
    "household_members": HouseholdMember,
    "household_places": HouseholdPerson,
}


class MergeError(RuleError):
    MESSAGES: ClassVar[dict[str, Any]] = {
        "not_duplicates": _l("只能合并身份证号相同的两份档案"),
        "already_merged": _l("该档案已被合并"),
        "reason_required": _l("请说明合并的理由"),
        "undo_expired": _l("合并已超过 %(days)d 天，不能撤销", days=UNDO_DAYS),
        "already_undone": _l("该合并已撤销"),
    }

    def __init__(self, code: str) -> None:
        super().__init__(self.MESSAGES[code], code=code)


@dataclass(frozen=True)
class Record:
    """One record of a duplicate group, as the administrator sees it: where and when it was
    registered and how much hangs on it, not its content."""

    person: ServiceUser
    unit: Unit
    holds_number: bool
    counts: dict[str, int]


def duplicate_groups(limit: int = 50) -> list[list[Record]]:
    """Records sharing an ID number, first registered first; at most ``limit`` groups."""
    indexes = db.session.scalars(
        select(ServiceUser.id_number_index)
        .where(
            ServiceUser.id_number_conflict.is_(True),
            ServiceUser.merged_into_id.is_(None),
            ServiceUser.id_number_index.is_not(None),
        )
        .group_by(ServiceUser.id_number_index)
        .order_by(func.min(ServiceUser.id))
        .limit(limit)
    ).all()
    if not indexes:
        return []
    people = db.session.scalars(
        select(ServiceUser)
        .where(ServiceUser.id_number_index.in_(indexes), ServiceUser.merged_into_id.is_(None))
        .order_by(ServiceUser.id)
    ).all()
    counts = _counts([person.id for person in people])
    groups: dict[str, list[Record]] = {index: [] for index in indexes if index}
    for person in people:
        groups[person.id_number_index or ""].append(
            Record(
                person=person,
                unit=person.unit,
                holds_number=not person.id_number_conflict,
                counts={name: counts[name].get(person.id, 0) for name in counts},
            )
        )
    return [group for group in groups.values() if len(group) > 1]


def _counts(person_ids: list[int]) -> dict[str, dict[int, int]]:
    found: dict[str, dict[int, int]] = {}
    for name, model in _OWNED.items():
        rows = db.session.execute(
            select(model.service_user_id, func.count())
            .where(model.service_user_id.in_(person_ids))
            .group_by(model.service_user_id)
        )
        found[name] = dict(rows.all())
    column = activity_participants.c.service_user_id
    rows = db.session.execute(
        select(column, func.count()).where(column.in_(person_ids)).group_by(column)
    )
    found["activities"] = dict(rows.all())
    return found


def merge(*, actor: User, target: ServiceUser, source: ServiceUser, reason: str) -> PersonMerge:
    """Merge ``source`` into ``target`` (both current records with the same ID number)."""
    if not reason.strip():
        raise MergeError("reason_required")
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise MergeError("already_merged")
    if (
        source.id == target.id
        or source.id_number_index is None
        or source.id_number_index != target.id_number_index
    ):
        raise MergeError("not_duplicates")
    moved = _move(source.id, target.id)
    source.merged_into_id = target.id
    source.is_archived = True
    # The duplicate leaves the uniqueness rule before the kept record may take it up.
    db.session.flush()
    _settle_holder(target)
    record = PersonMerge(
        target_id=target.id,
        source_id=source.id,
        merged_by_id=actor.id,
        merged_at=utcnow(),
        reason=reason.strip(),
        moved=moved,
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        "service_user.merge",
        target,
        actor_id=actor.id,
        details={"source_id": source.id, "merge_id": record.id},
    )
    return record


def can_undo(record: PersonMerge) -> bool:
    merged_at = record.merged_at
    if merged_at.tzinfo is None:  # SQLite gives back UTC without its offset
        merged_at = merged_at.replace(tzinfo=UTC)
    return record.undone_at is None and utcnow() - merged_at <= timedelta(days=UNDO_DAYS)


def undo(*, actor: User, record: PersonMerge) -> None:
    """Give back to the duplicate exactly the rows its merge moved, and restore it."""
    if record.undone_at is not None:
        raise MergeError("already_undone")
    if not can_undo(record):
        raise MergeError("undo_expired")
    _move_back(record.moved, record.source_id, record.target_id)
    source = record.source
    holder_exists = (
        db.session.scalar(
            select(ServiceUser.id)
            .where(
                ServiceUser.id_number_index == source.id_number_index,
                ServiceUser.id != source.id,
                holds_id_number(),
            )
            .limit(1)
        )
        is not None
    )
    source.id_number_conflict = holder_exists
    source.merged_into_id = None
    source.is_archived = False
    record.undone_at = utcnow()
    record.undone_by_id = actor.id
    db.session.flush()
    audit.record(
        "service_user.merge_undone",
        record.target,
        actor_id=actor.id,
        details={"source_id": source.id, "merge_id": record.id},
    )


def _settle_holder(target: ServiceUser) -> None:
    """After a merge, the kept record holds the number if no other current record does."""
    if not target.id_number_conflict:
        return
    other = db.session.scalar(
        select(ServiceUser.id)
        .where(
            ServiceUser.id_number_index == target.id_number_index,
            ServiceUser.id != target.id,
            holds_id_number(),
        )
        .limit(1)
    )
    if other is None:
        target.id_number_conflict = False
        db.session.flush()


def _move(source_id: int, target_id: int) -> dict[str, list[int]]:
    """Move what belongs to ``source_id`` to ``target_id``; what the target already has (a
    place in the same group or activity) stays with the source. Returns what moved."""
    moved: dict[str, list[int]] = {}
    for name, model in _OWNED.items():
        rows = select(model).where(model.service_user_id == source_id).order_by(model.id)
        if model is GroupMember:
            taken = select(GroupMember.group_id).where(GroupMember.service_user_id == target_id)
            rows = rows.where(GroupMember.group_id.not_in(taken))
        if model is HouseholdPerson and db.session.scalar(
            select(HouseholdPerson.id).where(HouseholdPerson.service_user_id == target_id)
        ):
            moved[name] = []  # one household per person: the kept record's stands
            continue
        # Through the ORM, so that the search index and summaries see the change.
        objects = db.session.scalars(rows).all()
        for obj in objects:
            obj.service_user_id = target_id
        moved[name] = [obj.id for obj in objects]
    table = activity_participants
    taken_activities = select(table.c.activity_id).where(table.c.service_user_id == target_id)
    activities = db.session.scalars(
        select(table.c.activity_id).where(
            table.c.service_user_id == source_id, table.c.activity_id.not_in(taken_activities)
        )
    ).all()
    if activities:
        db.session.execute(
            update(table)
            .where(table.c.service_user_id == source_id, table.c.activity_id.in_(activities))
            .values(service_user_id=target_id)
        )
    moved["activities"] = list(activities)
    return moved


def _move_back(moved: dict[str, list[int]], source_id: int, target_id: int) -> None:
    for name, model in _OWNED.items():
        ids = moved.get(name) or []
        if not ids:
            continue
        objects = db.session.scalars(
            select(model).where(model.id.in_(ids), model.service_user_id == target_id)
        ).all()
        for obj in objects:
            obj.service_user_id = source_id
    activities = moved.get("activities") or []
    if activities:
        table = activity_participants
        db.session.execute(
            update(table)
            .where(table.c.service_user_id == target_id, table.c.activity_id.in_(activities))
            .values(service_user_id=source_id)
        )


def recent_merges(limit: int = 50) -> list[PersonMerge]:
    return list(
        db.session.scalars(select(PersonMerge).order_by(PersonMerge.id.desc()).limit(limit))
    )
