"""When a service record counts as written late: one definition for the record form's
reminder, the case page and the workers' summaries.

A service is recorded by its day (``ServiceRecord.served_on``), not its hour, so the
allowance runs from the end of that day where the stations are: with the default of 24
hours, a visit on Monday is on time if written by Tuesday midnight (local time).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import current_app

from casework.core.clock import local_timezone
from casework.core.models import as_utc

DEFAULT_LATE_HOURS = 24


def late_hours() -> int:
    """Hours after the end of the service day within which a record is on time."""
    return int(current_app.config.get("RECORD_LATE_HOURS", DEFAULT_LATE_HOURS))


def record_deadline(served_on: date, hours: int | None = None) -> datetime:
    """The moment (UTC) after which a record of a service on ``served_on`` is late."""
    allowance = late_hours() if hours is None else hours
    end_of_day = datetime.combine(served_on + timedelta(days=1), time(0), local_timezone())
    return (end_of_day + timedelta(hours=allowance)).astimezone(UTC)


def is_written_late(served_on: date, written_at: datetime, hours: int | None = None) -> bool:
    """Whether a record written at ``written_at`` of a service on ``served_on`` is late."""
    return as_utc(written_at) > record_deadline(served_on, hours)
