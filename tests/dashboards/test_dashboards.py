"""The tutor's and the station head's dashboards, against small fixtures counted by hand."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from casework.accounts.models import User
from casework.cases import records as case_records
from casework.cases import services as case_services
from casework.cases.enums import CaseStatus, RiskLevel, ServiceForm
from casework.cases.models import Case
from casework.cases.permissions import cases_visible_to
from casework.core.clock import local_timezone, local_today
from casework.dashboards import queries as dashboards
from casework.extensions import db
from casework.groups import services as group_services
from casework.groups.models import Group, GroupStatus
from casework.groups.permissions import groups_visible_to
from casework.helpdesk import services as helpdesk_services
from casework.helpdesk.models import HelpRequest
from casework.helpdesk.permissions import requests_visible_to
from casework.orgs.models import Unit
from casework.supervision import services as supervision_services
from casework.supervision.models import SupervisionForm
from tests.conftest import Login
from tests.factories import (
    PASSWORD,
    AdminFactory,
    BureauViewerFactory,
    CaseFactory,
    GroupFactory,
    HelpRequestFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    advance_case,
)

TODAY = local_today()
TUTOR_BOARD = "/dashboard/tutor"
STATION_BOARD = "/dashboard/station"


def _case(
    worker: User,
    status: CaseStatus = CaseStatus.INTAKE,
    *,
    tutor: User | None = None,
    risk: RiskLevel = RiskLevel.LOW,
    opened_days_ago: int = 0,
    case_tutor: User | None = None,
) -> Case:
    case = CaseFactory(
        worker=worker,
        service_user=ServiceUserFactory(unit=worker.unit),
        risk_level=risk,
        tutor=case_tutor,
        opened_on=TODAY - timedelta(days=opened_days_ago),
    )
    return advance_case(case, status, tutor=tutor) if status is not CaseStatus.INTAKE else case


def _service_record(case: Case, days_ago: int = 0) -> Any:
    record = case_records.add_service_record(
        actor=case.worker,
        case=case,
        served_on=TODAY - timedelta(days=days_ago),
        form=ServiceForm.INTERVIEW,
        duration_minutes=45,
        content="面谈，讨论就业意向",
        response="",
        next_step="",
    )
    db.session.commit()
    return record


def _submitted_days_ago(help_request: HelpRequest, days: int) -> HelpRequest:
    day = TODAY - timedelta(days=days)
    help_request.submitted_at = datetime.combine(
        day, time(10, 0), tzinfo=local_timezone()
    ).astimezone(UTC)
    db.session.commit()
    return help_request


def _supervise(tutor: User, unit: Unit, held_on: date, minutes: int) -> None:
    worker = WorkerFactory(unit=unit)
    supervision_services.record_supervision(
        tutor=tutor,
        unit=unit,
        details=supervision_services.SupervisionDetails(
            held_on=held_on,
            form=SupervisionForm.INDIVIDUAL,
            duration_minutes=minutes,
            topics="个案进展",
            advice="加强家访频次",
            follow_up="",
            place="",
        ),
        workers=[worker],
        cases=[],
    )
    db.session.commit()


def _tutor_board(tutor: User) -> dashboards.TutorDashboard:
    return dashboards.tutor_dashboard(tutor, cases_visible_to(tutor), groups_visible_to(tutor))


def _station_board(head: User) -> dashboards.StationDashboard:
    return dashboards.station_dashboard(head, cases_visible_to(head), requests_visible_to(head))


@pytest.fixture
def fixture(app: Flask) -> dict[str, Any]:
    """One supervised station and one that is not, with cases worked out by hand:

    王一: intake (low), plan awaiting approval (high), assessment 40 days without service (low)
    王二: intervention (medium) with three records, a closed case (high, not open)
    another station: a high-risk case the tutor must not count.
    """
    station = StationFactory()
    elsewhere = StationFactory()
    tutor = TutorFactory(unit=station.parent, supervised_units=[station])
    first = WorkerFactory(unit=station, display_name="王一")
    second = WorkerFactory(unit=station, display_name="王二")
    head = StationHeadFactory(unit=station, display_name="李站长")
    intake = _case(first)
    pending = _case(first, CaseStatus.PLAN_PENDING_APPROVAL, tutor=tutor, risk=RiskLevel.HIGH)
    idle = _case(first, CaseStatus.ASSESSMENT, tutor=tutor, opened_days_ago=40)
    serving = _case(
        second, CaseStatus.INTERVENTION, tutor=tutor, risk=RiskLevel.MEDIUM, opened_days_ago=30
    )
    commented = _service_record(serving, days_ago=3)
    case_services.add_comment(
        actor=tutor,
        case=serving,
        subject_type="service_record",
        subject_id=commented.id,
        body="记录清楚，注意服务对象的情绪变化",
    )
    db.session.commit()
    fresh = _service_record(serving, days_ago=0)
    _service_record(serving, days_ago=20)  # outside the 14 days
    closed = _case(second, CaseStatus.CLOSED, tutor=tutor, risk=RiskLevel.HIGH)
    outside = _case(WorkerFactory(unit=elsewhere), risk=RiskLevel.HIGH)
    late_request = _submitted_days_ago(HelpRequestFactory(unit=station), 10)
    HelpRequestFactory(unit=station)  # new today: not late
    _submitted_days_ago(HelpRequestFactory(unit=elsewhere), 10)
    return {
        "station": station,
        "elsewhere": elsewhere,
        "tutor": tutor,
        "first": first,
        "second": second,
        "head": head,
        "intake": intake,
        "pending": pending,
        "idle": idle,
        "serving": serving,
        "fresh": fresh,
        "closed": closed,
        "outside": outside,
        "late_request": late_request,
    }


# --- the tutor's figures -----------------------------------------------------------------


def test_caseload_counts_open_cases_per_worker_by_status(fixture: dict[str, Any]) -> None:
    loads = {load.worker.display_name: load for load in _tutor_board(fixture["tutor"]).caseload}
    assert set(loads) == {"王一", "王二", "李站长"}
    assert loads["王一"].by_status == {
        CaseStatus.INTAKE: 1,
        CaseStatus.PLAN_PENDING_APPROVAL: 1,
        CaseStatus.ASSESSMENT: 1,
    }
    assert loads["王二"].by_status == {CaseStatus.INTERVENTION: 1}
    assert (loads["王一"].total, loads["王二"].total, loads["李站长"].total) == (3, 1, 0)


def test_caseload_counts_open_cases_per_worker_by_risk(fixture: dict[str, Any]) -> None:
    loads = {load.worker.display_name: load for load in _tutor_board(fixture["tutor"]).caseload}
    assert loads["王一"].by_risk == {RiskLevel.LOW: 2, RiskLevel.HIGH: 1}
    # The closed high-risk case is not part of anyone's load.
    assert loads["王二"].by_risk == {RiskLevel.MEDIUM: 1}


def test_tutor_figures_stay_inside_the_supervised_units(fixture: dict[str, Any]) -> None:
    board = _tutor_board(fixture["tutor"])
    assert board.high_risk.count == 1
    assert [case.id for case in board.high_risk.cases] == [fixture["pending"].id]
    assert [row.request.id for row in board.overdue.requests] == [fixture["late_request"].id]
    assert fixture["outside"].worker.id not in {load.worker.id for load in board.caseload}


def test_approvals_list_the_pending_plan_with_its_age(fixture: dict[str, Any]) -> None:
    approvals = _tutor_board(fixture["tutor"]).approvals
    assert [(item.kind, item.target_id, item.approve_action) for item in approvals] == [
        ("case", fixture["pending"].id, "approve_plan")
    ]
    assert approvals[0].age_days == 0


def test_overdue_items_count_the_case_without_service_and_the_late_request(
    fixture: dict[str, Any],
) -> None:
    overdue = _tutor_board(fixture["tutor"]).overdue
    assert [case.id for case in overdue.reminders.without_service] == [fixture["idle"].id]
    assert overdue.reminders.plan_reviews == []
    assert overdue.reminders.follow_ups == []
    assert overdue.case_count == 1
    assert len(overdue.requests) == 1


def test_records_without_comment_are_the_recent_uncommented_ones(
    fixture: dict[str, Any],
) -> None:
    unreviewed = _tutor_board(fixture["tutor"]).unreviewed
    closed_record = fixture["closed"].service_records[0]
    assert unreviewed.count == 2
    assert {record.id for record in unreviewed.records} == {fixture["fresh"].id, closed_record.id}


def test_supervision_hours_this_month_and_this_year(fixture: dict[str, Any]) -> None:
    tutor, station = fixture["tutor"], fixture["station"]
    year_start = TODAY.replace(month=1, day=1)
    _supervise(tutor, station, TODAY, 90)
    _supervise(tutor, station, year_start, 60)
    _supervise(tutor, station, year_start - timedelta(days=1), 30)  # last year
    hours = _tutor_board(tutor).hours
    assert hours.month_minutes == 90 + (60 if TODAY.month == 1 else 0)
    assert hours.year_minutes == 150
    assert hours.year_hours == 2.5


def test_tutor_page_shows_every_worker_and_links_each_count(
    fixture: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(fixture["tutor"])
    page = client.get(TUTOR_BOARD).get_data(as_text=True)
    assert "王一" in page
    assert "王二" in page
    first = fixture["first"].id
    assert f'href="/cases/?worker={first}&amp;status=plan_pending_approval">1</a>' in page
    assert f'href="/cases/?worker={first}&amp;risk=low&amp;open=1">2</a>' in page
    assert 'href="/cases/?risk=high&amp;open=1">1</a>' in page
    assert 'href="/cases/?overdue=1" data-figure="cases.due">1</a>' in page
    assert 'href="#overdue" data-figure="requests.overdue">1</a>' in page
    assert fixture["outside"].number not in page


def test_tutor_page_names_no_service_user(
    fixture: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(fixture["tutor"])
    page = client.get(TUTOR_BOARD).get_data(as_text=True)
    assert fixture["pending"].number in page
    assert fixture["pending"].service_user.name not in page


# --- deciding from the dashboard ---------------------------------------------------------


def _form_action(page: str, action: str, target: str) -> str:
    """The action of the button's form on the page, as the browser would post it."""
    pattern = rf'action="(/{target}/\d+/steps/{action}\?next=[^"]+)"'
    match = re.search(pattern, page)
    assert match, f"no {action} form on the page"
    return html.unescape(match.group(1))


def test_tutor_approves_a_plan_from_the_dashboard_and_comes_back(
    fixture: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(fixture["tutor"])
    action = _form_action(client.get(TUTOR_BOARD).get_data(as_text=True), "approve_plan", "cases")
    response = client.post(action)
    assert response.status_code == 302
    assert response.headers["Location"] == TUTOR_BOARD
    db.session.expire_all()
    assert db.session.get(Case, fixture["pending"].id).status is CaseStatus.INTERVENTION  # type: ignore[union-attr]
    page = client.get(TUTOR_BOARD).get_data(as_text=True)
    assert f"个案 {fixture['pending'].number}：批准服务计划" in page


def test_tutor_returns_a_plan_with_a_reason(
    fixture: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(fixture["tutor"])
    action = _form_action(client.get(TUTOR_BOARD).get_data(as_text=True), "return_plan", "cases")
    response = client.post(action, data={"reason": "服务目标需要更具体、可衡量"})
    assert response.headers["Location"] == TUTOR_BOARD
    db.session.expire_all()
    case = db.session.get(Case, fixture["pending"].id)
    assert case is not None
    assert case.status is CaseStatus.PLANNING
    assert case.transitions[-1].reason == "服务目标需要更具体、可衡量"


def test_returning_without_a_reason_changes_nothing(
    fixture: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(fixture["tutor"])
    action = _form_action(client.get(TUTOR_BOARD).get_data(as_text=True), "return_plan", "cases")
    response = client.post(action, data={"reason": " "})
    assert response.headers["Location"] == TUTOR_BOARD
    db.session.expire_all()
    assert db.session.get(Case, fixture["pending"].id).status is CaseStatus.PLAN_PENDING_APPROVAL  # type: ignore[union-attr]


def test_a_step_never_redirects_off_site(
    fixture: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(fixture["tutor"])
    case = fixture["pending"]
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = client.post(
            f"/cases/{case.id}/steps/approve_plan", query_string={"next": target}
        )
        assert response.headers["Location"] == f"/cases/{case.id}"


def test_tutor_approves_a_group_plan_from_the_dashboard(
    fixture: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    group = GroupFactory(unit=fixture["station"], facilitator=fixture["first"])
    group_services.take_step(group, "submit_plan", actor=fixture["first"])
    db.session.commit()
    login(fixture["tutor"])
    page = client.get(TUTOR_BOARD).get_data(as_text=True)
    assert "小组计划书" in page
    response = client.post(_form_action(page, "approve_plan", "groups"))
    assert response.headers["Location"] == TUTOR_BOARD
    db.session.expire_all()
    assert db.session.get(Group, group.id).status is GroupStatus.RUNNING  # type: ignore[union-attr]


# --- the station head's figures ----------------------------------------------------------


def test_station_figures_count_open_cases_tutors_and_requests(fixture: dict[str, Any]) -> None:
    station, head = fixture["station"], fixture["head"]
    _case(fixture["first"], case_tutor=fixture["tutor"])  # has a tutor
    assigned = HelpRequestFactory(unit=station)
    helpdesk_services.assign(actor=head, request=assigned, worker=fixture["second"])
    db.session.commit()
    board = _station_board(head)
    assert board.open_by_status == {
        CaseStatus.INTAKE: 2,
        CaseStatus.PLAN_PENDING_APPROVAL: 1,
        CaseStatus.ASSESSMENT: 1,
        CaseStatus.INTERVENTION: 1,
    }
    assert board.open_total == 5
    # Every open case has none but the one opened with a tutor and the one in intervention,
    # whose plan a tutor approved.
    assert board.without_tutor.count == 3
    assert board.unassigned_requests.count == 2
    assert [row.request.id for row in board.overdue.requests] == [fixture["late_request"].id]


def test_station_month_figures(fixture: dict[str, Any]) -> None:
    station, head = fixture["station"], fixture["head"]
    answered = HelpRequestFactory(unit=station)
    helpdesk_services.reply(actor=head, request=answered, body="已安排社工上门了解情况")
    db.session.commit()
    month = _station_board(head).month
    month_start = TODAY.replace(day=1)

    def this_month(days_ago: int) -> int:
        return 1 if TODAY - timedelta(days=days_ago) >= month_start else 0

    # Opened today: intake, pending, closed; 40 days ago is always an earlier month.
    assert month.cases_opened == 3 + this_month(30)
    assert month.cases_closed == 1
    # The closed case's record (60 min) and the serving case's records 0, 3 and 20 days ago.
    assert month.service_records == 2 + this_month(3) + this_month(20)
    assert month.service_hours == round((60 + 45 + 45 * (this_month(3) + this_month(20))) / 60, 1)
    # Two requests today at the station and the answered one; the late one 10 days ago.
    assert month.requests_received == 2 + this_month(10)
    assert month.requests_answered == 1


def test_station_worker_load_lists_each_case_for_reassignment(
    fixture: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    loads = {load.worker.display_name: load for load in _station_board(fixture["head"]).workers}
    assert (loads["王一"].total, loads["王一"].high_risk) == (3, 1)
    assert (loads["王二"].total, loads["王二"].high_risk) == (1, 0)
    login(fixture["head"])
    page = client.get(STATION_BOARD).get_data(as_text=True)
    for case in (fixture["intake"], fixture["pending"], fixture["idle"], fixture["serving"]):
        assert f'href="/cases/{case.id}/assign"' in page
    assert f'href="/cases/{fixture["closed"].id}/assign"' not in page
    assert f'href="/requests/{fixture["late_request"].id}#assign-form"' in page


# --- who may open which dashboard --------------------------------------------------------


@pytest.mark.parametrize(
    "make_user",
    [WorkerFactory, StationHeadFactory, BureauViewerFactory, AdminFactory],
)
def test_only_tutors_open_the_tutor_dashboard(
    app: Flask, client: FlaskClient, login: Login, make_user: Any
) -> None:
    login(make_user())
    assert client.get(TUTOR_BOARD).status_code == 403


@pytest.mark.parametrize(
    "make_user",
    [WorkerFactory, TutorFactory, BureauViewerFactory, AdminFactory],
)
def test_only_heads_open_the_station_dashboard(
    app: Flask, client: FlaskClient, login: Login, make_user: Any
) -> None:
    login(make_user())
    assert client.get(STATION_BOARD).status_code == 403


def test_dashboards_ask_for_a_login(client: FlaskClient) -> None:
    assert client.get(TUTOR_BOARD).status_code == 302
    assert client.get(STATION_BOARD).status_code == 302


def test_menu_and_home_link_to_each_role_s_dashboard(
    fixture: dict[str, Any], make_app: Any
) -> None:
    for user, link, other in (
        (fixture["tutor"], TUTOR_BOARD, STATION_BOARD),
        (fixture["head"], STATION_BOARD, TUTOR_BOARD),
    ):
        client = make_app().test_client()
        client.post("/login", data={"username": user.username, "password": PASSWORD})
        home = client.get("/").get_data(as_text=True)
        assert f'id="dashboard-link" href="{link}"' in home
        assert other not in home


# --- no query per case -------------------------------------------------------------------


@contextmanager
def _counting_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _cases_of_every_kind(tutor: User, workers: list[User], copies: int) -> None:
    """``copies`` of each: pending plan (high risk), intervention with a record, intake."""
    for index in range(copies):
        worker = workers[index % len(workers)]
        _case(worker, CaseStatus.PLAN_PENDING_APPROVAL, tutor=tutor, risk=RiskLevel.HIGH)
        serving = _case(worker, CaseStatus.INTERVENTION, tutor=tutor, opened_days_ago=40)
        _service_record(serving, days_ago=35)  # so it also counts as without service
        _case(worker, risk=RiskLevel.MEDIUM)


def _dashboard_queries(client: FlaskClient) -> int:
    with _counting_queries() as statements:
        response = client.get(TUTOR_BOARD)
    assert response.status_code == 200
    return len(statements)


def test_tutor_dashboard_queries_do_not_grow_with_the_cases(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    station = StationFactory()
    tutor = TutorFactory(unit=station.parent, supervised_units=[station])
    workers = [WorkerFactory(unit=station) for _index in range(3)]
    login(tutor)
    _cases_of_every_kind(tutor, workers, 1)
    few = _dashboard_queries(client)
    _cases_of_every_kind(tutor, workers, 4)
    many = _dashboard_queries(client)
    page = client.get(TUTOR_BOARD).get_data(as_text=True)
    assert page.count('data-step="approve_plan"') == 5
    assert few == many


def test_station_dashboard_queries_do_not_grow_with_the_cases(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    station = StationFactory()
    tutor = TutorFactory(unit=station.parent, supervised_units=[station])
    workers = [WorkerFactory(unit=station) for _index in range(3)]
    login(StationHeadFactory(unit=station))

    def station_queries() -> int:
        with _counting_queries() as statements:
            assert client.get(STATION_BOARD).status_code == 200
        return len(statements)

    _cases_of_every_kind(tutor, workers, 1)
    HelpRequestFactory(unit=station)
    few = station_queries()
    _cases_of_every_kind(tutor, workers, 4)
    for _index in range(4):
        HelpRequestFactory(unit=station)
    assert station_queries() == few
