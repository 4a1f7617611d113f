"""Rate limits and CSRF protection on the login and on every form."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask

from tests.factories import PASSWORD, WorkerFactory


def _csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def test_sixth_failed_login_from_one_address_gets_429(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        username = WorkerFactory().username
    statuses = [
        client.post("/login", data={"username": username, "password": "wrong-pass"}).status_code
        for _attempt in range(6)
    ]
    assert statuses == [401] * 5 + [429]


def test_rate_limited_page_is_chinese_without_traceback(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="1 per minute")
    client = app.test_client()
    client.post("/login", data={"username": "x", "password": "wrong-pass"})
    response = client.post("/login", data={"username": "x", "password": "wrong-pass"})
    body = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "操作过于频繁" in body
    assert "Traceback" not in body


def test_successful_logins_do_not_count_towards_the_limit(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
    with app.app_context():
        username = WorkerFactory().username
    statuses = []
    for _attempt in range(4):
        client = app.test_client()
        statuses.append(
            client.post("/login", data={"username": username, "password": PASSWORD}).status_code
        )
    assert statuses == [302] * 4


def test_login_without_csrf_token_is_refused(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        username = WorkerFactory().username
    response = app.test_client().post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 400
    assert "安全令牌" in response.get_data(as_text=True)


def test_login_with_csrf_token_is_accepted(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        username = WorkerFactory().username
    client = app.test_client()
    token = _csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_logged_in_post_without_csrf_token_is_refused(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        username = WorkerFactory().username
    client = app.test_client()
    token = _csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    response = client.post("/logout")
    assert response.status_code == 400
    assert client.get("/").status_code == 200


def test_session_cookie_is_http_only_and_same_site(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    with app.app_context():
        username = WorkerFactory().username
    response = app.test_client().post("/login", data={"username": username, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
