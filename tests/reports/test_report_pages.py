"""The statistics page (统计报表): who sees which units, subtree sums, suppression, dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.cases.enums import RiskLevel
from casework.core.clock import local_today
from casework.extensions import db
from casework.orgs.models import Unit
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauFactory,
    BureauViewerFactory,
    CaseFactory,
    CentreFactory,
    HelpRequestFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    VolunteerFactory,
    WorkerFactory,
)

OCTOBER = "start=2026-10-01&end=2026-10-31"
MONDAY = datetime(2026, 10, 12, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


@dataclass
class Tree:
    """A city bureau with one centre and two stations, and an unrelated bureau's station."""

    bureau: Unit
    centre: Unit
    station_a: Unit
    station_b: Unit
    elsewhere: Unit


@pytest.fixture
def tree(app: Flask) -> Tree:
    bureau = BureauFactory(name="测试市民政局")
    centre = CentreFactory(parent=bureau, name="测试街道社会工作服务中心")
    return Tree(
        bureau=bureau,
        centre=centre,
        station_a=StationFactory(parent=centre, name="甲社区社会工作服务站"),
        station_b=StationFactory(parent=centre, name="乙社区社会工作服务站"),
        elsewhere=StationFactory(name="外市社区社会工作服务站"),
    )


def open_cases(unit: Unit, count: int, opened_on: date = date(2026, 10, 5)) -> None:
    for _index in range(count):
        CaseFactory(
            service_user=ServiceUserFactory(unit=unit),
            worker=WorkerFactory(unit=unit),
            opened_on=opened_on,
        )


def figure(body: str, key: str) -> str:
    """The text of the cells that show figure ``key`` (the headline and the tables agree)."""
    values = {
        value.replace("&lt;", "<")
        for value in re.findall(rf'data-figure="{re.escape(key)}">([^<]*)<', body)
    }
    assert len(values) == 1, f"figure {key}: {values or 'not shown'}"
    return values.pop()


def page(client: FlaskClient, unit: Unit | None = None, query: str = OCTOBER) -> Any:
    unit_part = f"unit={unit.id}&" if unit is not None else ""
    return client.get(f"/reports/?{unit_part}{query}")


# --- access ----------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client: FlaskClient) -> None:
    response = client.get("/reports/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


ACCESS = [
    # (who, whose unit they belong to / supervise, the unit asked for, status)
    ("worker", "station_a", "station_a", 200),
    ("worker", "station_a", "station_b", 404),
    ("worker", "station_a", "centre", 404),
    ("head", "station_a", "station_a", 200),
    ("head", "station_a", "bureau", 404),
    ("tutor", "station_a", "station_a", 200),
    ("tutor", "station_a", "station_b", 404),
    ("bureau_viewer", "bureau", "bureau", 200),
    ("bureau_viewer", "bureau", "station_b", 200),
    ("bureau_viewer", "bureau", "elsewhere", 404),
    ("sysadmin", "bureau", "elsewhere", 200),
]


def _user(who: str, unit: Unit) -> Any:
    if who == "worker":
        return WorkerFactory(unit=unit)
    if who == "head":
        return StationHeadFactory(unit=unit)
    if who == "tutor":
        return TutorFactory(unit=unit, supervised_units=[unit])
    if who == "bureau_viewer":
        return BureauViewerFactory(unit=unit)
    return AdminFactory(unit=unit)


@pytest.mark.parametrize(("who", "home", "asked", "status"), ACCESS)
def test_role_and_unit_access(
    client: FlaskClient, login: Login, tree: Tree, who: str, home: str, asked: str, status: int
) -> None:
    login(_user(who, getattr(tree, home)))
    assert page(client, getattr(tree, asked)).status_code == status


def test_a_unit_that_does_not_exist_is_404(client: FlaskClient, login: Login, tree: Tree) -> None:
    login(BureauViewerFactory(unit=tree.bureau))
    assert client.get("/reports/?unit=999999").status_code == 404


def test_tutor_without_supervised_units_is_forbidden(client: FlaskClient, login: Login) -> None:
    login(TutorFactory())
    assert client.get("/reports/").status_code == 403


@pytest.mark.parametrize(
    ("who", "home", "expected"),
    [("worker", "station_a", "甲社区社会工作服务站"), ("bureau_viewer", "bureau", "测试市民政局")],
)
def test_the_page_opens_on_the_users_own_unit(
    client: FlaskClient, login: Login, tree: Tree, who: str, home: str, expected: str
) -> None:
    login(_user(who, getattr(tree, home)))
    body = client.get("/reports/").get_data(as_text=True)
    assert re.search(rf"<option value=\"\d+\" selected>\s*{expected}</option>", body)


def test_bureau_viewer_chooses_among_the_units_of_the_subtree_only(
    client: FlaskClient, login: Login, tree: Tree
) -> None:
    login(BureauViewerFactory(unit=tree.bureau))
    body = client.get("/reports/").get_data(as_text=True)
    assert "乙社区社会工作服务站" in body
    assert "外市社区社会工作服务站" not in body
    # The tree shows in the choice: a station sits two levels under the bureau.
    assert re.search(r">　　甲社区社会工作服务站</option>", body)


@pytest.mark.parametrize(
    ("factory", "shown"),
    [(WorkerFactory, True), (BureauViewerFactory, True), (TutorFactory, False)],
)
def test_menu_shows_statistics_to_whoever_may_open_them(
    client: FlaskClient, login: Login, factory: Any, shown: bool
) -> None:
    login(factory())  # the tutor supervises nothing
    assert ('href="/reports/"' in client.get("/").get_data(as_text=True)) is shown


# --- figures ---------------------------------------------------------------------------------


def test_a_bureau_figure_is_the_sum_over_its_stations(
    client: FlaskClient, login: Login, tree: Tree
) -> None:
    open_cases(tree.station_a, 5)
    open_cases(tree.station_b, 6)
    open_cases(tree.elsewhere, 7)
    open_cases(tree.station_a, 2, opened_on=date(2026, 9, 30))  # outside the period
    login(BureauViewerFactory(unit=tree.bureau))

    def opened(unit: Unit) -> str:
        return figure(page(client, unit).get_data(as_text=True), "cases.opened")

    assert (opened(tree.station_a), opened(tree.station_b)) == ("5", "6")
    assert opened(tree.centre) == "11"
    assert opened(tree.bureau) == "11"


def test_bureau_viewer_sees_small_counts_as_less_than_five(
    client: FlaskClient, login: Login, tree: Tree
) -> None:
    open_cases(tree.station_a, 3)
    login(BureauViewerFactory(unit=tree.bureau))
    body = page(client, tree.station_a).get_data(as_text=True)
    assert figure(body, "cases.opened") == "<5"
    assert figure(body, "cases.domain.social_aid") == "<5"
    assert "1 至 4 的数字显示为“&lt;5”" in body


def _cases_by_risk(unit: Unit, low: int, medium: int) -> None:
    for risk, count in ((RiskLevel.LOW, low), (RiskLevel.MEDIUM, medium)):
        for _index in range(count):
            CaseFactory(
                service_user=ServiceUserFactory(unit=unit),
                worker=WorkerFactory(unit=unit),
                opened_on=date(2026, 10, 5),
                risk_level=risk,
            )


def test_a_hidden_count_cannot_be_worked_out_from_the_total(
    client: FlaskClient, login: Login, tree: Tree
) -> None:
    # 新开 8 = 低 3 + 中 5 + 高 0: with 8 and 5 shown, 低 would be 8 − 5 = 3.
    _cases_by_risk(tree.station_a, low=3, medium=5)
    login(BureauViewerFactory(unit=tree.bureau))
    body = page(client, tree.station_a).get_data(as_text=True)
    assert figure(body, "cases.opened") == "8"
    assert figure(body, "cases.risk.low") == "<5"
    assert figure(body, "cases.risk.medium") == "—"
    assert figure(body, "cases.risk.high") == "0"


def test_the_staff_of_the_station_see_every_count_of_the_breakdown(
    client: FlaskClient, login: Login, tree: Tree
) -> None:
    _cases_by_risk(tree.station_a, low=3, medium=5)
    login(StationHeadFactory(unit=tree.station_a))
    body = page(client, tree.station_a).get_data(as_text=True)
    assert (figure(body, "cases.risk.low"), figure(body, "cases.risk.medium")) == ("3", "5")


def test_station_head_sees_the_exact_small_count(
    client: FlaskClient, login: Login, tree: Tree
) -> None:
    open_cases(tree.station_a, 3)
    login(StationHeadFactory(unit=tree.station_a))
    body = page(client, tree.station_a).get_data(as_text=True)
    assert figure(body, "cases.opened") == "3"
    assert figure(body, "cases.domain.social_aid") == "3"
    assert "suppression-note" not in body


def handled_request(unit: Unit, hours: float | None) -> None:
    """A request of Monday 12 October 2026, acknowledged and answered ``hours`` later."""
    request = HelpRequestFactory(unit=unit)
    request.submitted_at = MONDAY
    if hours is not None:
        request.acknowledged_at = request.answered_at = MONDAY + timedelta(hours=hours)
    db.session.commit()


def test_a_share_worked_out_from_a_hidden_count_is_not_shown(
    client: FlaskClient, login: Login, tree: Tree
) -> None:
    for _index in range(5):
        handled_request(tree.station_a, 2)
    handled_request(tree.station_a, None)  # never handled: overdue
    login(BureauViewerFactory(unit=tree.bureau))
    body = page(client, tree.station_a).get_data(as_text=True)
    assert (figure(body, "requests.submitted"), figure(body, "requests.late")) == ("6", "<5")
    assert figure(body, "requests.late_share") == "—"  # 16.7% would give the 1 away


def test_station_head_sees_the_share_overdue(client: FlaskClient, login: Login, tree: Tree) -> None:
    for _index in range(5):
        handled_request(tree.station_a, 2)
    handled_request(tree.station_a, None)
    login(StationHeadFactory(unit=tree.station_a))
    body = page(client, tree.station_a).get_data(as_text=True)
    assert figure(body, "requests.late_share") == "16.7%"


def test_response_times_of_fewer_than_five_requests_are_hidden_from_the_bureau(
    client: FlaskClient, login: Login, tree: Tree
) -> None:
    handled_request(tree.station_a, 2)
    login(BureauViewerFactory(unit=tree.bureau))
    body = page(client, tree.station_a).get_data(as_text=True)
    assert figure(body, "requests.acknowledge.median") == "—"


def test_the_bureau_page_names_no_person_and_no_case(
    client: FlaskClient, login: Login, tree: Tree
) -> None:
    worker = WorkerFactory(unit=tree.station_a, display_name="司马懿德")
    person = ServiceUserFactory(unit=tree.station_a, name="欧阳翠花")
    case = CaseFactory(
        service_user=person,
        worker=worker,
        summary="独一无二的个案摘要",
        opened_on=local_today(),
    )
    HelpRequestFactory(unit=tree.station_a, name="诸葛亮亮", description="独特的求助内容")
    VolunteerFactory(unit=tree.station_a, name="慕容雪梅")
    login(BureauViewerFactory(unit=tree.bureau))
    body = client.get("/reports/").get_data(as_text=True)
    assert figure(body, "cases.opened") == "<5"  # the case is counted …
    for personal in ("司马懿德", "欧阳翠花", "独一无二的个案摘要", "诸葛亮亮", "独特的求助内容"):
        assert personal not in body  # … but nothing names it
    assert "慕容雪梅" not in body
    assert case.number not in body


def test_the_page_shows_the_three_charts_with_their_tables(
    client: FlaskClient, login: Login, tree: Tree
) -> None:
    open_cases(tree.station_a, 2)
    handled_request(tree.station_a, 2)
    login(StationHeadFactory(unit=tree.station_a))
    body = page(client, tree.station_a).get_data(as_text=True)
    for chart in ("chart-trend", "chart-domains", "chart-response"):
        assert f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart}"' in body
    assert figure(body, "trend.opened.2026-10") == "2"
    assert figure(body, "requests.acknowledge.median") == "2"


def test_the_page_links_the_monthly_report_of_the_periods_last_month(
    client: FlaskClient, login: Login, tree: Tree
) -> None:
    login(StationHeadFactory(unit=tree.station_a))
    body = page(client, tree.station_a).get_data(as_text=True)
    assert 'action="/reports/monthly.pdf"' in body
    assert 'name="month" value="2026-10"' in body
    assert "下载月报（PDF）" in body


# --- the period ------------------------------------------------------------------------------


def test_the_period_defaults_to_this_month(client: FlaskClient, login: Login, tree: Tree) -> None:
    login(StationHeadFactory(unit=tree.station_a))
    body = client.get("/reports/").get_data(as_text=True)
    first = local_today().replace(day=1)
    assert f'name="start" value="{first.isoformat()}"' in body
    assert 'aria-current="true"' in body  # 本月 is marked as the chosen quick link


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-13-01&end=2026-12-31", "开始日期“2026-13-01”不是有效的日期"),
        ("start=2026-11-01&end=tomorrow", "结束日期“tomorrow”不是有效的日期"),
        ("start=2026-11-30&end=2026-11-01", "开始日期不能晚于结束日期。"),
        ("start=2023-01-01&end=2026-01-01", "统计期间最长 3 年"),
        ("start=1999-12-31&end=2000-01-31", "日期须在 2000-01-01 至 2099-12-31 之间"),
    ],
)
def test_an_unusable_period_is_explained(
    client: FlaskClient, login: Login, tree: Tree, query: str, message: str
) -> None:
    login(StationHeadFactory(unit=tree.station_a))
    response = page(client, tree.station_a, query=query)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body
    assert 'id="period-error"' in body
    assert "data-figure" not in body


def test_a_period_of_exactly_three_years_is_accepted(
    client: FlaskClient, login: Login, tree: Tree
) -> None:
    login(StationHeadFactory(unit=tree.station_a))
    response = page(client, tree.station_a, query="start=2023-01-01&end=2025-12-31")
    assert response.status_code == 200
