"""The shared calendar pages and the secret iCalendar feed."""

from __future__ import annotations

import logging
import re
import secrets
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from flask.testing import FlaskClient
from icalendar import Calendar

from casework.accounts.models import User
from casework.cases.enums import CaseStatus
from casework.cases.models import Case
from casework.core.clock import local_timezone, local_today
from casework.extensions import db
from casework.groups import services
from casework.groups.models import GroupSession
from tests.conftest import Login
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    AdminFactory,
    BureauViewerFactory,
    CaseFactory,
    GroupFactory,
    ServiceUserFactory,
    StationFactory,
    TutorFactory,
    WorkerFactory,
    advance_case,
)

FEED_URL = re.compile(r"http://localhost/calendar/feed/([A-Za-z0-9_-]+)\.ics")


class DayCells(HTMLParser):
    """The text of each ``<td data-day="…">`` of the month or week grid."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, str] = {}
        self._day: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._day is not None:
            self._depth += tag == "td"
        elif tag == "td" and dict(attrs).get("data-day"):
            self._day = dict(attrs)["data-day"]
            self.cells[self._day] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._day is not None and tag == "td":
            if self._depth:
                self._depth -= 1
            else:
                self._day = None

    def handle_data(self, data: str) -> None:
        if self._day is not None:
            self.cells[self._day] += data


def day_cells(body: str) -> dict[date, str]:
    parser = DayCells()
    parser.feed(body)
    return {date.fromisoformat(day): text for day, text in parser.cells.items()}


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def cell_holding(cells: dict[date, str], text: str) -> list[date]:
    return [day for day, content in cells.items() if text in content]


def schedule(worker: User, day: date, at: time, topic: str = "相识与破冰") -> GroupSession:
    group = GroupFactory(unit=worker.unit, facilitator=worker)
    session = services.schedule_session(
        actor=worker,
        group=group,
        plan=services.SessionPlan(
            starts_at=datetime.combine(day, at, tzinfo=local_timezone()),
            duration_minutes=90,
            place="活动室",
            topic=topic,
            planned_content="",
        ),
    )
    db.session.commit()
    return session


def case_at(worker: User, status: CaseStatus, name: str = "孙淑珍") -> Case:
    person = ServiceUserFactory(unit=worker.unit, name=name)
    return advance_case(CaseFactory(service_user=person, worker=worker), status)


def create_feed(client: FlaskClient) -> str:
    body = client.post("/calendar/feed", data={"action": "create"}).get_data(as_text=True)
    match = FEED_URL.search(body)
    assert match, "the new feed address is shown"
    return match.group(1)


# --- the month and week pages --------------------------------------------------------------


def test_a_session_appears_on_its_local_day(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    day = local_today() + timedelta(days=3)
    # 07:00 in Shanghai is 23:00 UTC the day before: the cell must follow local time.
    schedule(worker, day, time(7, 0), topic="相识与破冰")
    login(worker)
    cells = day_cells(client.get(f"/calendar/?month={month_of(day)}").get_data(as_text=True))
    assert cell_holding(cells, "相识与破冰") == [day]
    assert "07:00" in cells[day]


def test_an_activity_appears_on_its_day(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    day = local_today() + timedelta(days=5)
    ActivityFactory(unit=worker.unit, organiser=worker, title="楼院清洁日", held_on=day)
    login(worker)
    cells = day_cells(client.get(f"/calendar/?month={month_of(day)}").get_data(as_text=True))
    assert cell_holding(cells, "楼院清洁日") == [day]


def test_a_follow_up_due_appears_on_its_day_by_case_number(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    case = case_at(worker, CaseStatus.CLOSED)
    due = case.follow_up_due
    assert due is not None
    login(worker)
    body = client.get(f"/calendar/?month={month_of(due)}").get_data(as_text=True)
    assert cell_holding(day_cells(body), f"回访到期：{case.number}") == [due]
    assert "孙淑珍" not in body


def test_a_plan_review_due_appears_on_its_day(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    case = case_at(worker, CaseStatus.INTERVENTION)
    due = case.plan_review_due
    assert due is not None
    login(worker)
    cells = day_cells(client.get(f"/calendar/?month={month_of(due)}").get_data(as_text=True))
    assert cell_holding(cells, f"计划检讨：{case.number}") == [due]


def test_calendar_items_link_to_their_pages(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    today = local_today()
    activity = ActivityFactory(unit=worker.unit, organiser=worker, held_on=today)
    session = schedule(worker, today, time(10, 0))
    case = case_at(worker, CaseStatus.INTERVENTION)
    login(worker)
    body = client.get(f"/calendar/?month={month_of(today)}").get_data(as_text=True)
    review = client.get(f"/calendar/?month={month_of(case.plan_review_due)}")
    assert f'href="/activities/{activity.id}"' in body
    assert f'href="/groups/{session.group_id}/sessions/{session.id}"' in body
    assert f'href="/cases/{case.id}"' in review.get_data(as_text=True)


def test_nothing_from_another_station_appears(client: FlaskClient, login: Login) -> None:
    outsider = WorkerFactory()
    worker = WorkerFactory()
    ActivityFactory(unit=outsider.unit, organiser=outsider, title="别站义诊")
    case = case_at(outsider, CaseStatus.CLOSED)
    login(worker)
    for period in ("", f"?unit={worker.unit_id}", f"?month={month_of(case.follow_up_due)}"):
        body = client.get(f"/calendar/{period}").get_data(as_text=True)
        assert "别站义诊" not in body
        assert case.number not in body


def test_mine_shows_own_items_and_the_unit_shows_colleagues_too(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    colleague = WorkerFactory(unit=worker.unit)
    ActivityFactory(unit=worker.unit, organiser=worker, title="我的活动")
    ActivityFactory(unit=worker.unit, organiser=colleague, title="同事的活动")
    login(worker)
    mine = client.get("/calendar/").get_data(as_text=True)
    unit = client.get(f"/calendar/?unit={worker.unit_id}").get_data(as_text=True)
    assert "我的活动" in mine
    assert "同事的活动" not in mine
    assert "同事的活动" in unit


def test_week_view_shows_the_seven_days_of_the_iso_week(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    ActivityFactory(
        unit=worker.unit, organiser=worker, title="周四活动", held_on=date(2026, 11, 26)
    )
    login(worker)
    body = client.get("/calendar/?view=week&week=2026-W48").get_data(as_text=True)
    cells = day_cells(body)
    assert sorted(cells) == [date(2026, 11, 23) + timedelta(days=n) for n in range(7)]
    assert cell_holding(cells, "周四活动") == [date(2026, 11, 26)]


def test_month_grid_starts_on_monday(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    cells = day_cells(client.get("/calendar/?month=2026-11").get_data(as_text=True))
    # 1 November 2026 is a Sunday; 30 November a Monday.
    assert min(cells) == date(2026, 10, 26)
    assert max(cells) == date(2026, 12, 6)


def test_tutor_chooses_one_of_their_supervised_units(client: FlaskClient, login: Login) -> None:
    first, second = StationFactory(), StationFactory()
    ActivityFactory(unit=first, title="第一站活动")
    ActivityFactory(unit=second, title="第二站活动")
    login(TutorFactory(supervised_units=[first, second]))
    body = client.get(f"/calendar/?unit={second.id}").get_data(as_text=True)
    assert "第二站活动" in body
    assert "第一站活动" not in body


def test_a_unit_outside_the_scope_is_404(client: FlaskClient, login: Login) -> None:
    other = StationFactory()
    login(WorkerFactory())
    assert client.get(f"/calendar/?unit={other.id}").status_code == 404


@pytest.mark.parametrize(
    "query", ["month=2026-13", "month=november", "view=week&week=2026-W60", "view=year"]
)
def test_an_unknown_period_is_404(client: FlaskClient, login: Login, query: str) -> None:
    login(WorkerFactory())
    assert client.get(f"/calendar/?{query}").status_code == 404


@pytest.mark.parametrize("factory", [BureauViewerFactory, AdminFactory], ids=["bureau", "admin"])
def test_roles_without_casework_scope_get_403(
    client: FlaskClient, login: Login, factory: Any
) -> None:
    login(factory())
    assert client.get("/calendar/").status_code == 403
    assert client.get("/calendar/feed").status_code == 403


# --- the iCalendar feed --------------------------------------------------------------------


def test_the_feed_address_is_shown_once(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    response = client.post("/calendar/feed", data={"action": "create"})
    token = FEED_URL.search(response.get_data(as_text=True))
    assert token is not None
    assert response.headers["Cache-Control"] == "no-store"
    assert token.group(1) not in client.get("/calendar/feed").get_data(as_text=True)


def test_the_feed_address_ignores_a_forged_host_header(client: FlaskClient) -> None:
    forged = "http://evil.example"
    worker = WorkerFactory()
    client.post("/login", data={"username": worker.username, "password": PASSWORD}, base_url=forged)
    response = client.post("/calendar/feed", data={"action": "create"}, base_url=forged)
    body = response.get_data(as_text=True)
    assert FEED_URL.search(body) is not None
    assert "evil.example" not in body


def test_feed_is_valid_icalendar_with_case_numbers_and_no_names(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    session = schedule(worker, local_today() + timedelta(days=2), time(14, 30), topic="分享生活")
    case = case_at(worker, CaseStatus.CLOSED, name="孙淑珍")
    login(worker)
    token = create_feed(client)
    client.post("/logout")

    response = client.get(f"/calendar/feed/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert "孙淑珍" not in response.get_data(as_text=True)
    calendar = Calendar.from_ical(response.data)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    follow_up = events[f"follow_up-{case.id}-{case.follow_up_due.isoformat()}@casework"]
    assert case.number in str(follow_up["SUMMARY"])
    assert follow_up.decoded("DTSTART") == case.follow_up_due
    meeting = events[f"group-session-{session.id}@casework"]
    assert "分享生活" in str(meeting["SUMMARY"])
    assert meeting.decoded("DTSTART").astimezone(local_timezone()).time() == time(14, 30)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_feed_holds_only_the_owners_items(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    colleague = WorkerFactory(unit=worker.unit)
    ActivityFactory(unit=worker.unit, organiser=colleague, title="同事的活动")
    login(worker)
    token = create_feed(client)
    assert "同事的活动" not in client.get(f"/calendar/feed/{token}.ics").get_data(as_text=True)


def test_a_revoked_feed_is_404(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    token = create_feed(client)
    assert client.post("/calendar/feed", data={"action": "revoke"}).status_code == 302
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_a_new_address_revokes_the_old_one(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    old = create_feed(client)
    new = create_feed(client)
    assert client.get(f"/calendar/feed/{old}.ics").status_code == 404
    assert client.get(f"/calendar/feed/{new}.ics").status_code == 200


def test_an_outsider_cannot_read_a_revoked_or_guessed_feed(
    client: FlaskClient, login: Login
) -> None:
    owner = WorkerFactory()
    login(owner)
    token = create_feed(client)
    client.post("/calendar/feed", data={"action": "revoke"})
    client.post("/logout")
    login(WorkerFactory())
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404
    assert client.get(f"/calendar/feed/{secrets.token_urlsafe(32)}.ics").status_code == 404


def test_the_feed_of_a_disabled_account_is_404(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    login(worker)
    token = create_feed(client)
    worker.is_active = False
    db.session.commit()
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_the_feed_token_is_not_written_to_the_request_log(
    client: FlaskClient, login: Login, caplog: pytest.LogCaptureFixture
) -> None:
    login(WorkerFactory())
    token = create_feed(client)
    with caplog.at_level(logging.INFO, logger="casework.request"):
        client.get(f"/calendar/feed/{token}.ics")
    assert caplog.records
    assert all(token not in record.getMessage() for record in caplog.records)
