"""The wall screen (数据大屏) and its display tokens: created by a bureau viewer (shown
once), revocable, opening the aggregate wall of the unit's subtree and nothing else."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.core.audit import AuditEntry
from casework.dashboards.models import DisplayToken
from casework.extensions import db
from tests.conftest import Login
from tests.dashboards.test_bureau import city, names_and_numbers  # noqa: F401  (fixture)
from tests.factories import (
    PASSWORD,
    BureauViewerFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)

DISPLAYS = "/dashboard/displays"


def _create(client: FlaskClient, label: str = "指挥中心大屏") -> str:
    page = client.get(DISPLAYS).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    response = client.post(DISPLAYS, data={"csrf_token": token.group(1), "label": label})
    assert response.status_code == 200
    address = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("#wall-url")
    assert address is not None
    return "/wall/" + str(address["value"]).rsplit("/wall/", 1)[1]


@pytest.fixture
def wall(city: dict[str, Any], app: Flask) -> str:  # noqa: F811
    """The address of a new wall screen of the city bureau, made by its viewer in a browser
    of their own: the test's ``client`` stays a display that never signed in."""
    viewer_browser = app.test_client()
    response = viewer_browser.post(
        "/login", data={"username": city["viewer"].username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return _create(viewer_browser)


def test_the_address_is_shown_once_and_only_its_digest_stored(
    city: dict[str, Any],  # noqa: F811
    client: FlaskClient,
    login: Login,
) -> None:
    login(city["viewer"])
    address = _create(client)
    token = address.rsplit("/", 1)[1]
    row = db.session.scalars(select(DisplayToken)).one()
    assert row.token_hash != token
    assert len(row.token_hash) == 64
    assert token not in client.get(DISPLAYS).get_data(as_text=True)


def test_creating_an_address_is_audited(
    city: dict[str, Any],  # noqa: F811
    client: FlaskClient,
    login: Login,
) -> None:
    login(city["viewer"])
    _create(client)
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "display_token.created" in actions


def test_a_label_is_required(
    city: dict[str, Any],  # noqa: F811
    client: FlaskClient,
    login: Login,
) -> None:
    login(city["viewer"])
    page = client.get(DISPLAYS).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert csrf is not None
    response = client.post(DISPLAYS, data={"csrf_token": csrf.group(1), "label": " "})
    assert response.status_code == 422
    assert db.session.scalars(select(DisplayToken)).first() is None


def test_the_wall_opens_without_signing_in(wall: str, client: FlaskClient) -> None:
    response = client.get(wall)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_the_wall_figures_come_as_json(wall: str, client: FlaskClient) -> None:
    data = client.get(f"{wall}/data.json").get_json()
    assert data["figures"]["opened"] == "9"
    assert data["overdue"] == []
    assert set(data["charts"]) == {"opened", "records", "requests"}


def test_the_wall_reads_as_the_statistics_page(
    wall: str,
    city: dict[str, Any],  # noqa: F811
    client: FlaskClient,
    login: Login,
) -> None:
    figures = client.get(f"{wall}/data.json").get_json()["figures"]
    login(city["viewer"])
    page = BeautifulSoup(
        client.get(f"/reports/?unit={city['bureau'].id}").get_data(as_text=True), "html.parser"
    )
    statistics = {
        str(e["data-figure"]): e.get_text(strip=True) for e in page.select("[data-figure]")
    }
    assert figures["opened"] == statistics["cases.opened"]
    assert figures["records"] == statistics["services.records"]
    assert figures["requests"] == statistics["requests.submitted"]


def test_a_small_count_on_the_wall_reads_less_than_five(wall: str, client: FlaskClient) -> None:
    assert client.get(f"{wall}/data.json").get_json()["figures"]["requests"] == "<5"


def test_the_wall_names_nobody(wall: str, client: FlaskClient) -> None:
    pages = [
        client.get(wall).get_data(as_text=True),
        client.get(f"{wall}/data.json").get_data(as_text=True),
    ]
    for value in names_and_numbers():
        assert all(value not in page for page in pages), value


def test_a_revoked_address_is_not_found(
    wall: str,
    city: dict[str, Any],  # noqa: F811
    client: FlaskClient,
    login: Login,
) -> None:
    login(city["viewer"])
    row = db.session.scalars(select(DisplayToken)).one()
    page = client.get(DISPLAYS).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert csrf is not None
    response = client.post(f"{DISPLAYS}/{row.id}/revoke", data={"csrf_token": csrf.group(1)})
    assert response.status_code == 302
    assert client.get(wall).status_code == 404
    assert client.get(f"{wall}/data.json").status_code == 404
    assert "display_token.revoked" in db.session.scalars(select(AuditEntry.action)).all()


def test_an_unknown_address_is_not_found(client: FlaskClient, app: Flask) -> None:
    assert client.get("/wall/not-a-token").status_code == 404
    assert client.get("/wall/" + "x" * 500 + "/data.json").status_code == 404


def test_an_expired_address_is_not_found(wall: str, client: FlaskClient) -> None:
    row = db.session.scalars(select(DisplayToken)).one()
    row.expires_at = row.created_at
    db.session.commit()
    assert client.get(wall).status_code == 404


def test_the_token_opens_nothing_but_the_wall(wall: str, client: FlaskClient) -> None:
    token = wall.rsplit("/", 1)[1]
    assert client.get(wall).status_code == 200
    for path in ("/", "/dashboard/bureau", "/reports/", DISPLAYS, "/cases/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"], path
    for header in ({"Authorization": f"Bearer {token}"}, {}):
        assert client.get("/api/v1/cases", headers=header).status_code == 401
    assert client.get(f"/reports/?token={token}").status_code == 302


def test_the_token_never_reaches_the_request_log(
    wall: str, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    token = wall.rsplit("/", 1)[1]
    with caplog.at_level(logging.INFO, logger="casework.request"):
        client.get(wall)
        client.get(f"{wall}/data.json")
    logged = [record.getMessage() for record in caplog.records if record.name == "casework.request"]
    assert len(logged) == 2
    assert all(token not in line and "[redacted]" in line for line in logged)


def test_another_bureau_cannot_revoke_the_address(
    wall: str,
    city: dict[str, Any],  # noqa: F811
    client: FlaskClient,
    login: Login,
) -> None:
    row = db.session.scalars(select(DisplayToken)).one()
    login(BureauViewerFactory())
    page = client.get(DISPLAYS).get_data(as_text=True)
    assert "指挥中心大屏" not in page
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert csrf is not None
    response = client.post(f"{DISPLAYS}/{row.id}/revoke", data={"csrf_token": csrf.group(1)})
    assert response.status_code == 404
    assert client.get(wall).status_code == 200


@pytest.mark.parametrize(
    "make", [WorkerFactory, StationHeadFactory, TutorFactory], ids=lambda factory: factory.__name__
)
def test_only_bureau_viewers_manage_wall_screens(
    make: Any,
    city: dict[str, Any],  # noqa: F811
    client: FlaskClient,
    login: Login,
) -> None:
    login(make(unit=city["east"]))
    assert client.get(DISPLAYS).status_code == 403
