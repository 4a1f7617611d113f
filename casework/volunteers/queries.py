"""The volunteer list: its status filter and hours per volunteer."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from casework.extensions import db
from casework.volunteers.models import Volunteer, VolunteerAssignment, VolunteerCategory

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
