"""Helpers that turn permission questions into HTTP answers."""

from __future__ import annotations

from flask import abort


def require(allowed: bool) -> None:
    """Stop the request with 403 unless ``allowed``."""
    if not allowed:
        abort(403)
