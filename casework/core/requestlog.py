"""One log line per request: method, path, status, duration, user id — no personal data."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request
from flask_login import current_user

log = logging.getLogger("casework.request")


# URL parts that are credentials (a calendar feed's secret token) are never logged.
SECRET_VIEW_ARGS = ("token",)


def loggable_path() -> str:
    path = request.path
    for name in SECRET_VIEW_ARGS:
        value = (request.view_args or {}).get(name)
        if value:
            path = path.replace(str(value), "[redacted]")
    return path


def register_request_log(app: Flask) -> None:
    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("request_started")
        duration_ms = (time.perf_counter() - started) * 1000 if started else 0.0
        user_id = current_user.id if current_user and current_user.is_authenticated else "-"
        # request.path never carries the query string, where search terms could appear.
        log.info(
            "%s %s %s %.1fms user=%s",
            request.method,
            loggable_path(),
            response.status_code,
            duration_ms,
            user_id,
        )
        return response
