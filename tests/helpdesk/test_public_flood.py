"""200 concurrent residents against the real app under gunicorn (2 workers, 127.0.0.1).

Every success must be stored exactly once with its own code, nothing may fail, and once
the limit is low, the submissions beyond it get 429 while the stored ones stay intact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from casework.extensions import db
from casework.helpdesk.models import HelpRequest, HelpRequestEvent
from casework.helpdesk.services import format_tracking_code
from tests.factories import StationFactory
from tests.servers import GUNICORN, flood_help_form, gunicorn

SUBMISSIONS = 200
LOW_LIMIT = 30

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")


@contextmanager
def _gunicorn(database_url: str, instance: Path, submit_limit: str) -> Iterator[str]:
    """The app as ``make run`` serves it: limits counted in the database, by every worker."""
    with gunicorn(database_url, instance, HELP_SUBMIT_RATE_LIMIT=submit_limit) as base:
        yield base


def _stored(app: Flask) -> tuple[int, set[str], int]:
    """Requests, their distinct (formatted) codes, and their events, as in the database."""
    with app.app_context():
        codes = list(db.session.scalars(select(HelpRequest.tracking_code)))
        events = db.session.scalar(select(func.count()).select_from(HelpRequestEvent)) or 0
    return len(codes), {format_tracking_code(code) for code in codes}, int(events)


@pytest.fixture
def seeded(make_app: Callable[..., Flask]) -> tuple[Flask, str]:
    app = make_app()
    with app.app_context():
        station_id = str(StationFactory().id)
    return app, station_id


def test_concurrent_submissions_are_each_stored_once_with_a_distinct_code(
    seeded: tuple[Flask, str], database_url: str, tmp_path: Path
) -> None:
    app, station = seeded
    with _gunicorn(database_url, tmp_path, submit_limit="1000 per minute") as base:
        result = flood_help_form.flood(base, SUBMISSIONS, station=station, timeout=60)
    print(f"\n{flood_help_form.report(result)}")
    stored, codes, events = _stored(app)
    assert result.failed == 0, result.errors
    assert result.successes == SUBMISSIONS
    assert stored == SUBMISSIONS
    assert codes == result.distinct_codes
    assert len(codes) == SUBMISSIONS
    assert events == SUBMISSIONS  # one "submitted" event each, nothing half-written


def test_submissions_beyond_the_limit_get_429_and_nothing_is_corrupted(
    seeded: tuple[Flask, str], database_url: str, tmp_path: Path
) -> None:
    app, station = seeded
    limit = f"{LOW_LIMIT} per minute"
    with _gunicorn(database_url, tmp_path, submit_limit=limit) as base:
        result = flood_help_form.flood(base, SUBMISSIONS, station=station, timeout=60)
    print(f"\n{flood_help_form.report(result)}")
    stored, codes, events = _stored(app)
    assert result.failed == 0, result.errors
    # Both workers count against the one limit, so exactly that many get through.
    assert result.successes == LOW_LIMIT
    assert result.rate_limited == SUBMISSIONS - LOW_LIMIT
    assert stored == result.successes == len(codes)
    assert codes == result.distinct_codes
    assert events == stored
