"""Working days follow the State Council's holiday schedule, 调休 included."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.core import clock
from casework.helpdesk import services
from casework.helpdesk.models import HelpRequest, RequestStatus
from casework.home import views as home_views
from tests.conftest import Login
from tests.factories import AdminFactory, StationFactory


def test_a_request_before_the_spring_festival_is_due_after_the_holiday(app: Flask) -> None:
    # Friday 13 February 2026, 10:00 in Beijing; the holiday runs 15–23 February.
    station = StationFactory()
    request = HelpRequest(
        unit_id=station.id,
        submitted_at=datetime(2026, 2, 13, 2, 0, tzinfo=UTC),
        status=RequestStatus.NEW,
    )
    due = services.deadlines(request, services.default_profile(station.id))
    assert due.answer_by == date(2026, 2, 27)


def test_a_make_up_saturday_is_a_working_day(app: Flask) -> None:
    # Saturday 14 February 2026 is worked in place of a holiday.
    assert clock.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)


def test_the_national_day_week_is_not_counted(app: Flask) -> None:
    # Tuesday 29 September 2026 + 3 working days: the 30th, then 1–7 October off, 8 and 9.
    assert clock.add_working_days(date(2026, 9, 29), 3) == date(2026, 10, 9)


def test_working_days_between_skip_the_holiday(app: Flask) -> None:
    assert clock.working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2


def test_working_days_before_is_the_inverse(app: Flask) -> None:
    assert clock.working_days_before(date(2026, 2, 27), 5) == date(2026, 2, 13)


def test_a_year_without_a_schedule_counts_monday_to_friday(app: Flask) -> None:
    # 2030 is in no file: New Year's Day, a Tuesday, counts as a working day.
    assert clock.add_working_days(date(2029, 12, 31), 1) == date(2030, 1, 1)


def test_a_later_file_adds_a_year(tmp_path: Path) -> None:
    extra = tmp_path / "holidays.toml"
    extra.write_text('[2030]\nholidays = ["2030-01-01"]\nworkdays = []\n', encoding="utf-8")
    calendar = clock._calendar_from((str(clock.HOLIDAYS_FILE), str(extra)))
    assert (calendar.is_working_day(date(2030, 1, 1)), 2026 in calendar.years) == (False, True)


def test_the_shipped_schedule_has_the_years_in_use() -> None:
    calendar = clock._calendar_from((str(clock.HOLIDAYS_FILE),))
    assert {2025, 2026} <= calendar.years


def test_in_december_next_years_missing_schedule_is_reported(app: Flask) -> None:
    assert clock.missing_schedule_year(date(2026, 12, 7)) == 2027


def test_a_known_year_needs_nothing_before_december(app: Flask) -> None:
    assert clock.missing_schedule_year(date(2026, 6, 1)) is None


def test_the_administrators_home_page_asks_for_the_missing_schedule(
    client: FlaskClient, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(home_views, "local_today", lambda: date(2026, 12, 7))
    login(AdminFactory())
    assert 'id="holidays-missing"' in client.get("/").get_data(as_text=True)


def test_the_command_fails_while_a_schedule_is_missing(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "local_today", lambda: date(2026, 12, 7))
    result = app.test_cli_runner().invoke(args=["casework", "holidays"])
    assert (result.exit_code, "2027 is missing" in result.output) == (1, True)
