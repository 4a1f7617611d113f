"""A worker killed in the middle of a PDF render leaves no render process behind."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from tests.factories import StationFactory
from tests.faults.helpers import Browser, children_of, is_gone, wait_until
from tests.search.helpers import add_record, case_in_intervention
from tests.servers import GUNICORN, gunicorn_server

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed"),
]

# Enough text that laying the case file out takes seconds, not milliseconds.
RECORD_TEXT = "入户走访，了解老人近况，协助联系社区卫生服务站上门随访。" * 12
RECORDS = 60


def test_no_render_process_outlives_a_worker_killed_mid_render(
    make_app: Callable[..., Flask], database_url: str, tmp_path: Path
) -> None:
    app = make_app()
    with app.app_context():
        case = case_in_intervention(StationFactory())
        for _ in range(RECORDS):
            add_record(case, RECORD_TEXT, response=RECORD_TEXT)
        case_id, worker = case.id, case.worker.username
    keys = {"DATA_KEY": app.config["DATA_KEY"], "AUDIT_KEY": app.config["AUDIT_KEY"]}
    with gunicorn_server(database_url, tmp_path, **keys) as served:
        browser = Browser(served.base)
        browser.log_in(worker)

        def download() -> None:
            # The worker serving it is killed: the connection drops.
            with contextlib.suppress(OSError):
                browser.request(f"/cases/{case_id}/file.pdf", timeout=60)

        threading.Thread(target=download, daemon=True).start()

        def rendering() -> tuple[int, int] | None:
            for worker_pid in children_of(served.process.pid):
                for child in children_of(worker_pid):
                    return worker_pid, child
            return None

        found = wait_until(rendering, 60)
        assert found, "no render process started"
        worker_pid, render_pid = found
        os.kill(worker_pid, signal.SIGKILL)
        assert wait_until(lambda: is_gone(render_pid), 5)
