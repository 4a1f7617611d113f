"""One generation run: check the target, tune the connection for bulk loading, write, index."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select, text

from casework.accounts.services import hash_password
from casework.extensions import Base
from casework.generate.dataset import Generator
from casework.generate.marker import check_empty
from casework.generate.scales import STAFF_PASSWORD, Scale
from casework.generate.writer import BulkWriter
from casework.people.models import VulnerabilityTag
from casework.people.services import DEFAULT_TAGS
from casework.search.index import rebuild

# Commit after about this many rows, so SQLite's WAL and PostgreSQL's transaction stay small.
COMMIT_EVERY_ROWS = 1_000_000


@dataclass
class Summary:
    counts: dict[str, int]
    seconds: float
    search_index: str
    long_cases: list[int] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _tag_ids(connection: Connection) -> dict[str, int]:
    """The vulnerable-group tags, adding the standard ones that are missing."""
    tags = Base.metadata.tables[VulnerabilityTag.__tablename__]
    existing = {name: tag_id for tag_id, name in connection.execute(select(tags.c.id, tags.c.name))}
    missing = [name for name in DEFAULT_TAGS if name not in existing]
    if missing:
        start = len(existing)
        connection.execute(
            insert(tags),
            [{"name": name, "position": start + i + 1} for i, name in enumerate(missing)],
        )
        existing = {
            name: tag_id for tag_id, name in connection.execute(select(tags.c.id, tags.c.name))
        }
    return existing


def _tune(connection: Connection) -> Callable[[], None]:
    """Settings for bulk loading; returns the function that restores the usual ones."""
    if connection.dialect.name == "sqlite":
        raw: Any = connection.connection.driver_connection
        # Foreign keys are consistent by construction; checking each row would double the time.
        for pragma in (
            "PRAGMA foreign_keys=OFF",
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=OFF",
            "PRAGMA cache_size=-262144",
            "PRAGMA temp_store=MEMORY",
        ):
            raw.execute(pragma)

        def restore_sqlite() -> None:
            raw.execute("PRAGMA synchronous=NORMAL")
            raw.execute("PRAGMA foreign_keys=ON")
            raw.execute("PRAGMA cache_size=-2000")

        return restore_sqlite
    connection.execute(text("SET synchronous_commit = off"))
    superuser = connection.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    ).scalar()
    if superuser:
        # Skips the per-row foreign-key triggers; the rows are consistent by construction.
        connection.execute(text("SET session_replication_role = replica"))
    connection.commit()

    def restore_postgresql() -> None:
        connection.execute(text("RESET session_replication_role"))
        connection.execute(text("RESET synchronous_commit"))
        connection.commit()

    return restore_postgresql


def _analyze(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        raw: Any = connection.connection.driver_connection
        raw.execute("PRAGMA analysis_limit=1000")
        raw.execute("ANALYZE")
        raw.commit()
    else:
        # VACUUM too: it sets the visibility map, without which PostgreSQL will not choose
        # index-only scans (the statistics' aggregates over service records rely on them).
        # VACUUM cannot run inside a transaction block.
        connection.commit()
        level = connection.get_isolation_level()
        connection.execution_options(isolation_level="AUTOCOMMIT")
        try:
            connection.execute(text("VACUUM (ANALYZE)"))
            connection.commit()
        finally:
            connection.execution_options(isolation_level=level)


def rebuild_search_index(connection: Connection) -> str:
    """Rebuild the staff search index over everything written; describe how long it took."""
    started = time.perf_counter()
    documents = rebuild(connection)
    connection.commit()
    return f"rebuilt in {time.perf_counter() - started:.1f} s ({documents} documents)"


def generate(
    connection: Connection,
    scale: Scale,
    *,
    seed: int,
    as_of: date,
    progress: Callable[[int], None] | None = None,
    search_index: bool = True,
) -> Summary:
    """Fill the empty database behind ``connection``; raises Refusal if it is not empty."""
    check_empty(connection)
    tag_ids = _tag_ids(connection)
    connection.commit()
    restore = _tune(connection)
    started = time.perf_counter()
    try:
        writer = BulkWriter(connection, progress=progress)
        committed = [0]

        def checkpoint() -> None:
            written = sum(writer.counts.values())
            if written - committed[0] >= COMMIT_EVERY_ROWS:
                writer.flush()
                connection.commit()
                committed[0] = sum(writer.counts.values())

        generator = Generator(
            writer,
            scale,
            seed=seed,
            as_of=as_of,
            password_hash=hash_password(STAFF_PASSWORD),
            tag_ids=tag_ids,
            checkpoint=checkpoint,
        )
        generator.run()
        writer.reset_sequences()
        connection.commit()
        _analyze(connection)
    finally:
        restore()
    seconds = time.perf_counter() - started
    index = rebuild_search_index(connection) if search_index else "skipped"
    return Summary(
        counts=dict(writer.counts),
        seconds=seconds,
        search_index=index,
        long_cases=generator.long_cases,
    )
