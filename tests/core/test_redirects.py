"""Redirect targets from the request stay on this site, however they are spelled."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from casework.core.redirects import is_safe_next
from tests.conftest import Login
from tests.factories import PASSWORD, CaseFactory, WorkerFactory

OFF_SITE = [
    "//evil.example",
    "////evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "/%2F%2Fevil.example",
    "/%2fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    " //evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "/\r\nLocation: https://evil.example",
    "evil.example",
    "",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_an_off_site_target_is_refused(target: str) -> None:
    assert not is_safe_next(target)


@pytest.mark.parametrize("target", ["/", "/cases/14", "/cases/?risk=high&open=1", "/help/status"])
def test_a_path_of_this_site_is_allowed(target: str) -> None:
    assert is_safe_next(target)


def _stays_on_site(location: str) -> bool:
    return location.startswith("/") and not location.startswith("//") and "\\" not in location


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_sends_the_browser_off_site(client: FlaskClient, target: str) -> None:
    worker = WorkerFactory()
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"username": worker.username, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert _stays_on_site(response.headers["Location"])


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_language_switch_never_sends_the_browser_off_site(
    client: FlaskClient, target: str
) -> None:
    response = client.post("/locale", data={"locale": "en", "next": target})
    assert response.status_code == 302
    assert _stays_on_site(response.headers["Location"])


@pytest.mark.parametrize("target", OFF_SITE[:6])
def test_a_case_step_never_sends_the_browser_off_site(
    client: FlaskClient, login: Login, target: str
) -> None:
    case = CaseFactory()
    login(case.worker)
    response = client.post(f"/cases/{case.id}/steps/accept", query_string={"next": target})
    assert _stays_on_site(response.headers["Location"])
