"""A service record is late once the allowance after the end of its service day has passed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask

from casework.cases.timeliness import is_written_late, record_deadline

MONDAY = date(2026, 11, 30)


def test_the_deadline_is_the_allowance_after_local_midnight(app: Flask) -> None:
    # Tuesday 24:00 in Shanghai is Tuesday 16:00 UTC.
    assert record_deadline(MONDAY, hours=24) == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)


def test_a_record_written_the_next_evening_is_on_time(app: Flask) -> None:
    written = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)  # Tuesday 21:00 local
    assert is_written_late(MONDAY, written) is False


def test_a_record_written_three_days_later_is_late(app: Flask) -> None:
    written = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)  # Thursday 10:00 local
    assert is_written_late(MONDAY, written) is True


def test_the_allowance_follows_the_setting(app: Flask) -> None:
    app.config["RECORD_LATE_HOURS"] = 72
    written = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
    assert is_written_late(MONDAY, written) is False


def test_a_naive_timestamp_is_read_as_utc(app: Flask) -> None:
    naive = datetime(2026, 12, 1, 16, 1)  # noqa: DTZ001  (as SQLite hands it back)
    assert is_written_late(MONDAY, naive) is True
