"""Keeping the summaries in step with every write, in the write's own transaction.

After each ORM flush, the unit-days a change touched (the old and the new unit and day of
every changed case, closure report, service record or help request) are recomputed from the
raw rows with the measure's own query. The difference from the stored ``own`` row is added
to that row and to the ``tree`` rows (by day and by month) of the unit and every unit above
it. Upserts are sorted by key, so two transactions touching the same rows take their locks
in the same order.

``rebuild`` fills the table from scratch (``flask casework rebuild-summaries``): after a
bulk load such as ``flask casework generate``, or to repair a table that a write outside the
ORM left behind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from casework.cases.enums import TransferStatus
from casework.cases.models import Case, CaseTransfer, ClosureReport, ServiceRecord
from casework.core.clock import local_date, local_timezone
from casework.helpdesk.models import HelpRequest, StationProfile
from casework.orgs.models import Unit
from casework.summaries.measures import (
    CASE,
    MEASURES,
    REQUEST,
    SERVICE,
    Rows,
    new_request_counts,
)
from casework.summaries.models import DAY, MONTH, OWN, TREE, UnitSummary

TABLE = UnitSummary.__table__
KEY_COLUMNS = ("measure", "scope", "grain", "unit_id", "day", "key")
BATCH = 20_000

# The attributes whose change can move a count, per model.
WATCHED: dict[type, tuple[str, ...]] = {
    Case: ("unit_id", "opened_on", "closed_on", "status", "domain", "source", "risk_level"),
    ClosureReport: ("case_id", "closure_type", "is_superseded"),
    ServiceRecord: ("case_id", "served_on", "form", "duration_minutes"),
    HelpRequest: (
        "unit_id",
        "submitted_at",
        "acknowledged_at",
        "answered_at",
        "category",
        "channel",
        "status",
    ),
    StationProfile: ("acknowledge_within_days", "answer_within_days"),
    CaseTransfer: ("status", "transferred_on", "from_unit_id", "to_unit_id"),
}

Bucket = tuple[int, date]  # (unit_id, day)


def month_of(day: date) -> date:
    return day.replace(day=1)


def ancestors(path: str, unit_id: int) -> list[int]:
    """The unit and every unit above it, from its materialised path ("/1/4/9/")."""
    ids = [int(part) for part in path.strip("/").split("/") if part]
    return ids or [unit_id]


# --- what a flush touched ------------------------------------------------------------------


def _values(obj: Any, name: str) -> set[Any]:
    """The attribute's value before and after the flush (both, when it changed)."""
    history = inspect(obj).attrs[name].history
    found = {*history.added, *history.deleted, *history.unchanged}
    found.discard(None)
    return found


def _changed(obj: Any, names: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


class Touched:
    """The unit-days of each family a flush touched."""

    def __init__(self) -> None:
        self.buckets: dict[str, set[Bucket]] = defaultdict(set)
        self.service_days_by_case: dict[int, set[date]] = defaultdict(set)
        self.closure_cases: set[int] = set()
        self.moved_cases: dict[int, set[int]] = {}
        # Days of the "case" family each changed case touched (recounted at every unit that
        # ever held the case, since a moved case counts at the unit that held it then).
        self.case_days: dict[int, set[date]] = defaultdict(set)
        # Requests just submitted, added as they are (``new_request_counts``).
        self.new_requests: list[HelpRequest] = []
        # Units whose every request day is recounted (their response limits changed).
        self.whole_units: set[int] = set()

    def __bool__(self) -> bool:
        return bool(
            self.buckets
            or self.service_days_by_case
            or self.closure_cases
            or self.moved_cases
            or self.new_requests
            or self.whole_units
        )

    def add_case(self, case: Case) -> None:
        units = _values(case, "unit_id")
        days = _values(case, "opened_on") | _values(case, "closed_on")
        self.buckets[CASE].update((unit, day) for unit in units for day in days)
        if case.id is not None:
            self.case_days[case.id].update(days)
            if len(units) > 1:
                self.moved_cases.setdefault(case.id, set()).update(units)

    def add_transfer(self, transfer: CaseTransfer) -> None:
        """An accepted transfer moves the case's counts from its day on (``measures``)."""
        units = _values(transfer, "from_unit_id") | _values(transfer, "to_unit_id")
        days = _values(transfer, "transferred_on")
        self.buckets[CASE].update((unit, day) for unit in units for day in days)
        for case_id in _values(transfer, "case_id"):
            self.moved_cases.setdefault(case_id, set()).update(units)
            self.case_days[case_id].update(days)

    def add_request(self, request: HelpRequest) -> None:
        zone = local_timezone()
        moments: set[datetime] = _values(request, "submitted_at") | _values(request, "answered_at")
        days = {local_date(moment, zone) for moment in moments}
        self.buckets[REQUEST].update(
            (unit, day) for unit in _values(request, "unit_id") for day in days
        )

    def add_record(self, record: ServiceRecord) -> None:
        for case_id in _values(record, "case_id"):
            self.service_days_by_case[case_id].update(_values(record, "served_on"))

    def resolve(self, connection: Connection) -> None:
        """Turn case ids into their units (as written by this flush), and every unit that
        held a touched case before."""
        case_ids = (
            set(self.service_days_by_case)
            | self.closure_cases
            | set(self.case_days)
            | set(self.moved_cases)
        )
        if not case_ids:
            return
        held = _units_that_held(connection, case_ids)
        for case_id, unit_id, opened_on, closed_on in connection.execute(
            select(Case.id, Case.unit_id, Case.opened_on, Case.closed_on).where(
                Case.id.in_(case_ids)
            )
        ):
            units = {unit_id} | held.get(case_id, set()) | self.moved_cases.get(case_id, set())
            days = set(self.case_days.get(case_id, ()))
            if case_id in self.closure_cases and closed_on is not None:
                days.add(closed_on)
            if case_id in self.moved_cases:
                days.add(opened_on)
            self.buckets[CASE].update((unit, day) for unit in units for day in days)
            self.buckets[SERVICE].update(
                (unit, day) for unit in units for day in self.service_days_by_case.get(case_id, ())
            )
        for case_id, units in self.moved_cases.items():
            served = connection.scalars(
                select(ServiceRecord.served_on).where(ServiceRecord.case_id == case_id).distinct()
            ).all()
            every = units | held.get(case_id, set())
            self.buckets[SERVICE].update((unit, day) for unit in every for day in served)


def _units_that_held(connection: Connection, case_ids: set[int]) -> dict[int, set[int]]:
    """The units each case was transferred from or to (accepted transfers)."""
    held: dict[int, set[int]] = defaultdict(set)
    for case_id, from_unit, to_unit in connection.execute(
        select(CaseTransfer.case_id, CaseTransfer.from_unit_id, CaseTransfer.to_unit_id).where(
            CaseTransfer.case_id.in_(case_ids),
            CaseTransfer.status == TransferStatus.ACCEPTED,
        )
    ):
        held[case_id].update((from_unit, to_unit))
    return held


def _touched(session: Session) -> Touched:
    touched = Touched()
    dirty = [obj for obj in session.dirty if type(obj) in WATCHED]
    changed = [obj for obj in dirty if _changed(obj, WATCHED[type(obj)])]
    new = list(session.new)
    submitted = {id(obj) for obj in new if isinstance(obj, HelpRequest)}
    for obj in (*new, *changed, *session.deleted):
        if id(obj) in submitted:
            touched.new_requests.append(obj)
        elif isinstance(obj, StationProfile):
            touched.whole_units.add(obj.unit_id)
        elif isinstance(obj, Case):
            touched.add_case(obj)
        elif isinstance(obj, HelpRequest):
            touched.add_request(obj)
        elif isinstance(obj, ServiceRecord):
            touched.add_record(obj)
        elif isinstance(obj, ClosureReport):
            touched.closure_cases.update(_values(obj, "case_id"))
        elif isinstance(obj, CaseTransfer):
            touched.add_transfer(obj)
    return touched


# --- writing -------------------------------------------------------------------------------


def _upsert(connection: Connection, increments: dict[tuple[Any, ...], list[int]]) -> None:
    """Add each (count, amount) to its row, creating missing rows, in key order."""
    if not increments:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(TABLE)
    statement = statement.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={
            "count": TABLE.c.count + statement.excluded.count,
            "amount": TABLE.c.amount + statement.excluded.amount,
        },
    )
    rows = [
        {**dict(zip(KEY_COLUMNS, key, strict=True)), "count": count, "amount": amount}
        for key, (count, amount) in sorted(increments.items())
    ]
    connection.execute(statement, rows)
    # Rows that fell to zero go; by their whole key, so that every engine seeks the key.
    connection.execute(
        delete(TABLE).where(
            *(TABLE.c[name] == bindparam(f"k_{name}") for name in KEY_COLUMNS),
            TABLE.c.count == 0,
            TABLE.c.amount == 0,
        ),
        [{f"k_{name}": row[name] for name in KEY_COLUMNS} for row in rows],
    )


def _stored(connection: Connection, measure: str, buckets: list[Bucket]) -> Rows:
    """The ``own`` rows of ``buckets``, one seek of the key's prefix each."""
    rows: Rows = {}
    query = select(TABLE.c.key, TABLE.c.count, TABLE.c.amount).where(
        TABLE.c.measure == measure,
        TABLE.c.scope == OWN,
        TABLE.c.grain == DAY,
        TABLE.c.unit_id == bindparam("unit_id"),
        TABLE.c.day == bindparam("day"),
    )
    for unit_id, day in buckets:
        for key, count, amount in connection.execute(query, {"unit_id": unit_id, "day": day}):
            rows[(unit_id, day, key)] = [count, amount]
    return rows


def _stored_of_unit(connection: Connection, measure: str, unit_id: int) -> Rows:
    """Every ``own`` day row of one unit."""
    query = select(TABLE.c.day, TABLE.c.key, TABLE.c.count, TABLE.c.amount).where(
        TABLE.c.measure == measure,
        TABLE.c.scope == OWN,
        TABLE.c.grain == DAY,
        TABLE.c.unit_id == unit_id,
    )
    return {
        (unit_id, day, key): [count, amount]
        for day, key, count, amount in connection.execute(query)
    }


def apply(connection: Connection, touched: Touched) -> None:
    """Recompute the touched unit-days and carry the differences up the tree."""
    touched.resolve(connection)
    added = new_request_counts(connection, touched.new_requests) if touched.new_requests else []
    all_units = {unit for buckets in touched.buckets.values() for unit, _day in buckets}
    all_units |= {unit for _measure, unit, _day, _key in added} | touched.whole_units
    if not all_units:
        return
    paths = {
        row[0]: row[1]
        for row in connection.execute(select(Unit.id, Unit.path).where(Unit.id.in_(all_units)))
    }
    increments: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])

    def add(measure: str, unit_id: int, day: date, key: str, count: int, amount: int) -> None:
        targets = [(OWN, DAY, unit_id, day)]
        for above in ancestors(paths.get(unit_id, ""), unit_id):
            targets += [(TREE, DAY, above, day), (TREE, MONTH, above, month_of(day))]
        for scope, grain, unit, when in targets:
            total = increments[(measure, scope, grain, unit, when, key)]
            total[0] += count
            total[1] += amount

    for measure_name, unit_id, day, key in added:
        add(measure_name, unit_id, day, key, 1, 0)
    for measure in MEASURES:
        buckets = sorted(touched.buckets.get(measure.family, ()))
        whole = sorted(touched.whole_units) if measure.name == "requests.timing" else []
        if not buckets and not whole:
            continue
        fresh: Rows = {}
        for unit_id, day in buckets:
            fresh.update(measure.rows(connection, [unit_id], day, day))
        stored = _stored(connection, measure.name, buckets)
        for unit_id in whole:
            fresh.update(measure.rows(connection, [unit_id], None, None))
            stored.update(_stored_of_unit(connection, measure.name, unit_id))
        for cell in fresh.keys() | stored.keys():
            new, old = fresh.get(cell, [0, 0]), stored.get(cell, [0, 0])
            count, amount = new[0] - old[0], new[1] - old[1]
            if not (count or amount):
                continue
            unit_id, day, key = cell
            add(measure.name, unit_id, day, key, count, amount)
    _upsert(connection, {key: value for key, value in increments.items() if any(value)})


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Load what a deleted row counted while it can still be loaded."""
    for obj in session.deleted:
        for name in WATCHED.get(type(obj), ()):
            getattr(obj, name)


def _after_flush(session: Session, _context: Any) -> None:
    touched = _touched(session)
    if touched:
        apply(session.connection(), touched)


def _keep_old_value(_target: Any, value: Any, _old: Any, _initiator: Any) -> Any:
    return value


def register_summary_events() -> None:
    """Keep the summaries in step with every ORM flush (idempotent).

    The watched attributes keep their old value when set (``active_history``), even on a
    row whose attributes expired at the last commit: a change must also be taken away from
    the unit-day it used to count in.
    """
    if event.contains(Session, "after_flush", _after_flush):
        return
    for model, names in WATCHED.items():
        for name in names:
            event.listen(getattr(model, name), "set", _keep_old_value, active_history=True)
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)


# --- bulk ----------------------------------------------------------------------------------


COLUMNS = (*KEY_COLUMNS, "count", "amount")


def _insert(connection: Connection, rows: Iterable[tuple[Any, ...]]) -> int:
    """Write rows of ``COLUMNS`` in bulk: COPY on PostgreSQL, executemany on SQLite."""
    written = 0
    if connection.dialect.name == "postgresql":
        cursor: Any = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            with cursor.copy(f"COPY unit_summaries ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
        finally:
            cursor.close()
        return written
    statement = (
        "INSERT INTO unit_summaries (measure, scope, grain, unit_id, day, key, count, amount) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        # Days as SQLAlchemy stores a Date on SQLite: ISO text.
        batch.append((*row[:4], row[4].isoformat(), *row[5:]))
        if len(batch) >= BATCH:
            connection.exec_driver_sql(statement, batch)
            written += len(batch)
            batch = []
    if batch:
        connection.exec_driver_sql(statement, batch)
        written += len(batch)
    return written


def rebuild(connection: Connection, names: Iterable[str] | None = None) -> dict[str, int]:
    """Refill the table (or the rows of the measures ``names``) from the raw rows; the rows
    written per measure."""
    chosen = [m for m in MEASURES if names is None or m.name in set(names)]
    connection.execute(delete(TABLE).where(TABLE.c.measure.in_([m.name for m in chosen])))
    paths = {row[0]: row[1] for row in connection.execute(select(Unit.id, Unit.path))}
    written: dict[str, int] = {}
    for measure in chosen:
        own = measure.rows(connection, None, None, None)
        tree: dict[tuple[str, int, date, str], list[int]] = defaultdict(lambda: [0, 0])
        for (unit_id, day, key), (count, amount) in own.items():
            for above in ancestors(paths.get(unit_id, ""), unit_id):
                for grain, when in ((DAY, day), (MONTH, month_of(day))):
                    total = tree[(grain, above, when, key)]
                    total[0] += count
                    total[1] += amount
        name = measure.name
        written[name] = _insert(
            connection,
            (
                (name, OWN, DAY, unit_id, day, key, count, amount)
                for (unit_id, day, key), (count, amount) in own.items()
            ),
        )
        del own
        written[name] += _insert(
            connection,
            (
                (name, TREE, grain, unit_id, day, key, count, amount)
                for (grain, unit_id, day, key), (count, amount) in tree.items()
            ),
        )
        del tree
    # Statistics for the planner, which has never seen the refilled table.
    connection.exec_driver_sql("ANALYZE unit_summaries")
    return written
