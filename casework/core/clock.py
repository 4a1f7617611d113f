"""Today's date where the stations are (Asia/Shanghai), not where the server's clock is."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Shanghai"


def local_timezone() -> ZoneInfo:
    name = (
        current_app.config.get("BABEL_DEFAULT_TIMEZONE", DEFAULT_TIMEZONE)
        if has_app_context()
        else DEFAULT_TIMEZONE
    )
    return ZoneInfo(name)


def local_today() -> date:
    return datetime.now(local_timezone()).date()


@lru_cache(maxsize=4096)  # a pure function, called per request in the statistics
def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days (Monday–Friday) after ``start``.

    Public holidays and make-up working days (调休) are not known here, so a limit that
    spans the Spring Festival counts those days as working days.
    """
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def local_date(moment: datetime, zone: ZoneInfo | None = None) -> date:
    """The calendar date of ``moment`` in ``zone``, by default the stations' time zone.

    A naive ``moment`` is taken as UTC. Pass ``zone`` from ``local_timezone()`` when
    converting many moments.
    """
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone or local_timezone()).date()


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive time is taken to be UTC already."""
    # SQLite drops the offset: 14:30+08:00 stored as it is would come back as 14:30 UTC.
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment
