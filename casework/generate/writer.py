"""Bulk writing: buffered rows per table, flushed by executemany (SQLite) or COPY (PostgreSQL).

Rows are plain tuples whose dates and times are already text in the form the database
stores, so no per-value conversion runs on the way in. Buffers are flushed in foreign-key
order, so parents always reach the database before their children.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, column, func, insert, inspect, select, table, text

from casework.extensions import Base

Row = tuple[Any, ...]


class SchemaMismatch(RuntimeError):
    """The database has a required column the generator does not fill."""


class Clock:
    """Dates and UTC times as the database stores them, cached by day."""

    def __init__(self, dialect: str) -> None:
        # SQLite keeps DateTime as naive UTC text; PostgreSQL reads an explicit offset.
        self._suffix = ".000000" if dialect == "sqlite" else "+00"
        self._days: dict[int, str] = {}

    def day(self, ordinal: int) -> str:
        text_ = self._days.get(ordinal)
        if text_ is None:
            text_ = date.fromordinal(ordinal).isoformat()
            self._days[ordinal] = text_
        return text_

    def at(self, ordinal: int, minute: int) -> str:
        """``minute`` counts from 00:00 UTC of the day (08:00 in Beijing is minute 0)."""
        return f"{self.day(ordinal)} {minute // 60:02d}:{minute % 60:02d}:00{self._suffix}"

    @staticmethod
    def ordinal(day: date) -> int:
        return day.toordinal()

    @staticmethod
    def to_date(ordinal: int) -> date:
        return date.fromordinal(ordinal)

    @staticmethod
    def plus(day: date, days: int) -> date:
        return day + timedelta(days=days)


class BulkWriter:
    def __init__(
        self,
        connection: Connection,
        *,
        batch_rows: int = 50_000,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self.batch_rows = batch_rows
        self._progress = progress or (lambda _n: None)
        self._columns: dict[str, tuple[str, ...]] = {}
        self._sql: dict[str, str] = {}
        self._buffers: dict[str, list[Row]] = {}
        self._pending = 0
        self._next_ids: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self._order = [t.name for t in Base.metadata.sorted_tables]

    # --- set-up ---------------------------------------------------------------------------

    def declare(self, name: str, columns: Sequence[str]) -> None:
        """Register the columns rows of ``name`` carry, checking the live schema first."""
        self._check_required(name, columns)
        cols = tuple(columns)
        self._columns[name] = cols
        self._buffers[name] = []
        self.counts.setdefault(name, 0)
        target = table(name, *(column(c) for c in cols))
        if self.dialect == "postgresql":
            quoted = ", ".join(f'"{c}"' for c in cols)
            self._sql[name] = f'COPY "{name}" ({quoted}) FROM STDIN'
        else:
            statement = insert(target).values({c: text("?") for c in cols})
            self._sql[name] = str(statement.compile(dialect=self.connection.dialect))
        if name not in self._order:
            self._order.append(name)

    def _check_required(self, name: str, columns: Sequence[str]) -> None:
        inspector = inspect(self.connection)
        pk = set(inspector.get_pk_constraint(name).get("constrained_columns") or [])
        missing = [
            col["name"]
            for col in inspector.get_columns(name)
            if not col.get("nullable", True)
            and col.get("default") is None
            and not (col["name"] in pk and col["name"] == "id")
            and col["name"] not in columns
        ]
        if missing:
            raise SchemaMismatch(
                f"table {name} has required columns the generator does not fill: "
                + ", ".join(missing)
            )

    def next_id(self, name: str) -> int:
        """Explicit primary keys, so children can point at parents without a round trip."""
        current = self._next_ids.get(name)
        if current is None:
            highest = self.connection.execute(
                select(func.max(column("id"))).select_from(table(name))
            ).scalar()
            current = int(highest or 0) + 1
        self._next_ids[name] = current + 1
        return current

    # --- rows -----------------------------------------------------------------------------

    def add(self, name: str, row: Row) -> None:
        self._buffers[name].append(row)
        self._pending += 1
        if self._pending >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        for name in self._order:
            rows = self._buffers.get(name)
            if rows:
                self._write(name, rows)
                self.counts[name] += len(rows)
                self._progress(len(rows))
                self._buffers[name] = []
        self._pending = 0

    def _write(self, name: str, rows: list[Row]) -> None:
        if self.dialect == "postgresql":
            raw: Any = self.connection.connection.driver_connection
            with raw.cursor() as cursor, cursor.copy(self._sql[name]) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            self.connection.exec_driver_sql(self._sql[name], rows)

    def reset_sequences(self) -> None:
        """After explicit ids, PostgreSQL's sequences must continue past them."""
        if self.dialect != "postgresql":
            return
        for name in self._next_ids:
            self.connection.execute(
                text(
                    # The table names are the generator's own, never input.
                    "SELECT setval(pg_get_serial_sequence(:t, 'id'), "  # noqa: S608  # nosec B608
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{name}"))'
                ),
                {"t": name},
            )
