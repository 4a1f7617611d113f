"""The bureau dashboard (数据看板): per-unit comparison, trends, overdue help requests by
station; aggregates only, small counts hidden, the bureau's own subtree only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from casework.accounts.models import User
from casework.cases.models import Case
from casework.extensions import db
from casework.helpdesk.models import HelpRequest
from casework.helpdesk.queries import overdue_counts, overdue_requests
from casework.people.models import ServiceUser
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
    WorkerFactory,
)

BOARD = "/dashboard/bureau"


def _cases(station: Any, count: int) -> list[Case]:
    worker = WorkerFactory(unit=station)
    return [
        CaseFactory(worker=worker, service_user=ServiceUserFactory(unit=station))
        for _ in range(count)
    ]


@pytest.fixture
def city(app: Flask) -> dict[str, Any]:
    """A bureau with two centres: three cases at 东站, six at 西站 (centre 一), none under
    centre 二; a help request at 南站; and another bureau with a case of its own."""
    bureau = BureauFactory(name="测试市民政局")
    first = CentreFactory(parent=bureau, name="第一街道中心")
    second = CentreFactory(parent=bureau, name="第二街道中心")
    east = StationFactory(parent=first, name="东站")
    west = StationFactory(parent=first, name="西站")
    south = StationFactory(parent=second, name="南站")
    _cases(east, 3)
    _cases(west, 6)
    HelpRequestFactory(unit=south)
    other = BureauFactory(name="另一市民政局")
    other_station = StationFactory(parent=CentreFactory(parent=other))
    _cases(other_station, 1)
    return {
        "bureau": bureau,
        "first": first,
        "second": second,
        "east": east,
        "west": west,
        "south": south,
        "other_station": other_station,
        "viewer": BureauViewerFactory(unit=bureau),
    }


def _soup(client: FlaskClient, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _cell(soup: BeautifulSoup, row: str, column: str) -> str:
    cell = soup.select_one(f'#comparison-table tr[data-row="{row}"] td[data-column="{column}"]')
    assert cell is not None, (row, column)
    return cell.get_text(strip=True)


def _figures(soup: BeautifulSoup) -> dict[str, str]:
    return {
        str(element["data-figure"]): element.get_text(strip=True)
        for element in soup.select("[data-figure]")
    }


def test_the_comparison_lists_each_child_unit_with_its_subtree(
    city: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(city["viewer"])
    soup = _soup(client, BOARD)
    assert _cell(soup, f"u{city['first'].id}", "opened") == "9"
    assert _cell(soup, f"u{city['second'].id}", "opened") == "0"
    assert _cell(soup, "total", "opened") == "9"


def test_drilling_down_hides_small_counts_and_their_complements(
    city: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(city["viewer"])
    soup = _soup(client, f"{BOARD}?unit={city['first'].id}")
    assert _cell(soup, f"u{city['east'].id}", "opened") == "<5"
    # 西站's 6 would give 东站's 3 away by subtraction from the total of 9.
    assert _cell(soup, f"u{city['west'].id}", "opened") == "—"
    assert _cell(soup, "total", "opened") == "9"


def test_a_small_total_reads_less_than_five(
    city: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(city["viewer"])
    soup = _soup(client, f"{BOARD}?unit={city['second'].id}")
    assert _figures(soup)["requests.submitted"] == "<5"


def test_each_trend_chart_has_its_figures_as_a_table(
    city: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(city["viewer"])
    soup = _soup(client, BOARD)
    for key in ("opened", "records", "requests"):
        rows = soup.select(f"#trend-{key} details table tbody tr")
        assert len(rows) == 12, key
    # This month's nine new cases, in the same words as the comparison table.
    assert soup.select("#trend-opened details tbody tr")[-1].td.get_text(strip=True) == "9"


def test_the_figures_equal_the_statistics_page(
    city: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(city["viewer"])
    board = _figures(_soup(client, BOARD))
    statistics = _figures(_soup(client, f"/reports/?unit={city['bureau'].id}"))
    shared = set(board) & set(statistics)
    assert shared >= {"cases.opened", "cases.closed", "services.records", "requests.submitted"}
    assert {name: board[name] for name in shared} == {name: statistics[name] for name in shared}


def test_a_quarter_is_chosen_with_the_period_chooser(
    city: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(city["viewer"])
    soup = _soup(client, f"{BOARD}?period=quarter&at=2000-05")
    assert "2000-04-01—2000-06-30" in soup.select_one("#period-shown").get_text()
    assert _cell(soup, "total", "opened") == "0"


@pytest.mark.parametrize("query", ["period=decade", "at=2026-13", "at=abc"])
def test_a_period_that_cannot_be_used_is_refused_with_a_message(
    query: str, city: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(city["viewer"])
    soup = _soup(client, f"{BOARD}?{query}", status=422)
    assert soup.select_one("#period-error") is not None


def test_another_bureaus_unit_is_not_found(
    city: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(city["viewer"])
    assert client.get(f"{BOARD}?unit={city['other_station'].id}").status_code == 404
    assert client.get(f"{BOARD}?unit=99999999999999999999999").status_code in (200, 404)


@pytest.mark.parametrize(
    "make",
    [WorkerFactory, StationHeadFactory, TutorFactory, AdminFactory],
    ids=lambda factory: factory.__name__,
)
def test_only_bureau_viewers_use_the_bureau_dashboard(
    make: Any, city: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(make(unit=city["east"]) if make is not AdminFactory else make(unit=city["bureau"]))
    assert client.get(BOARD).status_code == 403


def test_the_home_page_and_the_menu_link_the_dashboard(
    city: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(city["viewer"])
    soup = _soup(client, "/")
    assert soup.select_one("#bureau-dashboard-link")["href"] == BOARD
    assert soup.select_one(f'nav a[href="{BOARD}"]') is not None


def names_and_numbers() -> list[str]:
    """Every person's name, case number, ID and phone number (full and masked) in the DB."""
    found: list[str] = []
    for user in db.session.scalars(select(User)):
        found.append(user.display_name)
    for person in db.session.scalars(select(ServiceUser)):
        found += [person.name, person.masked_id_number, person.masked_phone]
        found += [value for value in (person.id_number, person.phone) if value]
    for case in db.session.scalars(select(Case)):
        found.append(case.number)
    for request in db.session.scalars(select(HelpRequest)):
        found += [value for value in (request.name, request.phone, request.tracking_code) if value]
    return [value for value in found if value and len(value) >= 2]


def without_menu(page: str) -> str:
    """The page without the menu bar, which names the signed-in viewer's own account."""
    soup = BeautifulSoup(page, "html.parser")
    for bar in soup.select("nav.navbar"):
        bar.decompose()
    return str(soup)


def test_no_name_or_number_of_anyone_appears(
    city: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(city["viewer"])
    pages = [
        without_menu(client.get(url).get_data(as_text=True))
        for url in (BOARD, f"{BOARD}?unit={city['first'].id}", f"{BOARD}?unit={city['east'].id}")
    ]
    for value in names_and_numbers():
        assert all(value not in page for page in pages), value


def test_the_figures_are_kept_for_the_cache_period(
    city: dict[str, Any], app: Flask, client: FlaskClient, login: Login
) -> None:
    app.config["DASHBOARD_CACHE_SECONDS"] = 60
    login(city["viewer"])
    assert _cell(_soup(client, BOARD), "total", "opened") == "9"
    _cases(city["south"], 2)
    assert _cell(_soup(client, BOARD), "total", "opened") == "9"
    app.config["DASHBOARD_CACHE_SECONDS"] = 0
    assert _cell(_soup(client, BOARD), "total", "opened") == "11"


def test_overdue_requests_are_counted_by_station(
    city: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    for _index in range(6):
        request = HelpRequestFactory(unit=city["east"])
        db.session.execute(
            update(HelpRequest)
            .where(HelpRequest.id == request.id)
            .values(submitted_at=datetime.now(UTC) - timedelta(days=30))
        )
    db.session.commit()
    ids = [city["east"].id, city["west"].id, city["south"].id]
    assert overdue_counts(ids) == {city["east"].id: len(overdue_requests(ids))}
    login(city["viewer"])
    soup = _soup(client, BOARD)
    assert _figures(soup)["requests.overdue"] == "6"
    rows = [item.get_text(" ", strip=True) for item in soup.select("#overdue-by-station li")]
    assert rows == ["东站 6"]


@pytest.mark.parametrize("path", [BOARD, "/"])
def test_the_default_targets_past_deadline_reads_the_same_on_both_pages(
    path: str, city: dict[str, Any], client: FlaskClient, login: Login
) -> None:
    login(city["viewer"])
    due = _soup(client, path).select_one("#target-due")
    assert due is not None
    text = due.get_text()
    assert ("已过期限" in text, "实施方案中的目标" in text) == (True, True)
