"""Today's date where the stations are (Asia/Shanghai), not where the server's clock is."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Shanghai"


def local_timezone() -> ZoneInfo:
    name = (
        current_app.config.get("BABEL_DEFAULT_TIMEZONE", DEFAULT_TIMEZONE)
        if has_app_context()
        else DEFAULT_TIMEZONE
    )
    return ZoneInfo(name)


def local_today() -> date:
    return datetime.now(local_timezone()).date()
