"""The demo help requests: every status, a conversion, referrals, overdue ones, notice boards."""

from __future__ import annotations

from sqlalchemy import select

from casework.core.models import utcnow
from casework.extensions import db
from casework.helpdesk import queries
from casework.helpdesk.models import (
    Channel,
    EventKind,
    HelpRequest,
    HelpRequestEvent,
    RequestStatus,
    StationProfile,
)
from casework.hotline.models import WorkOrder
from casework.orgs.models import Unit
from tests.demo.conftest import Seeded

STATIONS = ("CC-CQ-HX", "CC-CQ-XJ")


def _requests() -> list[HelpRequest]:
    return list(db.session.scalars(select(HelpRequest)))


def _station(code: str) -> Unit:
    return db.session.scalars(select(Unit).where(Unit.code == code)).one()


def test_seeding_succeeds(seeded: Seeded) -> None:
    assert seeded.result.exit_code == 0, seeded.result.output


def test_every_status_occurs_at_stations_one_and_two(seeded: Seeded) -> None:
    requests = _requests()
    assert {request.status for request in requests} == set(RequestStatus)
    assert {request.unit.code for request in requests} == set(STATIONS)


def test_the_converted_request_links_to_its_case(seeded: Seeded) -> None:
    converted = [r for r in _requests() if r.status is RequestStatus.CONVERTED]
    assert len(converted) == 1
    case = converted[0].case
    assert case is not None
    assert case.unit_id == converted[0].unit_id
    assert case.intake is not None
    assert case.intake.presenting_problem == converted[0].description


def test_tracking_codes_are_unique(seeded: Seeded) -> None:
    codes = [request.tracking_code for request in _requests()]
    assert len(codes) == len(set(codes))


def test_one_request_moved_from_station_one_to_two(seeded: Seeded) -> None:
    moves = list(
        db.session.scalars(
            select(HelpRequestEvent).where(
                HelpRequestEvent.kind == EventKind.REFERRED,
                HelpRequestEvent.to_unit_id.is_not(None),
            )
        )
    )
    assert [(e.from_unit.code, e.to_unit.code) for e in moves] == [("CC-CQ-HX", "CC-CQ-XJ")]
    assert moves[0].request.unit.code == "CC-CQ-XJ"
    assert moves[0].request.events[0].kind is EventKind.SUBMITTED


def test_one_request_went_to_an_outside_agency(seeded: Seeded) -> None:
    referred = [r for r in _requests() if r.status is RequestStatus.REFERRED]
    assert [bool(r.referral_agency) for r in referred] == [True]


def test_staff_logged_hotline_and_walk_in_requests(seeded: Seeded) -> None:
    logged = [r for r in _requests() if r.logged_by_id is not None]
    assert {Channel.HOTLINE, Channel.WALK_IN} <= {r.channel for r in logged}
    assert all(r.consent_at is not None for r in logged)


def test_some_requests_are_overdue(seeded: Seeded) -> None:
    rows = queries.overdue_requests([_station(code).id for code in STATIONS])
    assert len(rows) >= 2
    assert any(row.deadlines.acknowledge_overdue for row in rows)
    assert any(row.deadlines.answer_overdue for row in rows)


def test_nothing_happened_in_the_future(seeded: Seeded) -> None:
    now = utcnow()
    for request in _requests():
        times = [request.submitted_at] + [event.at for event in request.events]
        aware = [t if t.tzinfo else t.replace(tzinfo=now.tzinfo) for t in times]
        assert max(aware) <= now
        assert aware == sorted(aware), request.description


def test_stations_one_and_two_have_notice_boards(seeded: Seeded) -> None:
    for code in STATIONS:
        profile = db.session.get(StationProfile, _station(code).id)
        assert profile is not None
        assert profile.hotline
        assert profile.opening_hours
        assert profile.services


def test_a_12345_work_order_waits_in_the_lake_west_queue(seeded: Seeded) -> None:
    (order,) = db.session.scalars(select(WorkOrder)).all()
    request = order.help_request
    assert (request.channel, request.unit.code, request.status) == (
        Channel.HOTLINE_12345,
        "CC-CQ-HX",
        RequestStatus.NEW,
    )
