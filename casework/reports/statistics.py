"""The figures every level reports: computed by aggregate queries over a unit subtree.

Each function takes the unit ids in scope and a date range (inclusive) and returns plain
numbers, so the same figures feed the pages, the exports, the charts and the monthly PDF.
"""

from __future__ import annotations

import statistics as pystats
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, case, func, select

from casework.activities.models import CommunityActivity
from casework.cases.enums import (
    CaseSource,
    CaseStatus,
    ClosureType,
    RiskLevel,
    ServiceDomain,
    ServiceForm,
)
from casework.core.enums import LabelledEnum
from casework.core.numbers import one_decimal
from casework.extensions import db
from casework.groups.models import Attendance, AttendanceStatus, Group, GroupSession, GroupStatus
from casework.helpdesk.models import (
    Channel,
    RequestCategory,
    RequestStatus,
)
from casework.summaries import read as summaries
from casework.summaries.measures import CLOSED_STATUSES, day_bounds
from casework.volunteers.models import Volunteer, VolunteerAssignment

UnitIds = Sequence[int] | Select[int]


def _counts(query: Any) -> dict[Any, int]:
    return {key: int(count) for key, count in db.session.execute(query).all()}


@dataclass
class CaseFigures:
    opened: int = 0
    declined: int = 0
    closed: int = 0
    opened_by_domain: dict[ServiceDomain, int] = field(default_factory=dict)
    opened_by_source: dict[CaseSource, int] = field(default_factory=dict)
    opened_by_risk: dict[RiskLevel, int] = field(default_factory=dict)
    closed_by_type: dict[ClosureType, int] = field(default_factory=dict)


def _by_part(totals: summaries.Totals, *kinds: type[LabelledEnum]) -> list[dict[Any, int]]:
    """Counts of keys ``a|b|c`` summed by each part, one dict per enum of ``kinds``."""
    found: list[Counter[Any]] = [Counter() for _ in kinds]
    for key, (count, _amount) in totals.items():
        for counter, kind, part in zip(found, kinds, key.split("|"), strict=True):
            counter[kind.of(part)] += count
    return [dict(counter) for counter in found]


def case_figures(units: UnitIds, start: date, end: date) -> CaseFigures:
    """Cases opened (registered at intake), declined and closed in the period."""
    scope = summaries.cover(units)
    figures = CaseFigures()
    opened = summaries.totals("cases.opened", scope, start, end)
    by_domain, by_source, by_risk = _by_part(opened, ServiceDomain, CaseSource, RiskLevel)
    figures.opened = sum(by_domain.values())
    figures.opened_by_domain = by_domain
    figures.opened_by_source = by_source
    figures.opened_by_risk = by_risk
    ended = {
        CaseStatus.of(key): count
        for key, (count, _amount) in summaries.totals("cases.ended", scope, start, end).items()
    }
    figures.declined = ended.get(CaseStatus.DECLINED, 0)
    figures.closed = sum(ended.get(status, 0) for status in CLOSED_STATUSES)
    figures.closed_by_type = {
        ClosureType.of(key): count
        for key, (count, _amount) in summaries.totals("cases.closure", scope, start, end).items()
    }
    return figures


def open_case_count(units: UnitIds, day: date) -> int:
    """在案个案 of the units on ``day`` (``cases.open``: ``cases.queries.open_on``), from the
    running totals of cases opened and closed up to that day."""
    running = summaries.up_to("cases.open", summaries.cover(units), day)
    return running.get("in", [0, 0])[0] - running.get("out", [0, 0])[0]


@dataclass
class ServiceFigures:
    records: int = 0
    hours: float = 0.0
    records_by_form: dict[ServiceForm, int] = field(default_factory=dict)
    hours_by_form: dict[ServiceForm, float] = field(default_factory=dict)


def service_figures(units: UnitIds, start: date, end: date) -> ServiceFigures:
    """Service records and service hours by form (面谈, 家访, 电话 …)."""
    figures = ServiceFigures()
    minutes_total = 0
    for key, (count, minutes) in summaries.totals(
        "services", summaries.cover(units), start, end
    ).items():
        form = ServiceForm.of(key)
        figures.records_by_form[form] = count
        figures.hours_by_form[form] = one_decimal(minutes / 60)
        minutes_total += minutes
    figures.records = sum(figures.records_by_form.values())
    figures.hours = one_decimal(minutes_total / 60)
    return figures


@dataclass
class GroupFigures:
    groups_active: int = 0
    sessions_held: int = 0
    attendance_marks: int = 0
    present: int = 0

    @property
    def attendance_rate(self) -> float | None:
        """Share of attendance marks that are 出席, in percent."""
        return (
            one_decimal(100 * self.present / self.attendance_marks)
            if self.attendance_marks
            else None
        )


def group_figures(units: UnitIds, start: date, end: date) -> GroupFigures:
    """Groups running during the period, sessions held in it and their attendance."""
    low, high = day_bounds(start, end)
    figures = GroupFigures()
    figures.groups_active = (
        db.session.scalar(
            select(func.count()).where(
                Group.unit_id.in_(units),
                Group.status.in_(
                    (GroupStatus.RUNNING, GroupStatus.CLOSURE_PENDING_APPROVAL, GroupStatus.CLOSED)
                ),
                Group.started_on <= end,
                (Group.closed_on.is_(None)) | (Group.closed_on >= start),
            )
        )
        or 0
    )
    in_period = (
        select(GroupSession.id)
        .join(Group, Group.id == GroupSession.group_id)
        .where(
            Group.unit_id.in_(units),
            GroupSession.starts_at >= low,
            GroupSession.starts_at < high,
        )
    )
    # A session counts as held when its attendance was taken: one pass over the marks.
    held, marks, present = db.session.execute(
        select(
            func.count(func.distinct(Attendance.session_id)),
            func.count(),
            func.coalesce(
                func.sum(case((Attendance.status == AttendanceStatus.PRESENT, 1), else_=0)), 0
            ),
        ).where(Attendance.session_id.in_(in_period))
    ).one()
    figures.sessions_held = int(held)
    figures.attendance_marks = int(marks)
    figures.present = int(present)
    return figures


@dataclass
class ActivityFigures:
    activities: int = 0
    participants: int = 0


def activity_figures(units: UnitIds, start: date, end: date) -> ActivityFigures:
    count, participants = db.session.execute(
        select(func.count(), func.coalesce(func.sum(CommunityActivity.participant_count), 0)).where(
            CommunityActivity.unit_id.in_(units),
            CommunityActivity.held_on >= start,
            CommunityActivity.held_on <= end,
        )
    ).one()
    return ActivityFigures(activities=int(count), participants=int(participants))


@dataclass
class VolunteerFigures:
    registered: int = 0
    served: int = 0
    hours: float = 0.0


def volunteer_figures(units: UnitIds, start: date, end: date) -> VolunteerFigures:
    """Active volunteers registered, those who served in the period, and their hours."""
    registered = (
        db.session.scalar(
            select(func.count()).where(Volunteer.unit_id.in_(units), Volunteer.is_active.is_(True))
        )
        or 0
    )
    served, hours = db.session.execute(
        select(
            func.count(func.distinct(VolunteerAssignment.volunteer_id)),
            func.coalesce(func.sum(VolunteerAssignment.hours), 0),
        )
        .join(Volunteer, Volunteer.id == VolunteerAssignment.volunteer_id)
        .where(
            Volunteer.unit_id.in_(units),
            VolunteerAssignment.served_on >= start,
            VolunteerAssignment.served_on <= end,
        )
    ).one()
    return VolunteerFigures(registered=int(registered), served=int(served), hours=float(hours))


@dataclass
class RequestFigures:
    submitted: int = 0
    # First answered in the period, whenever submitted (a reply, referral, decline or case).
    answered: int = 0
    by_category: dict[RequestCategory, int] = field(default_factory=dict)
    by_channel: dict[Channel, int] = field(default_factory=dict)
    by_status: dict[RequestStatus, int] = field(default_factory=dict)
    hours_to_acknowledge_median: float | None = None
    hours_to_acknowledge_p90: float | None = None
    hours_to_answer_median: float | None = None
    hours_to_answer_p90: float | None = None
    # Submitted in the period and acknowledged or answered late (or still waiting, late).
    late: int = 0

    @property
    def late_share(self) -> float | None:
        return one_decimal(100 * self.late / self.submitted) if self.submitted else None


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (share in 0..1): an actual observed value, no interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))  # ceil(share * n)
    return one_decimal(ordered[rank - 1])


def _median(values: list[float]) -> float | None:
    return one_decimal(pystats.median(values)) if values else None


def request_figures(units: UnitIds, start: date, end: date, *, today: date) -> RequestFigures:
    """Help requests submitted in the period: counts, response times, share overdue.

    Response times are whole seconds from submission to acknowledgement (or answer), shown
    in hours; a request is overdue when it was acknowledged (or answered) after its unit's
    limit, or is still waiting past it on ``today`` (``summaries.measures.timing_keys``).
    """
    figures = RequestFigures()
    scope = summaries.cover(units)
    submitted = summaries.totals("requests.submitted", scope, start, end)
    figures.by_category, figures.by_channel, figures.by_status = _by_part(
        submitted, RequestCategory, Channel, RequestStatus
    )
    figures.submitted = sum(figures.by_category.values())
    answered = summaries.totals("requests.answered", scope, start, end)
    figures.answered = answered.get("", [0, 0])[0]
    to_acknowledge: list[float] = []
    to_answer: list[float] = []
    for key, (count, _amount) in summaries.totals("requests.timing", scope, start, end).items():
        kind, _, value = key.partition("|")
        if kind == "ack":
            to_acknowledge += [int(value) / 3600] * count
        elif kind == "answer":
            to_answer += [int(value) / 3600] * count
        elif kind == "late" or (kind == "due" and today > date.fromisoformat(value)):
            figures.late += count
    figures.hours_to_acknowledge_median = _median(to_acknowledge)
    figures.hours_to_acknowledge_p90 = percentile(to_acknowledge, 0.9)
    figures.hours_to_answer_median = _median(to_answer)
    figures.hours_to_answer_p90 = percentile(to_answer, 0.9)
    return figures


@dataclass
class MonthlyTrend:
    months: list[str]
    opened: list[int]
    closed: list[int]


def monthly_trend(units: UnitIds, first_month: date, months: int) -> MonthlyTrend:
    """Cases opened and closed per calendar month, ``months`` months from ``first_month``.

    Read from the month rows of the summaries: one query for each of the two counts.
    """
    starts = [first_month.replace(day=1)]
    for _index in range(months):
        starts.append((starts[-1] + timedelta(days=32)).replace(day=1))
    scope = summaries.cover(units)
    opened = summaries.by_month("cases.opened", scope, starts[0], months)
    ended = summaries.by_month("cases.ended", scope, starts[0], months)
    closed_keys = {status.value for status in CLOSED_STATUSES}

    def per_month(counts: dict[tuple[date, str], int], keys: set[str] | None) -> list[int]:
        totals = dict.fromkeys(starts[:-1], 0)
        for (month, key), count in counts.items():
            if keys is None or key in keys:
                totals[month] += count
        return list(totals.values())

    return MonthlyTrend(
        months=[start.strftime("%Y-%m") for start in starts[:-1]],
        opened=per_month(opened, None),
        closed=per_month(ended, closed_keys),
    )


@dataclass
class ActivityTrend:
    """Service records and help requests submitted per calendar month."""

    months: list[str]
    service_records: list[int]
    requests_submitted: list[int]


def activity_trend(units: UnitIds, first_month: date, months: int) -> ActivityTrend:
    """``services.records`` and ``requests.submitted`` per month, ``months`` months from
    ``first_month``: the month rows of the same measures ``service_figures`` and
    ``request_figures`` sum."""
    first = first_month.replace(day=1)
    starts = [first]
    for _index in range(months - 1):
        starts.append((starts[-1] + timedelta(days=32)).replace(day=1))
    scope = summaries.cover(units)

    def per_month(measure: str) -> list[int]:
        totals = dict.fromkeys(starts, 0)
        for (month, _key), count in summaries.by_month(measure, scope, first, months).items():
            totals[month] += count
        return list(totals.values())

    return ActivityTrend(
        months=[start.strftime("%Y-%m") for start in starts],
        service_records=per_month("services"),
        requests_submitted=per_month("requests.submitted"),
    )
