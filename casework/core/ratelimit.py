"""Rate-limit counters in the application's own database.

``RATELIMIT_STORAGE_URI = "database://"`` (the default) keeps Flask-Limiter's counters in
the ``rate_limit_counters`` table, so every worker and every host that shares the database
counts together, with SQLite as with PostgreSQL and without Redis. Each count is one atomic
upsert in its own short transaction, so a request that rolls back still counts, and two
workers counting at once never lose an increment. ``redis://`` remains available for
deployments that already run Redis.
"""

from __future__ import annotations

import time
from typing import Any

from limits.storage import Storage
from sqlalchemy import Float, String, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import Base, db

# Rows expired longer ago than this are swept out when a new window starts.
SWEEP_AFTER_SECONDS = 3600


class RateLimitCounter(Base):
    """One fixed window of one limit for one key (an address, a route)."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    hits: Mapped[int] = mapped_column(default=0)
    # Seconds since the epoch at which the window ends.
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class DatabaseStorage(Storage):
    """A ``limits`` storage for the fixed-window strategy on the app's database."""

    STORAGE_SCHEME = ["database"]  # noqa: RUF012  (the type limits declares)

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        counter = RateLimitCounter
        insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
        expired = counter.expires_at <= now
        upsert = (
            insert(counter)
            .values(key=key, hits=amount, expires_at=now + expiry)
            .on_conflict_do_update(
                index_elements=[counter.key],
                set_={
                    "hits": case((expired, amount), else_=counter.hits + amount),
                    "expires_at": case((expired, now + expiry), else_=counter.expires_at),
                },
            )
            .returning(counter.hits)
        )
        with db.engine.begin() as connection:
            hits = int(connection.execute(upsert).scalar_one())
            if hits == amount:  # a new window: sweep out long-dead ones
                connection.execute(
                    delete(counter).where(counter.expires_at < now - SWEEP_AFTER_SECONDS)
                )
        return hits

    def get(self, key: str) -> int:
        with db.engine.connect() as connection:
            row = connection.execute(
                select(RateLimitCounter.hits, RateLimitCounter.expires_at).where(
                    RateLimitCounter.key == key
                )
            ).first()
        if row is None or row.expires_at <= time.time():
            return 0
        return int(row.hits)

    def get_expiry(self, key: str) -> float:
        with db.engine.connect() as connection:
            expires_at = connection.execute(
                select(RateLimitCounter.expires_at).where(RateLimitCounter.key == key)
            ).scalar()
        return float(expires_at) if expires_at is not None else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(select(RateLimitCounter.key).limit(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return int(connection.execute(delete(RateLimitCounter)).rowcount or 0)

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(RateLimitCounter).where(RateLimitCounter.key == key))
