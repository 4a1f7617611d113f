"""The shared calendar: group sessions, activities, follow-ups and plan reviews due.

Calendar items never carry a service user's name: a feed may be synced to a phone or a
cloud calendar, so cases appear by their case number only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from casework.accounts.models import User
from casework.activities.models import CommunityActivity
from casework.activities.permissions import activities_visible_to
from casework.cases.enums import CaseStatus
from casework.cases.models import Case
from casework.cases.permissions import cases_visible_to
from casework.core.clock import local_timezone
from casework.core.i18n import labelled
from casework.extensions import db
from casework.groups.models import Group, GroupSession, group_co_facilitators
from casework.groups.permissions import groups_visible_to


@dataclass(frozen=True)
class CalendarItem:
    kind: str  # session, activity, follow_up, plan_review
    title: str
    day: date
    starts_at: datetime | None  # None: an all-day item (a due date)
    ends_at: datetime | None
    place: str
    endpoint: str
    endpoint_args: dict[str, int]
    uid: str


KIND_LABELS = {
    "session": _l("小组活动"),
    "activity": _l("社区活动"),
    "follow_up": _l("回访到期"),
    "plan_review": _l("计划检讨"),
}


def _local(moment: datetime) -> datetime:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(local_timezone())


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = local_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone).astimezone(UTC),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC),
    )


def items_between(
    user: User, start: date, end: date, *, mine_only: bool, unit_id: int | None = None
) -> list[CalendarItem]:
    """Everything on ``user``'s calendar from ``start`` to ``end`` inclusive.

    ``mine_only`` keeps what the user runs or is responsible for; otherwise the whole
    scope (or one ``unit_id`` inside it) is shown.
    """
    items: list[CalendarItem] = []
    low, high = _day_bounds(start, end)

    groups = groups_visible_to(user)
    if unit_id is not None:
        groups = groups.where(Group.unit_id == unit_id)
    if mine_only:
        co_led = select(group_co_facilitators.c.group_id).where(
            group_co_facilitators.c.user_id == user.id
        )
        groups = groups.where(
            or_(
                Group.facilitator_id == user.id,
                Group.observer_id == user.id,
                Group.id.in_(co_led),
            )
        )
    sessions = db.session.scalars(
        select(GroupSession)
        .where(
            GroupSession.group_id.in_(groups.with_only_columns(Group.id)),
            GroupSession.starts_at >= low,
            GroupSession.starts_at < high,
        )
        .options(selectinload(GroupSession.group))
        .order_by(GroupSession.starts_at)
    )
    for session in sessions:
        begins = _local(session.starts_at)
        items.append(
            CalendarItem(
                kind="session",
                title=f"{session.group.name} · {session.number}. {session.topic}",
                day=begins.date(),
                starts_at=begins,
                ends_at=begins + timedelta(minutes=session.duration_minutes),
                place=session.place,
                endpoint="groups.session",
                endpoint_args={"group_id": session.group_id, "session_id": session.id},
                uid=f"group-session-{session.id}",
            )
        )

    activities = activities_visible_to(user).where(
        CommunityActivity.held_on >= start, CommunityActivity.held_on <= end
    )
    if unit_id is not None:
        activities = activities.where(CommunityActivity.unit_id == unit_id)
    if mine_only:
        activities = activities.where(CommunityActivity.organiser_id == user.id)
    for activity in db.session.scalars(activities.order_by(CommunityActivity.held_on)):
        activity_start = _local(activity.starts_at) if activity.starts_at else None
        items.append(
            CalendarItem(
                kind="activity",
                title=activity.title,
                day=activity.held_on,
                starts_at=activity_start,
                ends_at=activity_start + timedelta(hours=2) if activity_start else None,
                place=activity.place,
                endpoint="activities.detail",
                endpoint_args={"activity_id": activity.id},
                uid=f"activity-{activity.id}",
            )
        )

    cases = cases_visible_to(user)
    if unit_id is not None:
        cases = cases.where(Case.unit_id == unit_id)
    if mine_only:
        cases = cases.where(Case.worker_id == user.id)
    follow_ups = cases.where(
        Case.status.in_((CaseStatus.CLOSED, CaseStatus.FOLLOW_UP)),
        Case.follow_up_due >= start,
        Case.follow_up_due <= end,
    )
    for case in db.session.scalars(follow_ups):
        if case.follow_up_due is not None:  # always, given the filter
            items.append(_due_item("follow_up", case, case.follow_up_due))
    reviews = cases.where(
        Case.status.in_((CaseStatus.INTERVENTION, CaseStatus.EVALUATION)),
        Case.plan_review_due >= start,
        Case.plan_review_due <= end,
    )
    for case in db.session.scalars(reviews):
        if case.plan_review_due is not None:
            items.append(_due_item("plan_review", case, case.plan_review_due))

    return sorted(items, key=_sort_key)


def _sort_key(item: CalendarItem) -> tuple[date, int, str]:
    """Day by day: the all-day due dates first, then timed items in order."""
    timed = item.starts_at.isoformat() if item.starts_at else ""
    return (item.day, 1 if item.starts_at else 0, timed)


def _due_item(kind: str, case: Case, day: date) -> CalendarItem:
    return CalendarItem(
        kind=kind,
        title=labelled(KIND_LABELS[kind], case.number),
        day=day,
        starts_at=None,
        ends_at=None,
        place="",
        endpoint="cases.detail",
        endpoint_args={"case_id": case.id},
        uid=f"{kind}-{case.id}-{day.isoformat()}",
    )


def to_ical(items: list[CalendarItem], *, name: str, url_for_item: Any) -> bytes:
    """An RFC 5545 calendar of ``items``; ``url_for_item(item)`` gives each item's link."""
    calendar = Calendar()
    calendar.add("prodid", "-//casework//calendar//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(local_timezone()))
    stamp = datetime.now(UTC)
    for item in items:
        event = Event()
        event.add("uid", f"{item.uid}@casework")
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        if item.starts_at is not None and item.ends_at is not None:
            event.add("dtstart", item.starts_at)
            event.add("dtend", item.ends_at)
        else:
            event.add("dtstart", item.day)
            event.add("dtend", item.day + timedelta(days=1))
        if item.place:
            event.add("location", item.place)
        event.add("url", url_for_item(item))
        calendar.add_component(event)
    # RFC 5545 wants a VTIMEZONE for every TZID the events use; some clients insist on it.
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
