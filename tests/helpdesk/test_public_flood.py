"""200 concurrent residents against the real app under gunicorn (2 workers, 127.0.0.1).

Every success must be stored exactly once with its own code, nothing may fail, and once
the limit is low, the submissions beyond it get 429 while the stored ones stay intact.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from flask import Flask
from sqlalchemy import func, select

from casework import PROJECT_ROOT
from casework.extensions import db
from casework.helpdesk.models import HelpRequest, HelpRequestEvent
from casework.helpdesk.services import format_tracking_code
from tests.factories import StationFactory

GUNICORN = Path(sys.executable).parent / "gunicorn"
WORKERS = 2
SUBMISSIONS = 200
LOW_LIMIT = 30
STARTUP_SECONDS = 30.0

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")


def _load_flood_script() -> ModuleType:
    path = Path(PROJECT_ROOT) / "scripts" / "flood_help_form.py"
    spec = importlib.util.spec_from_file_location("flood_help_form", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


flood_help_form = _load_flood_script()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


# Both gunicorn workers must count against one limit, or each would allow the full amount.
SHARED_LIMITS = _redis_answers()


@contextmanager
def _gunicorn(database_url: str, instance: Path, submit_limit: str) -> Iterator[str]:
    """Serve wsgi:app on a free loopback port until the block ends."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CASEWORK_")}
    env |= {
        "CASEWORK_DATABASE_URL": database_url,
        "CASEWORK_SECRET_KEY": "flood-test-secret-key-not-for-production",
        "CASEWORK_INSTANCE_PATH": str(instance),
        "CASEWORK_DEMO": "false",
        "CASEWORK_LOG_LEVEL": "WARNING",
        "CASEWORK_HELP_SUBMIT_RATE_LIMIT": submit_limit,
        "CASEWORK_RATELIMIT_STORAGE_URI": (
            "redis://127.0.0.1:6379" if SHARED_LIMITS else "memory://"
        ),
        # A fresh prefix per server, so counters left in Redis by an earlier run don't count.
        "CASEWORK_RATELIMIT_KEY_PREFIX": f"casework-flood-{uuid.uuid4().hex}",
    }
    log = (instance / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603  (fixed arguments, our own venv's gunicorn)
        [
            str(GUNICORN),
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
            "wsgi:app",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        log.close()


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer /healthz in time")


def _stored(app: Flask) -> tuple[int, set[str], int]:
    """Requests, their distinct (formatted) codes, and their events, as in the database."""
    with app.app_context():
        codes = list(db.session.scalars(select(HelpRequest.tracking_code)))
        events = db.session.scalar(select(func.count()).select_from(HelpRequestEvent)) or 0
    return len(codes), {format_tracking_code(code) for code in codes}, int(events)


@pytest.fixture
def seeded(make_app: Callable[..., Flask]) -> tuple[Flask, str]:
    app = make_app()
    with app.app_context():
        station_id = str(StationFactory().id)
    return app, station_id


def test_concurrent_submissions_are_each_stored_once_with_a_distinct_code(
    seeded: tuple[Flask, str], database_url: str, tmp_path: Path
) -> None:
    app, station = seeded
    with _gunicorn(database_url, tmp_path, submit_limit="1000 per minute") as base:
        result = flood_help_form.flood(base, SUBMISSIONS, station=station, timeout=60)
    print(f"\n{flood_help_form.report(result)}")
    stored, codes, events = _stored(app)
    assert result.failed == 0, result.errors
    assert result.successes == SUBMISSIONS
    assert stored == SUBMISSIONS
    assert codes == result.distinct_codes
    assert len(codes) == SUBMISSIONS
    assert events == SUBMISSIONS  # one "submitted" event each, nothing half-written


def test_submissions_beyond_the_limit_get_429_and_nothing_is_corrupted(
    seeded: tuple[Flask, str], database_url: str, tmp_path: Path
) -> None:
    app, station = seeded
    limit = f"{LOW_LIMIT} per minute"
    with _gunicorn(database_url, tmp_path, submit_limit=limit) as base:
        result = flood_help_form.flood(base, SUBMISSIONS, station=station, timeout=60)
    print(f"\n{flood_help_form.report(result)}")
    stored, codes, events = _stored(app)
    allowed = LOW_LIMIT if SHARED_LIMITS else LOW_LIMIT * WORKERS
    assert result.failed == 0, result.errors
    assert result.successes <= allowed
    assert result.successes + result.rate_limited == SUBMISSIONS
    assert result.rate_limited >= SUBMISSIONS - allowed
    assert stored == result.successes == len(codes)
    assert codes == result.distinct_codes
    assert events == stored
