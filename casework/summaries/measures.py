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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.engine import Connection

from casework.cases.enums import CaseStatus, TransferStatus
from casework.cases.models import Case, CaseTransfer, ClosureReport, ServiceRecord
from casework.core.clock import add_working_days, local_date, local_timezone
from casework.helpdesk.models import HelpRequest, StationProfile

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
    if start is not None and start == end:
        # One day (a write's unit-day): an equality, which every engine seeks on the
        # (unit_id, day) index instead of ranging over another index of the unit.
        return query.where(column == start)
    if start is not None:
        query = query.where(column >= start)
    if end is not None:
        query = query.where(column <= end)
    return query


def _in_units(query: Any, column: Any, units: UnitIds) -> Any:
    return query if units is None else query.where(column.in_(list(units)))


# --- cases that moved between units ---------------------------------------------------------
#
# A case counts at the unit that held it on the day in question: opened at the unit that
# opened it, in service at the unit that served it, and 在案 at each unit for the days it
# held it. The queries below group by the case's current unit (fast, and right for every
# case that never moved); ``_Moves`` then shifts the few counts of moved cases to where they
# belong. Closures need no shifting: a closed case cannot be transferred.


# Off only while an earlier migration fills the summaries, before case_transfers exists.
_COUNT_TRANSFERS: ContextVar[bool] = ContextVar("count_transfers", default=True)


@contextmanager
def before_transfers() -> Iterator[None]:
    """Count as if no case had moved (for the migration that predates transfers)."""
    token = _COUNT_TRANSFERS.set(False)
    try:
        yield
    finally:
        _COUNT_TRANSFERS.reset(token)


@dataclass(frozen=True)
class _Move:
    day: date
    from_unit: int
    to_unit: int


class _Moves:
    """The accepted transfers of the cases that were ever at one of ``units`` (all cases for
    None), with the filter of the measure being answered."""

    def __init__(
        self, connection: Connection, units: UnitIds, start: date | None, end: date | None
    ) -> None:
        self.units = None if units is None else set(units)
        self.start, self.end = start, end
        self.by_case: dict[int, list[_Move]] = defaultdict(list)
        if not _COUNT_TRANSFERS.get():
            return
        query = (
            select(
                CaseTransfer.case_id,
                CaseTransfer.transferred_on,
                CaseTransfer.from_unit_id,
                CaseTransfer.to_unit_id,
            )
            .where(
                CaseTransfer.status == TransferStatus.ACCEPTED,
                CaseTransfer.transferred_on.is_not(None),
            )
            .order_by(CaseTransfer.case_id, CaseTransfer.transferred_on, CaseTransfer.id)
        )
        if units is not None:
            touching = select(CaseTransfer.case_id).where(
                CaseTransfer.status == TransferStatus.ACCEPTED,
                or_(
                    CaseTransfer.from_unit_id.in_(list(units)),
                    CaseTransfer.to_unit_id.in_(list(units)),
                ),
            )
            query = query.where(CaseTransfer.case_id.in_(touching))
        for case_id, day, from_unit, to_unit in connection.execute(query):
            if day is not None:
                self.by_case[case_id].append(_Move(day, from_unit, to_unit))

    def __bool__(self) -> bool:
        return bool(self.by_case)

    @staticmethod
    def unit_on(moves: list[_Move], current: int, day: date) -> int:
        """The unit that held the case on ``day``."""
        if not moves:
            return current
        unit = moves[0].from_unit
        for move in moves:
            if day >= move.day:
                unit = move.to_unit
        return unit

    def put(self, rows: Rows, unit: int, day: date, key: str, count: int, amount: int = 0) -> None:
        """Add to ``rows`` what falls inside the measure's units and days."""
        if self.units is not None and unit not in self.units:
            return
        if (self.start is not None and day < self.start) or (
            self.end is not None and day > self.end
        ):
            return
        _add(rows, unit, day, key, count, amount)

    def shift(
        self,
        rows: Rows,
        from_unit: int,
        to_unit: int,
        day: date,
        key: str,
        count: int,
        amount: int = 0,
    ) -> None:
        """Move a count the current-unit query put at ``from_unit`` to ``to_unit``."""
        if from_unit != to_unit:
            self.put(rows, from_unit, day, key, -count, -amount)
            self.put(rows, to_unit, day, key, count, amount)

    def cases(self, connection: Connection, *columns: Any) -> list[Any]:
        """The moved cases: id, current unit and ``columns``."""
        return list(
            connection.execute(
                select(Case.id, Case.unit_id, *columns).where(Case.id.in_(list(self.by_case)))
            )
        )


def _without_zeros(rows: Rows) -> Rows:
    return {cell: values for cell, values in rows.items() if values != [0, 0]}


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
    rows = _grouped(connection, query, 3)
    moves = _Moves(connection, units, start, end)
    if moves:
        for case_id, current, opened_on, *key in moves.cases(connection, Case.opened_on, *parts):
            first = moves.by_case[case_id][0].from_unit
            moves.shift(rows, current, first, opened_on, key_of(*key), 1)
        rows = _without_zeros(rows)
    return rows


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
    moves = _Moves(connection, units, start, end)
    if moves:
        for case_id, current, opened_on, status in moves.cases(
            connection, Case.opened_on, Case.status
        ):
            if status is CaseStatus.DECLINED:
                continue
            case_moves = moves.by_case[case_id]
            moves.shift(rows, current, case_moves[0].from_unit, opened_on, "in", 1)
            for move in case_moves:
                moves.put(rows, move.from_unit, move.day, "out", 1)
                moves.put(rows, move.to_unit, move.day, "in", 1)
        rows = _without_zeros(rows)
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
    rows = _grouped(connection, query, 1)
    moves = _Moves(connection, units, start, end)
    if moves:
        current = dict(moves.cases(connection))
        served = _between(
            select(
                ServiceRecord.case_id,
                ServiceRecord.served_on,
                ServiceRecord.form,
                func.count(),
                func.sum(ServiceRecord.duration_minutes),
            )
            .where(ServiceRecord.case_id.in_(list(moves.by_case)))
            .group_by(ServiceRecord.case_id, ServiceRecord.served_on, ServiceRecord.form),
            ServiceRecord.served_on,
            start,
            end,
        )
        for case_id, day, form, count, minutes in connection.execute(served):
            now = current[case_id]
            then = moves.unit_on(moves.by_case[case_id], now, day)
            moves.shift(rows, now, then, day, key_of(form), count, minutes or 0)
        rows = _without_zeros(rows)
    return rows


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


def response_seconds(later: datetime, earlier: datetime) -> int:
    """Whole seconds between two instants: the unit of a response time."""

    def aware(moment: datetime) -> datetime:
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    return int((aware(later) - aware(earlier)).total_seconds())


def timing_keys(
    submitted_at: datetime,
    acknowledged_at: datetime | None,
    answered_at: datetime | None,
    limits: tuple[int, int],
) -> list[str]:
    """A request's response times and whether it is late, as keys of ``requests.timing``.

    ``ack|<seconds>`` and ``answer|<seconds>`` once acknowledged or answered. ``late`` when
    it was acknowledged or answered after its unit's limit (in working days); otherwise,
    while something is still waiting, ``due|<day>``: late once today is past that day.
    """
    zone = local_timezone()
    day = local_date(submitted_at, zone)
    ack_by = add_working_days(day, limits[0])
    answer_by = add_working_days(day, limits[1])
    keys = []
    if acknowledged_at is not None:
        keys.append(f"ack|{response_seconds(acknowledged_at, submitted_at)}")
    if answered_at is not None:
        keys.append(f"answer|{response_seconds(answered_at, submitted_at)}")
    late = (acknowledged_at is not None and local_date(acknowledged_at, zone) > ack_by) or (
        answered_at is not None and local_date(answered_at, zone) > answer_by
    )
    pending = [by for by, done in ((ack_by, acknowledged_at), (answer_by, answered_at)) if not done]
    if late:
        keys.append("late")
    elif pending:
        keys.append(f"due|{min(pending).isoformat()}")
    return keys


DEFAULT_LIMITS = (1, 5)  # a unit without a notice board: helpdesk.services.default_profile


def response_limits(connection: Connection, unit_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Each unit's limits to acknowledge and to answer, in working days."""
    query = select(
        StationProfile.unit_id,
        StationProfile.acknowledge_within_days,
        StationProfile.answer_within_days,
    ).where(StationProfile.unit_id.in_(list(unit_ids)))
    return {row[0]: (row[1], row[2]) for row in connection.execute(query)}


def requests_timing(
    connection: Connection, units: UnitIds, start: date | None, end: date | None
) -> Rows:
    """Response times and lateness of the requests submitted on a local day (``timing_keys``)."""
    query = _in_units(
        select(
            HelpRequest.unit_id,
            HelpRequest.submitted_at,
            HelpRequest.acknowledged_at,
            HelpRequest.answered_at,
        ),
        HelpRequest.unit_id,
        units,
    )
    if start is not None or end is not None:
        low, high = day_bounds(start or date(1900, 1, 1), end or date(9998, 12, 31))
        query = query.where(HelpRequest.submitted_at >= low, HelpRequest.submitted_at < high)
    found = connection.execute(query).all()
    limits = response_limits(connection, {row[0] for row in found})
    zone = local_timezone()
    rows: Rows = {}
    for unit_id, submitted_at, acknowledged_at, answered_at in found:
        day = local_date(submitted_at, zone)
        unit_limits = limits.get(unit_id, DEFAULT_LIMITS)
        for key in timing_keys(submitted_at, acknowledged_at, answered_at, unit_limits):
            _add(rows, unit_id, day, key, 1)
    return rows


def new_request_counts(
    connection: Connection, requests: Sequence[HelpRequest]
) -> list[tuple[str, int, date, str]]:
    """What requests just submitted add, as (measure, unit, day, key), one each.

    The same counts the measures' queries would find for them: a submission is added as it
    is, instead of recounting its station's day (which a flood of submissions to one station
    would make slower with every one).
    """
    zone = local_timezone()
    limits = response_limits(connection, {request.unit_id for request in requests})
    counts = []
    for request in requests:
        day = local_date(request.submitted_at, zone)
        counts.append(
            (
                "requests.submitted",
                request.unit_id,
                day,
                key_of(request.category, request.channel, request.status),
            )
        )
        if request.answered_at is not None:
            answered = local_date(request.answered_at, zone)
            counts.append(("requests.answered", request.unit_id, answered, ""))
        unit_limits = limits.get(request.unit_id, DEFAULT_LIMITS)
        for key in timing_keys(
            request.submitted_at, request.acknowledged_at, request.answered_at, unit_limits
        ):
            counts.append(("requests.timing", request.unit_id, day, key))
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
    Measure("requests.timing", REQUEST, requests_timing),
)
BY_NAME = {measure.name: measure for measure in MEASURES}
