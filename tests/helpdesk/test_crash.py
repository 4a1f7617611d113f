"""A power cut during a burst of residents' submissions and staff's service records: every
acknowledged write survives, the database is sound, and the app starts again on it."""

from __future__ import annotations

import http.client
import http.cookiejar
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, text

from casework.cases.models import ServiceRecord
from casework.core.clock import local_today
from casework.extensions import db
from casework.helpdesk.models import HelpRequest
from tests.factories import PASSWORD, StationFactory
from tests.search.helpers import case_in_intervention
from tests.servers import GUNICORN, flood_help_form, gunicorn, gunicorn_server

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")

THREADS = 8


RECORD = "断电测试服务记录第 {} 号：入户走访。"


def _form_token(opener: Any, url: str) -> str:
    with opener.open(url, timeout=10) as page:
        match = flood_help_form.CSRF_TOKEN.search(page.read().decode("utf-8"))
    assert match is not None, f"no CSRF token on {url}"
    return str(match.group(1))


def _staff_writes(
    base: str, username: str, case_id: int, written: list[int], stop: threading.Event
) -> None:
    """A social worker adding service records one after another; a record is acknowledged
    once the redirect after saving came back."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
    )
    login = {"csrf_token": _form_token(opener, base + "/login"), "username": username}
    _post(opener, base + "/login", {**login, "password": PASSWORD})
    number = 0
    while not stop.is_set():
        number += 1
        url = f"{base}/cases/{case_id}/records/new"
        try:
            status = _post(
                opener,
                url,
                {
                    "csrf_token": _form_token(opener, url),
                    "served_on": local_today().isoformat(),
                    "form": "home_visit",
                    "duration_minutes": "30",
                    "content": RECORD.format(number),
                },
            )
        except (OSError, http.client.HTTPException):
            return  # the server is gone, perhaps in the middle of an answer
        if status == 302:
            written.append(number)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _post(opener: Any, url: str, data: dict[str, str]) -> int:
    try:
        opener.open(url, data=urllib.parse.urlencode(data).encode(), timeout=10).close()
    except urllib.error.HTTPError as answer:
        answer.close()
        return int(answer.code)
    return 200


def _burst(base: str, station: str, acknowledged: list[int], stop: threading.Event) -> None:
    """Residents submitting one after another; a number is acknowledged once its 303 came."""
    counter = iter(range(1, 1_000_000))
    lock = threading.Lock()

    def resident() -> None:
        while not stop.is_set():
            with lock:
                number = next(counter)
            outcome = flood_help_form.submit_once(base, station, number, timeout=10)
            if outcome.kind == flood_help_form.SUCCESS:
                with lock:
                    acknowledged.append(number)

    threads = [threading.Thread(target=resident, daemon=True) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)


def test_acknowledged_submissions_survive_a_sigkill(
    make_app: Callable[..., Flask], database_url: str, tmp_path: Path
) -> None:
    app = make_app()
    with app.app_context():
        case = case_in_intervention(StationFactory())
        station, case_id, worker = str(case.unit_id), case.id, case.worker.username
    keys = {"DATA_KEY": app.config["DATA_KEY"], "AUDIT_KEY": app.config["AUDIT_KEY"]}
    settings = {
        "HELP_SUBMIT_RATE_LIMIT": "100000 per minute",
        "LOGIN_RATE_LIMIT": "100000 per minute",
        **keys,
    }
    acknowledged: list[int] = []
    records: list[int] = []
    stop = threading.Event()
    with gunicorn_server(database_url, tmp_path, **settings) as served:
        staff = threading.Thread(
            target=_staff_writes,
            args=(served.base, worker, case_id, records, stop),
            daemon=True,
        )
        staff.start()
        _burst(served.base, station, acknowledged, stop)
        deadline = time.monotonic() + 60
        while len(records) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        served.kill()  # mid-burst: requests in flight are cut off
        stop.set()
    seen, saved = list(acknowledged), list(records)
    with gunicorn(database_url, tmp_path, **settings) as base:  # starts again on the same data
        alive = flood_help_form.submit_once(base, station, 0, timeout=10).kind
    with app.app_context():
        stored = set(db.session.scalars(select(HelpRequest.description)))
        contents = set(db.session.scalars(select(ServiceRecord.content)))
        if db.engine.dialect.name == "sqlite":
            sound = db.session.execute(text("PRAGMA integrity_check")).scalar()
            broken = db.session.execute(text("PRAGMA foreign_key_check")).all()
        else:
            sound, broken = "ok", []
        db.session.remove()
    missing = [n for n in seen if f"压力测试提交第 {n} 号：楼道灯坏了，请派人维修。" not in stored]
    lost = [n for n in saved if RECORD.format(n) not in contents]
    assert (len(seen) >= 40, len(saved) >= 5) == (True, True), "the burst never got going"
    assert (missing, lost, sound, broken, alive) == ([], [], "ok", [], flood_help_form.SUCCESS)
