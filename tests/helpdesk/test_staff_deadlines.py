"""Response limits in working days, and the overdue panel on the home page."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from flask.testing import FlaskClient

from casework.core.clock import (
    local_timezone,
    local_today,
    working_days_before,
    working_days_between,
)
from casework.extensions import db
from casework.helpdesk import services
from casework.helpdesk.models import HelpRequest, RequestStatus, StationProfile
from tests.conftest import Login
from tests.factories import (
    HelpRequestFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)

FRIDAY = date(2026, 11, 27)


def _submitted_on(help_request: HelpRequest, day: date) -> HelpRequest:
    moment = datetime.combine(day, time(10, 0), tzinfo=local_timezone()).astimezone(UTC)
    help_request.submitted_at = moment
    db.session.commit()
    return help_request


def test_deadlines_skip_the_weekend() -> None:
    help_request = HelpRequest(
        submitted_at=datetime(2026, 11, 27, 4, 0, tzinfo=UTC), status=RequestStatus.NEW
    )
    profile = StationProfile(acknowledge_within_days=1, answer_within_days=5)
    deadlines = services.deadlines(help_request, profile)
    assert FRIDAY.weekday() == 4
    assert deadlines.acknowledge_by == date(2026, 11, 30)  # Monday, not Saturday
    assert deadlines.answer_by == date(2026, 12, 4)  # the next Friday


def test_friday_evening_in_shanghai_counts_from_friday() -> None:
    """Friday 23:30 in Shanghai (15:30 UTC): the local date decides."""
    help_request = HelpRequest(
        submitted_at=datetime(2026, 11, 27, 15, 30, tzinfo=UTC), status=RequestStatus.NEW
    )
    profile = StationProfile(acknowledge_within_days=1, answer_within_days=5)
    assert services.deadlines(help_request, profile).acknowledge_by == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (FRIDAY, date(2026, 11, 28), 0),  # Saturday
        (FRIDAY, date(2026, 11, 30), 1),  # Monday
        (FRIDAY, date(2026, 12, 7), 6),  # a week on Monday
        (date(2026, 11, 23), date(2026, 11, 23), 0),
    ],
)
def test_working_days_between_skips_weekends(start: date, end: date, expected: int) -> None:
    assert working_days_between(start, end) == expected


def test_working_days_before_skips_weekends() -> None:
    assert working_days_before(date(2026, 11, 30), 1) == FRIDAY


@pytest.mark.parametrize("make_user", [WorkerFactory, StationHeadFactory])
def test_home_lists_the_units_overdue_requests(
    client: FlaskClient, login: Login, make_user: type
) -> None:
    user = make_user()
    late = HelpRequestFactory(unit=user.unit, description="等了很久还没人受理的求助")
    _submitted_on(late, working_days_before(local_today(), 3))
    login(user)
    html = client.get("/").get_data(as_text=True)
    assert 'id="overdue-requests"' in html
    assert f'href="/requests/{late.id}"' in html
    assert "逾期未受理" in html


def test_home_leaves_out_requests_within_their_limits(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    fresh = HelpRequestFactory(unit=worker.unit)
    login(worker)
    html = client.get("/").get_data(as_text=True)
    assert f'href="/requests/{fresh.id}"' not in html
    assert "本单位没有超过办理时限的求助" in html


def test_home_leaves_out_other_units_overdue_requests(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    elsewhere = HelpRequestFactory(unit=StationFactory())
    _submitted_on(elsewhere, working_days_before(local_today(), 3))
    login(worker)
    assert f'href="/requests/{elsewhere.id}"' not in client.get("/").get_data(as_text=True)


def test_home_leaves_out_answered_requests(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    answered = HelpRequestFactory(unit=worker.unit)
    services.reply(actor=worker, request=answered, body="已答复")
    _submitted_on(answered, working_days_before(local_today(), 10))
    login(worker)
    assert f'href="/requests/{answered.id}"' not in client.get("/").get_data(as_text=True)


def test_tutor_home_has_no_overdue_panel(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    login(TutorFactory(supervised_units=[station]))
    assert "逾期求助" not in client.get("/").get_data(as_text=True)
