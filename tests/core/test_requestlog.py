"""One log line per request, without personal data."""

from __future__ import annotations

import logging

import pytest
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
