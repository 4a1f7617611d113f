"""Who may open which page: anonymous visitors go to login, roles get 200 or 403."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from casework.accounts.models import Role
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)

INTERNAL_PAGES = [
    "/",
    "/users",
    "/users/new",
    "/units/",
    "/units/new",
    "/account/password",
    "/cases/",
    "/cases/mine",
    "/cases/break-glass",
    "/people/",
    "/people/new",
    "/people/tags",
    "/audit/",
    "/pilot/",
    "/pilot/mine",
    "/pilot/stages",
    "/projects/",
    "/projects/new",
    "/projects/agencies/new",
    "/projects/indicators",
]

FACTORY_BY_ROLE = {
    Role.SOCIAL_WORKER: WorkerFactory,
    Role.TUTOR: TutorFactory,
    Role.STATION_HEAD: StationHeadFactory,
    Role.BUREAU_VIEWER: BureauViewerFactory,
    Role.SYSADMIN: AdminFactory,
}

ALL = set(Role)
# page -> roles that may open it; every other role gets 403.
ALLOWED = {
    "/": ALL,
    "/account/password": ALL,
    "/users": {Role.SYSADMIN, Role.STATION_HEAD},
    "/users/new": {Role.SYSADMIN, Role.STATION_HEAD},
    "/units/": {Role.SYSADMIN},
    "/units/new": {Role.SYSADMIN},
    "/cases/": ALL - {Role.BUREAU_VIEWER},
    "/cases/mine": {Role.SOCIAL_WORKER, Role.STATION_HEAD},
    "/cases/break-glass": {Role.SYSADMIN},
    "/people/": ALL - {Role.BUREAU_VIEWER},
    "/people/new": {Role.SOCIAL_WORKER, Role.STATION_HEAD},
    "/people/tags": {Role.SYSADMIN},
    "/audit/": {Role.SYSADMIN, Role.STATION_HEAD},
    "/pilot/": {Role.BUREAU_VIEWER},
    "/pilot/mine": {Role.STATION_HEAD},
    # The stages are the province bureau's; the factories' bureau is a city's.
    "/pilot/stages": set(),
    # Agency staff read their projects; administrators manage accounts, not contracts.
    "/projects/": {Role.SOCIAL_WORKER, Role.STATION_HEAD, Role.BUREAU_VIEWER},
    "/projects/new": {Role.BUREAU_VIEWER},
    "/projects/agencies/new": {Role.BUREAU_VIEWER},
    "/projects/indicators": {Role.BUREAU_VIEWER},
}


@pytest.mark.parametrize("path", INTERNAL_PAGES)
def test_anonymous_visitor_is_sent_to_login(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("path", sorted(ALLOWED))
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_role_page_matrix(client: FlaskClient, login: Login, role: Role, path: str) -> None:
    login(FACTORY_BY_ROLE[role]())
    expected = 200 if role in ALLOWED[path] else 403
    assert client.get(path).status_code == expected


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_menu_shows_only_what_the_role_may_open(
    client: FlaskClient, login: Login, role: Role
) -> None:
    login(FACTORY_BY_ROLE[role]())
    body = client.get("/").get_data(as_text=True)
    assert ('href="/users"' in body) == (role in ALLOWED["/users"])
    assert ('href="/units/"' in body) == (role in ALLOWED["/units/"])
    assert ('href="/pilot/"' in body) == (role in ALLOWED["/pilot/"])
    assert ('href="/pilot/mine"' in body) == (role in ALLOWED["/pilot/mine"])


def test_forbidden_page_is_chinese_without_traceback(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    response = client.get("/users")
    body = response.get_data(as_text=True)
    assert "没有权限" in body
    assert "Traceback" not in body
