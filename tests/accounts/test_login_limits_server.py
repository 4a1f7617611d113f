"""Login limits as ``make run`` serves the app: two gunicorn workers, limits in the database.

Each worker is its own process, so a limit counted in a worker's memory would let through
twice the documented number. These tests sign in over real HTTP, with the CSRF token and the
cookie a browser would send.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.cookiejar import CookieJar
from pathlib import Path

from flask import Flask

from tests.factories import PASSWORD, WorkerFactory
from tests.servers import gunicorn


class Browser:
    """A cookie jar and the login form, over HTTP."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirects()
        )

    def log_in(self, username: str, password: str) -> tuple[int, str]:
        with self.opener.open(self.base + "/login", timeout=10) as page:
            html = page.read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
        assert token, "no CSRF token on the login page"
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrf_token": token.group(1)}
        ).encode()
        try:
            with self.opener.open(self.base + "/login", data=form, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


def _username(make_app: Callable[..., Flask]) -> str:
    app = make_app()
    with app.app_context():
        return str(WorkerFactory().username)


def test_sixth_failed_login_from_one_address_gets_429_across_workers(
    make_app: Callable[..., Flask], database_url: str, tmp_path: Path
) -> None:
    username = _username(make_app)
    with gunicorn(database_url, tmp_path) as base:
        browser = Browser(base)
        statuses = [browser.log_in(username, "wrong-password")[0] for _attempt in range(6)]
    assert statuses == [401] * 5 + [429]


def test_account_locks_after_the_configured_failures_across_workers(
    make_app: Callable[..., Flask], database_url: str, tmp_path: Path
) -> None:
    username = _username(make_app)
    with gunicorn(database_url, tmp_path, LOCKOUT_THRESHOLD="3") as base:
        browser = Browser(base)
        for _attempt in range(3):
            browser.log_in(username, "wrong-password")
        status, body = browser.log_in(username, PASSWORD)
    assert status == 401
    assert "已被锁定" in body
