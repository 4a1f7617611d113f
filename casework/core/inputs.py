"""What comes from the request: numbers only as large as the database holds, and the
site's own address from the settings rather than from the Host header.

An id of 2^63 in a path used to reach the database and fail there (PostgreSQL's integer
columns hold 32 bits, SQLite's 64); now such an id is simply not found (404), and a query
argument out of range is ignored, as any other value that is not a number.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from werkzeug.routing import IntegerConverter, Map

# The largest id an ``Integer`` column holds on PostgreSQL (int4).
MAX_ID = 2**31 - 1
MIN_INT = -(2**31)


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: a number larger than any id matches no route (404)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def db_int(value: str) -> int:
    """``type=db_int`` for ``request.args.get``: a ValueError (so: no value) when too large."""
    number = int(value)
    if not MIN_INT <= number <= MAX_ID:
        raise ValueError(value)
    return number


def external_url(path: str) -> str:
    """``path`` under the configured ``EXTERNAL_URL``: a Host header an attacker sends never
    ends up in a link the app hands out. Without the setting the path stays relative."""
    base = str(current_app.config.get("EXTERNAL_URL") or "").rstrip("/")
    return base + path
