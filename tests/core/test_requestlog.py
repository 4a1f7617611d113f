"""One log line per request, without personal data."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient


def test_each_request_logs_method_path_status_duration_and_user(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="casework.request"):
        client.get("/login?next=/secret-search-term")
    lines = [record.getMessage() for record in caplog.records if record.name == "casework.request"]
    assert len(lines) == 1
    assert lines[0].startswith("GET /login 200 ")
    assert lines[0].endswith("user=-")
    assert "secret-search-term" not in lines[0]


def test_secret_tokens_in_paths_are_not_logged(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app()  # an app of its own: the test adds a route

    @app.get("/feeds/<token>.ics")
    def feed(token: str) -> str:
        return "ok"

    with caplog.at_level(logging.INFO, logger="casework.request"):
        app.test_client().get("/feeds/s3cr3t-t0ken.ics")
    (line,) = [r.getMessage() for r in caplog.records if r.name == "casework.request"]
    assert line.startswith("GET /feeds/[redacted].ics 200 ")
    assert "s3cr3t-t0ken" not in line
