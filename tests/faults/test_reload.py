"""A reload (``kill -HUP`` of gunicorn's master) during traffic loses no request."""

from __future__ import annotations

import os
import signal
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.faults.helpers import children_of, wait_until
from tests.servers import GUNICORN, gunicorn_server

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed"),
]

CLIENTS = 4


def test_a_reload_during_traffic_loses_no_request(database_url: str, tmp_path: Path) -> None:
    outcomes: list[int | str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(base: str) -> None:
        while not stop.is_set():
            try:
                with urllib.request.urlopen(base + "/login", timeout=30) as response:  # noqa: S310
                    outcome: int | str = response.status
            except OSError as error:
                outcome = type(error).__name__
            with lock:
                outcomes.append(outcome)

    with gunicorn_server(database_url, tmp_path) as served:
        threads = [
            threading.Thread(target=client, args=(served.base,), daemon=True)
            for _ in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(1)
        before = set(children_of(served.process.pid))
        os.kill(served.process.pid, signal.SIGHUP)
        reloaded = wait_until(lambda: not before & set(children_of(served.process.pid)), 20)
        time.sleep(2)
        stop.set()
        for thread in threads:
            thread.join(30)
    failed = [outcome for outcome in outcomes if outcome != 200]
    assert (reloaded, len(outcomes) > 50, failed) == (True, True, [])
