"""The database goes away, slows down or turns read-only: requests fail cleanly with a
Chinese page, nothing is half-written, and the app recovers without a restart."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from casework.attachments.models import Attachment
from casework.extensions import db
from casework.helpdesk.models import HelpRequest
from tests.attachments.helpers import pdf_bytes
from tests.factories import PASSWORD, CaseFactory, StationFactory, WorkerFactory
from tests.faults.helpers import Browser, Proxy, wait_until
from tests.servers import GUNICORN, gunicorn_server

pytestmark = pytest.mark.faults

UNAVAILABLE = "数据库暂时无法访问或响应过慢"
COOKIE = "casework_session"


def _postgres_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL server to cut off")


@pytest.fixture
def cut_off(
    make_app: Callable[..., Flask], database_url: str, tmp_path: Path
) -> Iterator[tuple[Browser, Proxy]]:
    """A gunicorn server that reaches PostgreSQL through a proxy, a signed-in worker."""
    _postgres_only(database_url)
    if not GUNICORN.exists():
        pytest.skip("gunicorn is not installed")
    app = make_app()
    with app.app_context():
        username = WorkerFactory().username
    url = make_url(database_url)
    proxy = Proxy(url.port or 5432)
    proxy.restore()
    through = url.set(port=proxy.port).render_as_string(hide_password=False)
    keys = {"DATA_KEY": app.config["DATA_KEY"], "AUDIT_KEY": app.config["AUDIT_KEY"]}
    try:
        with gunicorn_server(through, tmp_path, **keys) as served:
            browser = Browser(served.base)
            browser.log_in(username)
            yield browser, proxy
    finally:
        proxy.cut()


def test_a_page_answers_503_in_chinese_while_the_database_is_down(
    cut_off: tuple[Browser, Proxy],
) -> None:
    browser, proxy = cut_off
    proxy.cut()
    answer = browser.request("/cases/")
    assert (answer.status, UNAVAILABLE in answer.body) == (503, True)


def test_healthz_answers_503_while_the_database_is_down(cut_off: tuple[Browser, Proxy]) -> None:
    browser, proxy = cut_off
    proxy.cut()
    assert browser.request("/healthz").status == 503


def test_pages_work_again_when_the_database_is_back(cut_off: tuple[Browser, Proxy]) -> None:
    browser, proxy = cut_off
    proxy.cut()
    browser.request("/cases/")
    proxy.restore()
    assert wait_until(lambda: browser.request("/cases/").status == 200, 15, step=0.5)


def _signed_in(writable: Flask, app: Flask, username: str) -> FlaskClient:
    """A client of ``app`` carrying the session cookie of a sign-in through ``writable``."""
    with writable.app_context():
        signing_in = writable.test_client()
        response = signing_in.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, "login failed in a test helper"
        cookie = signing_in.get_cookie(COOKIE)
        assert cookie is not None
    client = app.test_client()
    client.set_cookie(COOKIE, cookie.value)
    return client


def test_a_statement_past_the_timeout_answers_503_within_the_limit(
    make_app: Callable[..., Flask], database_url: str
) -> None:
    _postgres_only(database_url)
    writable = make_app()
    with writable.app_context():
        username = CaseFactory().worker.username
    client = _signed_in(writable, make_app(DATABASE_STATEMENT_TIMEOUT_MS=500), username)
    blocker = create_engine(database_url)
    try:
        with blocker.begin() as connection:
            connection.execute(text("LOCK TABLE cases IN ACCESS EXCLUSIVE MODE"))
            started = time.monotonic()
            response = client.get("/cases/")
            elapsed = time.monotonic() - started
    finally:
        blocker.dispose()
    assert (response.status_code, elapsed < 5) == (503, True)


def _read_only_url(database_url: str) -> str:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's read-only mode")
    return f"sqlite:///file:{make_url(database_url).database}?mode=ro&uri=true"


def test_a_help_request_to_a_read_only_database_answers_503_and_stores_nothing(
    make_app: Callable[..., Flask], database_url: str
) -> None:
    app = make_app(DATABASE_URL=_read_only_url(database_url))
    writable = make_app()
    with writable.app_context():
        station = StationFactory().id
    response = app.test_client().post(
        "/help",
        data={
            "station": str(station),
            "category": "livelihood",
            "description": "家里老人行动不便，想申请上门探访服务",
            "contact_preference": "online_only",
            "consent": "y",
            "website": "",
        },
    )
    with writable.app_context():
        stored = db.session.scalar(select(func.count()).select_from(HelpRequest))
    assert (response.status_code, stored) == (503, 0)


def test_an_upload_to_a_read_only_database_leaves_no_file_and_no_row(
    make_app: Callable[..., Flask], database_url: str
) -> None:
    app = make_app(DATABASE_URL=_read_only_url(database_url))
    writable = make_app()
    with writable.app_context():
        case = CaseFactory()
        case_id, username = case.id, case.worker.username
    client = _signed_in(writable, app, username)
    response = client.post(
        f"/cases/{case_id}/attachments",
        data={"file": (BytesIO(pdf_bytes()), "同意书.pdf"), "description": "服务协议"},
        content_type="multipart/form-data",
    )
    folder = Path(app.config["UPLOAD_FOLDER"])
    left = [path.name for path in folder.iterdir()] if folder.exists() else []
    with writable.app_context():
        rows = db.session.scalar(select(func.count()).select_from(Attachment))
    assert (response.status_code, left, rows) == (503, [], 0)


def test_commands_run_without_the_statement_timeout(
    make_app: Callable[..., Flask], database_url: str
) -> None:
    _postgres_only(database_url)
    with make_app(DATABASE_STATEMENT_TIMEOUT_MS=200).app_context():
        slept = db.session.execute(text("SELECT 1 FROM pg_sleep(0.5)")).scalar_one()
    assert slept == 1
