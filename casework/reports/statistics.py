"""The figures every level reports: computed by aggregate queries over a unit subtree.

Each function takes the unit ids in scope and a date range (inclusive) and returns plain
numbers, so the same figures feed the pages, the exports, the charts and the monthly PDF.
"""

from __future__ import annotations

import statistics as pystats
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, select

from casework.activities.models import CommunityActivity
from casework.cases.enums import (
    CaseSource,
    CaseStatus,
    ClosureType,
    RiskLevel,
    ServiceDomain,
    ServiceForm,
)
from casework.cases.models import Case, ClosureReport, ServiceRecord
from casework.cases.queries import open_cases_by_status
from casework.core.clock import add_working_days, local_date, local_timezone
from casework.core.numbers import one_decimal
from casework.extensions import db
from casework.groups.models import Attendance, AttendanceStatus, Group, GroupSession, GroupStatus
from casework.helpdesk.models import (
    Channel,
    HelpRequest,
    RequestCategory,
    RequestStatus,
    StationProfile,
)
from casework.volunteers.models import Volunteer, VolunteerAssignment

UnitIds = Sequence[int] | Select[int]


def _period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants of local midnight at ``start`` and after ``end``."""
    zone = local_timezone()
    low = datetime.combine(start, time.min, tzinfo=zone).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    return low, high


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


def case_figures(units: UnitIds, start: date, end: date) -> CaseFigures:
    """Cases opened (registered at intake), declined and closed in the period."""
    in_units = Case.unit_id.in_(units)
    opened = and_(in_units, Case.opened_on >= start, Case.opened_on <= end)
    figures = CaseFigures()
    # One pass over the cases opened: counts by domain × source × risk, summed here.
    by_domain: Counter[ServiceDomain] = Counter()
    by_source: Counter[CaseSource] = Counter()
    by_risk: Counter[RiskLevel] = Counter()
    for domain, source, risk, count in db.session.execute(
        select(Case.domain, Case.source, Case.risk_level, func.count())
        .where(opened)
        .group_by(Case.domain, Case.source, Case.risk_level)
    ):
        by_domain[domain] += count
        by_source[source] += count
        by_risk[risk] += count
    figures.opened = sum(by_domain.values())
    figures.opened_by_domain = dict(by_domain)
    figures.opened_by_source = dict(by_source)
    figures.opened_by_risk = dict(by_risk)
    ended = and_(in_units, Case.closed_on >= start, Case.closed_on <= end)
    closed_statuses = (CaseStatus.CLOSED, CaseStatus.FOLLOW_UP)
    ended_by_status = _counts(
        select(Case.status, func.count())
        .where(ended, Case.status.in_((CaseStatus.DECLINED, *closed_statuses)))
        .group_by(Case.status)
    )
    figures.declined = ended_by_status.get(CaseStatus.DECLINED, 0)
    figures.closed = sum(ended_by_status.get(status, 0) for status in closed_statuses)
    closed = and_(ended, Case.status.in_(closed_statuses))
    figures.closed_by_type = _counts(
        select(ClosureReport.closure_type, func.count())
        .join(Case, Case.id == ClosureReport.case_id)
        .where(closed, ClosureReport.is_superseded.is_(False))
        .group_by(ClosureReport.closure_type)
    )
    return figures


def open_case_count(units: UnitIds, day: date) -> int:
    """在案个案 of the units on ``day`` (``cases.open``: the definition every page shares)."""
    return sum(open_cases_by_status(select(Case).where(Case.unit_id.in_(units)), day).values())


@dataclass
class ServiceFigures:
    records: int = 0
    hours: float = 0.0
    records_by_form: dict[ServiceForm, int] = field(default_factory=dict)
    hours_by_form: dict[ServiceForm, float] = field(default_factory=dict)


def service_figures(units: UnitIds, start: date, end: date) -> ServiceFigures:
    """Service records and service hours by form (面谈, 家访, 电话 …).

    The records are reached through the cases of the units (``case_id IN (…)``), not by a
    join: with a join SQLite scans every record of the period in the whole database and
    then drops those of other units (at province scale, one city: 0.9 s instead of 85 ms).
    """
    cases_of_units = select(Case.id).where(Case.unit_id.in_(units))
    rows = db.session.execute(
        select(ServiceRecord.form, func.count(), func.sum(ServiceRecord.duration_minutes))
        .where(
            ServiceRecord.case_id.in_(cases_of_units),
            ServiceRecord.served_on >= start,
            ServiceRecord.served_on <= end,
        )
        .group_by(ServiceRecord.form)
    ).all()
    figures = ServiceFigures()
    for form, count, minutes in rows:
        figures.records_by_form[form] = int(count)
        figures.hours_by_form[form] = one_decimal(int(minutes or 0) / 60)
    figures.records = sum(figures.records_by_form.values())
    figures.hours = one_decimal(sum(int(m or 0) for _f, _c, m in rows) / 60)
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
    low, high = _period_bounds(start, end)
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


def _hours(later: datetime, earlier: datetime) -> float:
    def aware(moment: datetime) -> datetime:
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    return (aware(later) - aware(earlier)).total_seconds() / 3600


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (share in 0..1): an actual observed value, no interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))  # ceil(share * n)
    return one_decimal(ordered[rank - 1])


def request_figures(units: UnitIds, start: date, end: date, *, today: date) -> RequestFigures:
    """Help requests submitted in the period: counts, response times, share overdue.

    A request is overdue when it was acknowledged (or answered) after its unit's limit, or
    is still waiting past it on ``today``.
    """
    low, high = _period_bounds(start, end)
    in_period = and_(
        HelpRequest.unit_id.in_(units),
        HelpRequest.submitted_at >= low,
        HelpRequest.submitted_at < high,
    )
    figures = RequestFigures()
    figures.by_category = _counts(
        select(HelpRequest.category, func.count()).where(in_period).group_by(HelpRequest.category)
    )
    figures.by_channel = _counts(
        select(HelpRequest.channel, func.count()).where(in_period).group_by(HelpRequest.channel)
    )
    figures.by_status = _counts(
        select(HelpRequest.status, func.count()).where(in_period).group_by(HelpRequest.status)
    )
    figures.submitted = sum(figures.by_category.values())
    figures.answered = (
        db.session.scalar(
            select(func.count()).where(
                HelpRequest.unit_id.in_(units),
                HelpRequest.answered_at >= low,
                HelpRequest.answered_at < high,
            )
        )
        or 0
    )
    rows = db.session.execute(
        select(
            HelpRequest.unit_id,
            HelpRequest.submitted_at,
            HelpRequest.acknowledged_at,
            HelpRequest.answered_at,
        ).where(in_period)
    ).all()
    profiles = {
        profile.unit_id: profile
        for profile in db.session.scalars(
            select(StationProfile).where(StationProfile.unit_id.in_({row[0] for row in rows}))
        )
    }
    to_acknowledge: list[float] = []
    to_answer: list[float] = []
    zone = local_timezone()
    for unit_id, submitted_at, acknowledged_at, answered_at in rows:
        profile = profiles.get(unit_id)
        ack_days = profile.acknowledge_within_days if profile else 1
        answer_days = profile.answer_within_days if profile else 5
        submitted_day = local_date(submitted_at, zone)
        ack_by = add_working_days(submitted_day, ack_days)
        answer_by = add_working_days(submitted_day, answer_days)
        if acknowledged_at is not None:
            to_acknowledge.append(_hours(acknowledged_at, submitted_at))
        if answered_at is not None:
            to_answer.append(_hours(answered_at, submitted_at))
        late_ack = (local_date(acknowledged_at, zone) if acknowledged_at else today) > ack_by
        late_answer = (local_date(answered_at, zone) if answered_at else today) > answer_by
        if late_ack or late_answer:
            figures.late += 1
    if to_acknowledge:
        figures.hours_to_acknowledge_median = one_decimal(pystats.median(to_acknowledge))
        figures.hours_to_acknowledge_p90 = percentile(to_acknowledge, 0.9)
    if to_answer:
        figures.hours_to_answer_median = one_decimal(pystats.median(to_answer))
        figures.hours_to_answer_p90 = percentile(to_answer, 0.9)
    return figures


@dataclass
class MonthlyTrend:
    months: list[str]
    opened: list[int]
    closed: list[int]


def monthly_trend(units: UnitIds, first_month: date, months: int) -> MonthlyTrend:
    """Cases opened and closed per calendar month, ``months`` months from ``first_month``.

    Two grouped queries count per day over the whole range (at most a few hundred rows),
    and the days are summed into months here: no query per month, and no month function
    that differs between SQLite and PostgreSQL.
    """
    starts = [first_month.replace(day=1)]
    for _index in range(months):
        starts.append((starts[-1] + timedelta(days=32)).replace(day=1))
    first, after = starts[0], starts[-1]
    in_units = Case.unit_id.in_(units)
    opened_by_day = _counts(
        select(Case.opened_on, func.count())
        .where(in_units, Case.opened_on >= first, Case.opened_on < after)
        .group_by(Case.opened_on)
    )
    closed_by_day = _counts(
        select(Case.closed_on, func.count())
        .where(
            in_units,
            Case.closed_on >= first,
            Case.closed_on < after,
            Case.status.in_((CaseStatus.CLOSED, CaseStatus.FOLLOW_UP)),
        )
        .group_by(Case.closed_on)
    )

    def per_month(by_day: dict[date, int]) -> list[int]:
        totals = [0] * months
        for day, count in by_day.items():
            index = (day.year - first.year) * 12 + day.month - first.month
            totals[index] += count
        return totals

    return MonthlyTrend(
        months=[start.strftime("%Y-%m") for start in starts[:-1]],
        opened=per_month(opened_by_day),
        closed=per_month(closed_by_day),
    )
