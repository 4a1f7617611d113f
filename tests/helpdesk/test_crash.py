"""A power cut during a burst of submissions: every acknowledged one survives, the database
is sound, and the app starts again on it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, text

from casework.extensions import db
from casework.helpdesk.models import HelpRequest
from tests.factories import StationFactory
from tests.servers import GUNICORN, flood_help_form, gunicorn, gunicorn_server

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")

THREADS = 8


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
    while len(acknowledged) < 40:
        time.sleep(0.01)


def test_acknowledged_submissions_survive_a_sigkill(
    make_app: Callable[..., Flask], database_url: str, tmp_path: Path
) -> None:
    app = make_app()
    with app.app_context():
        station = str(StationFactory().id)
    keys = {"DATA_KEY": app.config["DATA_KEY"], "AUDIT_KEY": app.config["AUDIT_KEY"]}
    settings = {"HELP_SUBMIT_RATE_LIMIT": "100000 per minute", **keys}
    acknowledged: list[int] = []
    stop = threading.Event()
    with gunicorn_server(database_url, tmp_path, **settings) as served:
        _burst(served.base, station, acknowledged, stop)
        served.kill()  # mid-burst: requests in flight are cut off
        stop.set()
    seen = list(acknowledged)
    with gunicorn(database_url, tmp_path, **settings) as base:  # starts again on the same data
        alive = flood_help_form.submit_once(base, station, 0, timeout=10).kind
    with app.app_context():
        stored = set(db.session.scalars(select(HelpRequest.description)))
        if db.engine.dialect.name == "sqlite":
            sound = db.session.execute(text("PRAGMA integrity_check")).scalar()
            broken = db.session.execute(text("PRAGMA foreign_key_check")).all()
        else:
            sound, broken = "ok", []
        db.session.remove()
    missing = [n for n in seen if f"压力测试提交第 {n} 号：楼道灯坏了，请派人维修。" not in stored]
    assert (missing, sound, broken, alive) == ([], "ok", [], flood_help_form.SUCCESS)
