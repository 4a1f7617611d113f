"""One figure, one value: every page that shows a figure shows the same number.

Each page marks the figures of ``casework.reports.figures`` with ``data-figure="<name>"``.
For one unit at one moment, every page a role has (home page, dashboards, statistics, the
caseload and queue, workforce pages, the monthly report PDF, the statistics export) is
rendered and the marked numbers compared, on the demo data and on generated data.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import func, select

from casework import create_app
from casework.accounts.models import Role, User
from casework.cases.models import Case
from casework.core.clock import local_today
from casework.demo import DEMO_PASSWORD
from casework.extensions import db
from casework.generate.scales import STAFF_PASSWORD
from casework.helpdesk.models import RequestStatus
from casework.reports.figures import NAMES
from tests.conftest import IsolatedClient, _empty_all_tables, _test_config

Seen = dict[str, dict[str, str]]  # figure name -> page -> value


def _client(app: Flask, username: str, password: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, f"{username} could not sign in"
    return client


def _marked(html: str) -> dict[str, str]:
    """Every ``data-figure`` on a page with its text; a name shown twice must agree."""
    found: dict[str, str] = {}
    for element in BeautifulSoup(html, "html.parser").select("[data-figure]"):
        name, value = element["data-figure"], element.get_text(strip=True)
        assert found.setdefault(str(name), value) == value, f"{name}: {found[str(name)]} ≠ {value}"
    return found


def _read(client: FlaskClient, path: str) -> dict[str, str]:
    response = client.get(path)
    assert response.status_code == 200, path
    return _marked(response.get_data(as_text=True))


def _collect(pages: dict[str, dict[str, str]]) -> Seen:
    seen: Seen = defaultdict(dict)
    for page, figures in pages.items():
        for name, value in figures.items():
            seen[name][page] = value
    return seen


def _disagreements(seen: Seen) -> list[str]:
    return [
        f"{name}: {values}"
        for name, values in sorted(seen.items())
        if len(set(values.values())) > 1
    ]


def _this_month() -> tuple[date, date]:
    today = local_today()
    first = today.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _statistics_export(client: FlaskClient, unit_id: int) -> dict[str, str]:
    """``cases.opened`` and ``cases.closed`` for this month from the statistics CSV."""
    start, end = _this_month()
    response = client.get(f"/exports/statistics?format=csv&unit={unit_id}&start={start}&end={end}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header = next(row for row in rows if row and row[0] == "月份")
    month = next(row for row in rows if row and row[0] == start.strftime("%Y-%m"))
    figures = {"cases.closed": month[header.index("结案个案")]}
    if "新开个案合计" in header:  # bureau viewers get no totals, see the export's docstring
        figures["cases.opened"] = month[header.index("新开个案合计")]
    return figures


def _monthly_pdf(
    client: FlaskClient, unit_id: int, statistics_page: dict[str, str]
) -> dict[str, str]:
    """The statistics page's headline figures as the monthly report PDF prints them."""
    response = client.get(f"/reports/monthly.pdf?unit={unit_id}&month={local_today():%Y-%m}")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)
    text = re.sub(r"\s+", "", text)
    found = {}
    for name, label in HEADLINE_LABELS.items():
        match = re.search(re.escape(label) + r"(<5|[\d.]+)", text)
        assert match, f"{label} not in the monthly report"
        found[name] = match.group(1)
    assert set(found) <= set(statistics_page)
    return found


HEADLINE_LABELS = {
    "cases.opened": "新开个案",
    "cases.closed": "结案个案",
    "services.records": "服务记录（次）",
    "services.hours": "服务时长（小时）",
    "requests.submitted": "居民求助（件）",
}


def _head_pages(app: Flask, head: User, password: str) -> dict[str, dict[str, str]]:
    client = _client(app, head.username, password)
    unit = head.unit_id
    statistics = _read(client, f"/reports/?unit={unit}")
    return {
        "home": _read(client, "/"),
        "station dashboard": _read(client, "/dashboard/station"),
        "statistics": statistics,
        "monthly report": _monthly_pdf(client, unit, statistics),
        "statistics export": _statistics_export(client, unit),
        "caseload 在案": _read(client, "/cases/?open=1"),
        "caseload 到期": _read(client, "/cases/?overdue=1"),
        "workforce statistics": _read(client, f"/workforce/statistics?unit={unit}"),
        "posts": _read(client, "/workforce/posts/"),
        "volunteers": _read(client, "/volunteers/"),
        # The queue's counts by status are compared in _queue_pages.
        "queue": {
            name: value
            for name, value in _read(client, "/requests/").items()
            if not name.startswith("requests.status.")
        },
        "queue export": {"requests.overdue": _request_export(client)["requests.overdue"]},
    }


def _request_export(client: FlaskClient) -> dict[str, str]:
    """Every request of the queue's export (all statuses): counts by status, and overdue."""
    response = client.get("/exports/requests?format=csv&status=all")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    by_label = {status.label: status.value for status in RequestStatus}
    counts = {f"requests.status.{status.value}": 0 for status in RequestStatus}
    for row in rows:
        counts[f"requests.status.{by_label[row['状态']]}"] += 1
    figures = {name: str(count) for name, count in counts.items()}
    figures["requests.overdue"] = str(sum(row["是否逾期"] == "是" for row in rows))
    return figures


def _queue_pages(app: Flask, head: User, password: str) -> dict[str, dict[str, str]]:
    """Request counts by status: the queue and its export of every request."""
    client = _client(app, head.username, password)
    return {"queue": _read(client, "/requests/"), "queue export": _request_export(client)}


def _tutor_pages(app: Flask, tutor: User, password: str) -> dict[str, dict[str, str]]:
    client = _client(app, tutor.username, password)
    return {
        "home": _read(client, "/"),
        "tutor dashboard": _read(client, "/dashboard/tutor"),
        "caseload 在案": _read(client, "/cases/?open=1"),
        "caseload 到期": _read(client, "/cases/?overdue=1"),
    }


def _worker_pages(app: Flask, worker: User, password: str) -> dict[str, dict[str, str]]:
    client = _client(app, worker.username, password)
    return {
        "home": _read(client, "/"),
        "my caseload 到期": _read(client, "/cases/mine?overdue=1"),
    }


def _bureau_pages(app: Flask, viewer: User, password: str) -> dict[str, dict[str, str]]:
    client = _client(app, viewer.username, password)
    unit = viewer.unit_id
    statistics = _read(client, f"/reports/?unit={unit}")
    return {
        "home": _read(client, "/"),
        "bureau dashboard": _read(client, "/dashboard/bureau"),
        "statistics": statistics,
        "monthly report": _monthly_pdf(client, unit, statistics),
        "statistics export": _statistics_export(client, unit),
        "workforce statistics": _read(client, f"/workforce/statistics?unit={unit}"),
        "pilot": _read(client, "/pilot/"),
    }


def _every_context(app: Flask, password: str, users: dict[str, User]) -> dict[str, Seen]:
    return {
        "station head": _collect(_head_pages(app, users["head"], password)),
        "request queue": _collect(_queue_pages(app, users["head"], password)),
        "tutor": _collect(_tutor_pages(app, users["tutor"], password)),
        "social worker": _collect(_worker_pages(app, users["worker"], password)),
        "bureau": _collect(_bureau_pages(app, users["bureau"], password)),
    }


def _check(contexts: dict[str, Seen]) -> None:
    problems = [
        f"{context}: {problem}"
        for context, seen in contexts.items()
        for problem in _disagreements(seen)
    ]
    assert not problems, "\n".join(problems)
    # Every figure is compared somewhere: shown on at least two pages of one context.
    compared = {
        name for seen in contexts.values() for name, pages in seen.items() if len(pages) >= 2
    }
    assert compared >= NAMES, f"never compared: {sorted(NAMES - compared)}"


# --- on the demo data ------------------------------------------------------------------------


def _demo_users() -> dict[str, User]:
    by_name = {user.username: user for user in db.session.scalars(select(User))}
    return {
        "head": by_name["head1"],
        "tutor": by_name["tutor"],
        "worker": by_name["worker2"],
        "bureau": by_name["bureau"],
    }


def test_every_figure_agrees_on_every_page_of_the_demo(demo: Flask) -> None:
    _check(_every_context(demo, DEMO_PASSWORD, _demo_users()))


# --- on generated data -----------------------------------------------------------------------


@pytest.fixture
def generated(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = create_app(_test_config(database_url, tmp_path_factory.mktemp("generated")))
    app.test_client_class = IsolatedClient
    args = ["casework", "generate", "--scale", "station", "--seed", "7"]
    result = app.test_cli_runner().invoke(args=[*args, "--as-of", local_today().isoformat()])
    assert result.exit_code == 0, result.output
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        _empty_all_tables(database_url)


def _busiest(role: Role) -> User:
    """The generated account of ``role`` whose unit holds the most cases."""
    cases_per_unit = (
        select(Case.unit_id, func.count().label("cases")).group_by(Case.unit_id).subquery()
    )
    user = db.session.scalars(
        select(User)
        .outerjoin(cases_per_unit, cases_per_unit.c.unit_id == User.unit_id)
        .where(User.role == role, User.is_active.is_(True))
        .order_by(cases_per_unit.c.cases.desc().nulls_last(), User.id)
    ).first()
    assert user is not None, role
    return user


def test_every_figure_agrees_on_every_page_of_generated_data(generated: Flask) -> None:
    users = {
        "head": _busiest(Role.STATION_HEAD),
        "tutor": _busiest(Role.TUTOR),
        "worker": _busiest(Role.SOCIAL_WORKER),
        "bureau": _busiest(Role.BUREAU_VIEWER),
    }
    _check(_every_context(generated, STAFF_PASSWORD, users))
