"""What each summary counts, written once as a query over the raw rows.

A measure's ``rows`` answers, for some units (or all) and a range of days (or all), the
count and amount per unit, day and key. The same function fills the table in bulk
(``flask casework rebuild-summaries``), recomputes the one unit-day a write touched, and is
what the consistency check compares the table against: the summaries cannot define a
figure differently from the raw rows, because they are built from this definition.

Keys are enum values; a key of several parts joins them with ``|``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Connection

from casework.cases.enums import CaseStatus
from casework.cases.models import Case, ClosureReport, ServiceRecord
from casework.core.clock import local_date, local_timezone
from casework.helpdesk.models import HelpRequest

# (unit_id, day, key) -> [count, amount]
Rows = dict[tuple[int, date, str], list[int]]
UnitIds = Sequence[int] | None

CLOSED_STATUSES = (CaseStatus.CLOSED, CaseStatus.FOLLOW_UP)
ENDED_STATUSES = (CaseStatus.DECLINED, *CLOSED_STATUSES)

# Which changed rows a measure follows: a change to a case touches its unit's days of the
# "case" family, and so on (see maintain.py).
CASE, SERVICE, REQUEST = "case", "service", "request"


def key_of(*parts: Any) -> str:
    return "|".join(getattr(part, "value", part) or "" for part in parts)


def _add(rows: Rows, unit_id: int, day: date, key: str, count: int, amount: int = 0) -> None:
    cell = rows.setdefault((unit_id, day, key), [0, 0])
    cell[0] += int(count)
    cell[1] += int(amount or 0)


def _between(query: Any, column: Any, start: date | None, end: date | None) -> Any:
    if start is not None:
        query = query.where(column >= start)
    if end is not None:
        query = query.where(column <= end)
    return query


def _in_units(query: Any, column: Any, units: UnitIds) -> Any:
    return query if units is None else query.where(column.in_(list(units)))


def _grouped(connection: Connection, query: Select[Any], key_width: int) -> Rows:
    """Rows of ``unit_id, day, <key_width key parts>, count[, amount]`` into ``Rows``."""
    rows: Rows = {}
    for row in connection.execute(query):
        parts, rest = row[2 : 2 + key_width], row[2 + key_width :]
        _add(rows, row[0], row[1], key_of(*parts), rest[0], rest[1] if len(rest) > 1 else 0)
    return rows


def cases_opened(
    connection: Connection, units: UnitIds, start: date | None, end: date | None
) -> Rows:
    """新开个案: cases by the day they were opened; key ``domain|source|risk``."""
    parts = (Case.domain, Case.source, Case.risk_level)
    query = select(Case.unit_id, Case.opened_on, *parts, func.count()).group_by(
        Case.unit_id, Case.opened_on, *parts
    )
    query = _between(_in_units(query, Case.unit_id, units), Case.opened_on, start, end)
    return _grouped(connection, query, 3)


def cases_ended(
    connection: Connection, units: UnitIds, start: date | None, end: date | None
) -> Rows:
    """结案 and 不予接案: cases by the day their closure was approved or they were declined;
    key ``status`` (declined, closed or follow_up)."""
    query = (
        select(Case.unit_id, Case.closed_on, Case.status, func.count())
        .where(Case.status.in_(ENDED_STATUSES), Case.closed_on.is_not(None))
        .group_by(Case.unit_id, Case.closed_on, Case.status)
    )
    query = _between(_in_units(query, Case.unit_id, units), Case.closed_on, start, end)
    return _grouped(connection, query, 1)


def cases_closure(
    connection: Connection, units: UnitIds, start: date | None, end: date | None
) -> Rows:
    """Closed cases by the type in their (current) closure report; key ``closure_type``."""
    query = (
        select(Case.unit_id, Case.closed_on, ClosureReport.closure_type, func.count())
        .join(Case, Case.id == ClosureReport.case_id)
        .where(
            Case.status.in_(CLOSED_STATUSES),
            Case.closed_on.is_not(None),
            ClosureReport.is_superseded.is_(False),
        )
        .group_by(Case.unit_id, Case.closed_on, ClosureReport.closure_type)
    )
    query = _between(_in_units(query, Case.unit_id, units), Case.closed_on, start, end)
    return _grouped(connection, query, 1)


def cases_open(
    connection: Connection, units: UnitIds, start: date | None, end: date | None
) -> Rows:
    """在案 as two running totals: ``in`` on the day a case was opened, ``out`` on the day its
    closure was approved, for every case not declined. Open on day D = in − out up to D,
    which is ``cases.queries.open_on``."""
    not_declined = Case.status != CaseStatus.DECLINED
    opened = (
        select(Case.unit_id, Case.opened_on, func.count())
        .where(not_declined)
        .group_by(Case.unit_id, Case.opened_on)
    )
    opened = _between(_in_units(opened, Case.unit_id, units), Case.opened_on, start, end)
    closed = (
        select(Case.unit_id, Case.closed_on, func.count())
        .where(not_declined, Case.closed_on.is_not(None))
        .group_by(Case.unit_id, Case.closed_on)
    )
    closed = _between(_in_units(closed, Case.unit_id, units), Case.closed_on, start, end)
    rows: Rows = {}
    for unit_id, day, count in connection.execute(opened):
        _add(rows, unit_id, day, "in", count)
    for unit_id, day, count in connection.execute(closed):
        _add(rows, unit_id, day, "out", count)
    return rows


def services(connection: Connection, units: UnitIds, start: date | None, end: date | None) -> Rows:
    """服务记录 by the day of the service; key ``form``, amount the minutes.

    A unit's records are reached through its cases (``case_id IN (…)``): see
    ``reports.statistics.service_figures`` for why not through a join alone.
    """
    query = (
        select(
            Case.unit_id,
            ServiceRecord.served_on,
            ServiceRecord.form,
            func.count(),
            func.sum(ServiceRecord.duration_minutes),
        )
        .join(Case, Case.id == ServiceRecord.case_id)
        .group_by(Case.unit_id, ServiceRecord.served_on, ServiceRecord.form)
    )
    if units is not None:
        query = query.where(
            ServiceRecord.case_id.in_(select(Case.id).where(Case.unit_id.in_(list(units))))
        )
    query = _between(query, ServiceRecord.served_on, start, end)
    return _grouped(connection, query, 1)


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants of local midnight at ``start`` and after ``end``."""
    zone = local_timezone()
    low = datetime.combine(start, time.min, tzinfo=zone).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    return low, high


def _by_local_day(
    connection: Connection,
    column: Any,
    parts: Sequence[Any],
    units: UnitIds,
    start: date | None,
    end: date | None,
) -> Rows:
    """Requests by the local day of ``column`` (a UTC timestamp), counted here: the day of a
    timestamp is worked out the same way on every engine."""
    query = _in_units(
        select(HelpRequest.unit_id, column, *parts).where(column.is_not(None)),
        HelpRequest.unit_id,
        units,
    )
    if start is not None or end is not None:
        low, high = day_bounds(start or date(1900, 1, 1), end or date(9998, 12, 31))
        query = query.where(column >= low, column < high)
    zone = local_timezone()
    counts: dict[tuple[int, date, str], int] = defaultdict(int)
    for row in connection.execute(query):
        counts[(row[0], local_date(row[1], zone), key_of(*row[2:]))] += 1
    rows: Rows = {}
    for (unit_id, day, key), count in counts.items():
        _add(rows, unit_id, day, key, count)
    return rows


def requests_submitted(
    connection: Connection, units: UnitIds, start: date | None, end: date | None
) -> Rows:
    """收到求助 by the local day submitted; key ``category|channel|status``."""
    parts = (HelpRequest.category, HelpRequest.channel, HelpRequest.status)
    return _by_local_day(connection, HelpRequest.submitted_at, parts, units, start, end)


def requests_answered(
    connection: Connection, units: UnitIds, start: date | None, end: date | None
) -> Rows:
    """答复求助 by the local day first answered; one key, ``""``."""
    return _by_local_day(connection, HelpRequest.answered_at, (), units, start, end)


def new_request_counts(request: HelpRequest) -> list[tuple[str, int, date, str]]:
    """What a request just submitted adds, as (measure, unit, day, key), one each.

    The same counts ``requests_submitted`` and ``requests_answered`` would find for it: a
    submission is added as it is, instead of recounting its station's day (which a flood of
    submissions to one station would make slower with every one).
    """
    zone = local_timezone()
    counts = [
        (
            "requests.submitted",
            request.unit_id,
            local_date(request.submitted_at, zone),
            key_of(request.category, request.channel, request.status),
        )
    ]
    if request.answered_at is not None:
        counts.append(
            ("requests.answered", request.unit_id, local_date(request.answered_at, zone), "")
        )
    return counts


@dataclass(frozen=True)
class Measure:
    name: str
    family: str
    rows: Callable[[Connection, UnitIds, date | None, date | None], Rows]


MEASURES = (
    Measure("cases.opened", CASE, cases_opened),
    Measure("cases.ended", CASE, cases_ended),
    Measure("cases.closure", CASE, cases_closure),
    Measure("cases.open", CASE, cases_open),
    Measure("services", SERVICE, services),
    Measure("requests.submitted", REQUEST, requests_submitted),
    Measure("requests.answered", REQUEST, requests_answered),
)
BY_NAME = {measure.name: measure for measure in MEASURES}
