"""Every change to community activities: details and registered participants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from casework.accounts.models import User
from casework.accounts.permissions import is_front_line
from casework.activities.models import ActivityType, CommunityActivity
from casework.cases.enums import ServiceDomain
from casework.core import audit
from casework.core.clock import as_utc
from casework.core.rules import RuleError
from casework.extensions import db
from casework.orgs.models import Unit
from casework.people.models import ServiceUser


class ActivityRuleError(RuleError):
    """A rule about community activities forbids the change."""


@dataclass
class ActivityDetails:
    title: str
    held_on: date
    starts_at: datetime | None
    place: str
    domain: ServiceDomain
    activity_type: ActivityType
    description: str
    participant_count: int


def _apply_activity(activity: CommunityActivity, details: ActivityDetails) -> None:
    if details.participant_count < 0:
        raise ActivityRuleError(_l("参与人数不能为负数。"))
    activity.title = details.title.strip()
    activity.held_on = details.held_on
    activity.starts_at = as_utc(details.starts_at) if details.starts_at else None
    activity.place = details.place.strip()
    activity.domain = details.domain
    activity.activity_type = details.activity_type
    activity.description = details.description.strip()
    activity.participant_count = details.participant_count


def create_activity(
    *, actor: User, unit: Unit, organiser: User, details: ActivityDetails
) -> CommunityActivity:
    if not is_front_line(organiser, unit.id):
        raise ActivityRuleError(_l("组织者须为本单位的社工。"))
    activity = CommunityActivity(unit_id=unit.id, organiser=organiser)
    _apply_activity(activity, details)
    db.session.add(activity)
    db.session.flush()
    audit.record("activity.create", activity, actor_id=actor.id)
    return activity


def update_activity(*, actor: User, activity: CommunityActivity, details: ActivityDetails) -> None:
    _apply_activity(activity, details)
    audit.record("activity.update", activity, actor_id=actor.id)


def set_participants(
    *, actor: User, activity: CommunityActivity, people: list[ServiceUser]
) -> None:
    """Registered participants (optional: residents need not be registered)."""
    if any(person.unit_id != activity.unit_id for person in people):
        raise ActivityRuleError(_l("只能登记本单位的服务对象。"))
    activity.participants = list(people)
    if activity.participant_count < len(people):
        activity.participant_count = len(people)
    audit.record(
        "activity.participants", activity, actor_id=actor.id, details={"count": len(people)}
    )
