"""A real server on 127.0.0.1 and Debian's chromium driven by Playwright."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from casework.cases.models import Case
from casework.extensions import db

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.browser


class _RequestsInFlight:
    """WSGI middleware that counts the requests being answered.

    The server's request threads are daemons nobody joins: without waiting for them, a
    request the browser started as the test ended could still hold a database connection
    when the app's engine is disposed.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.count = 0
        self.changed = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        with self.changed:
            self.count += 1
        try:
            body = self.app(environ, start_response)
            try:
                return list(body)
            finally:
                if hasattr(body, "close"):
                    body.close()
        finally:
            with self.changed:
                self.count -= 1
                self.changed.notify_all()

    def wait_until_idle(self, timeout: float = 10) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.count == 0, timeout)


@pytest.fixture
def live_server(make_app: Callable[..., Flask]) -> Iterator[Callable[..., str]]:
    """Start the app with the given settings in a thread; returns its base URL."""
    servers: list[tuple[Any, _RequestsInFlight]] = []

    def start(**overrides: Any) -> str:
        app = _RequestsInFlight(make_app(WTF_CSRF_ENABLED=True, **overrides))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append((server, app))
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server, app in servers:
        server.shutdown()
        server.server_close()
        app.wait_until_idle()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.fixture
def demo_server(make_app: Callable[..., Flask], live_server: Callable[..., str]) -> str:
    """A live server on the demo data (loaded by the real command)."""
    seeded = make_app(DEMO=True)
    result = seeded.test_cli_runner().invoke(args=["casework", "seed-demo"])
    assert result.exit_code == 0, result.output
    return live_server(DEMO=True)


@pytest.fixture
def first_demo_case(demo_server: str, make_app: Callable[..., Flask]) -> int:
    """The id of the demo's first case (ids are not fixed: the database is reused)."""
    with make_app().app_context():
        case_id = db.session.scalars(select(Case.id).order_by(Case.id).limit(1)).one()
        db.session.remove()
    return case_id
