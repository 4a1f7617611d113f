"""Engine settings that the models cannot express: SQLite pragmas, PostgreSQL's statement
timeout for web requests."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, SessionTransaction


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Turn on foreign keys and WAL for SQLite; other databases are left alone."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Session, "after_begin")
def _limit_statements(
    _session: Session, _transaction: SessionTransaction, connection: Connection
) -> None:
    """In a web request on PostgreSQL, cancel any statement running past
    ``DATABASE_STATEMENT_TIMEOUT_MS`` (the request then answers 503). Set per transaction, so
    commands (migrations, rebuilds) run without a limit."""
    if connection.dialect.name != "postgresql" or not has_request_context():
        return
    limit = int(current_app.config.get("DATABASE_STATEMENT_TIMEOUT_MS") or 0)
    if limit > 0:
        connection.exec_driver_sql(f"SET LOCAL statement_timeout = {limit:d}")
