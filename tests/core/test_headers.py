"""Security headers on every response; no page or download is kept in a cache."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Login
from tests.factories import CaseFactory, StationHeadFactory

EVERY_RESPONSE = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def _check(response: Any) -> list[str]:
    problems = [
        f"{name}: {response.headers.get(name)!r}"
        for name, value in EVERY_RESPONSE.items()
        if response.headers.get(name) != value
    ]
    policy = response.headers.get("Content-Security-Policy", "")
    for part in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
    ):
        if part not in policy:
            problems.append(f"CSP lacks {part}")
    if "unsafe-inline" in policy:
        problems.append("CSP allows inline code")
    if response.headers.get("Cache-Control") != "no-store":
        problems.append(f"Cache-Control: {response.headers.get('Cache-Control')!r}")
    return problems


def test_every_page_a_head_can_open_carries_the_headers(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    case = CaseFactory()
    head = StationHeadFactory(unit=case.unit)
    login(head)
    failures = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "accounts.logout"):
            continue
        values = {
            name: case.id if name.endswith("_id") or name == "year" else "x"
            for name in rule.arguments
        }
        response = client.get(rule.build(values)[1])
        problems = _check(response)
        if problems:
            failures[rule.endpoint] = (response.status_code, problems)
    assert failures == {}


def test_the_public_pages_carry_the_headers(client: FlaskClient) -> None:
    for path in ("/help", "/help/status", "/help/privacy", "/login"):
        assert _check(client.get(path)) == [], path


def test_a_case_file_download_is_not_cached(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    login(case.worker)
    response = client.get(f"/cases/{case.id}/file.pdf")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client: FlaskClient) -> None:
    response = client.get("/static/css/casework.css")
    response.close()
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"


@pytest.mark.parametrize("secure", [True, False])
def test_hsts_only_behind_https(make_app: Any, secure: bool) -> None:
    app = make_app(SESSION_COOKIE_SECURE=secure)
    response = app.test_client().get("/login", base_url="https://localhost")
    assert ("Strict-Transport-Security" in response.headers) is secure
