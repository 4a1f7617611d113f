"""Every change to volunteers: registration, details, and the hours they serve."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework.accounts.models import User
from casework.activities.models import CommunityActivity
from casework.core import audit
from casework.core.clock import local_today
from casework.core.rules import RuleError
from casework.extensions import db
from casework.groups.models import Group
from casework.orgs.models import Unit
from casework.volunteers.models import Volunteer, VolunteerAssignment, VolunteerCategory


class VolunteerRuleError(RuleError):
    """A rule about volunteers forbids the change."""


@dataclass
class VolunteerDetails:
    name: str
    phone: str | None
    category: VolunteerCategory
    skills: str
    availability: str


def register_volunteer(*, actor: User, unit: Unit, details: VolunteerDetails) -> Volunteer:
    volunteer = Volunteer(unit_id=unit.id)
    _apply_volunteer(volunteer, details)
    db.session.add(volunteer)
    db.session.flush()
    audit.record("volunteer.create", volunteer, actor_id=actor.id)
    return volunteer


def _apply_volunteer(volunteer: Volunteer, details: VolunteerDetails) -> None:
    volunteer.name = details.name.strip()
    volunteer.phone = (details.phone or "").strip() or None
    volunteer.category = details.category
    volunteer.skills = details.skills.strip()
    volunteer.availability = details.availability.strip()


def update_volunteer(*, actor: User, volunteer: Volunteer, details: VolunteerDetails) -> None:
    _apply_volunteer(volunteer, details)
    audit.record("volunteer.update", volunteer, actor_id=actor.id)


def set_volunteer_active(*, actor: User, volunteer: Volunteer, active: bool) -> None:
    volunteer.is_active = active
    audit.record(
        "volunteer.enable" if active else "volunteer.disable", volunteer, actor_id=actor.id
    )


def volunteer_hours(volunteer: Volunteer) -> float:
    """A volunteer's total hours over all assignments."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(VolunteerAssignment.hours), 0)).where(
            VolunteerAssignment.volunteer_id == volunteer.id
        )
    )
    return float(total or 0)


def assign_volunteer(
    *,
    actor: User,
    volunteer: Volunteer,
    served_on: date,
    hours: float,
    role: str,
    activity: CommunityActivity | None = None,
    group: Group | None = None,
) -> VolunteerAssignment:
    """Log a volunteer's hours on an activity or a group of the volunteer's own unit."""
    if (activity is None) == (group is None):
        raise VolunteerRuleError(_l("请选择一项社区活动或一个小组。"))
    target_unit = activity.unit_id if activity is not None else group.unit_id if group else 0
    if volunteer.unit_id != target_unit:
        raise VolunteerRuleError(_l("只能安排本单位登记的志愿者。"))
    if not volunteer.is_active:
        raise VolunteerRuleError(_l("该志愿者已停用。"))
    if not 0 < hours <= 24:
        raise VolunteerRuleError(_l("服务时长须大于 0 且不超过 24 小时。"))
    if served_on > local_today():
        raise VolunteerRuleError(_l("服务日期不能晚于今天。"))
    assignment = VolunteerAssignment(
        volunteer=volunteer,
        activity=activity,
        group=group,
        served_on=served_on,
        hours=hours,
        role=role.strip(),
    )
    db.session.add(assignment)
    db.session.flush()
    audit.record(
        "volunteer.hours_logged",
        volunteer,
        actor_id=actor.id,
        details={"assignment_id": assignment.id, "hours": hours},
    )
    return assignment
