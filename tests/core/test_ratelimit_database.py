"""Rate-limit counters kept in the app's own database (the default storage)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import update

from casework.core.ratelimit import DatabaseStorage, RateLimitCounter
from casework.extensions import db


def test_the_default_storage_is_the_database(app: Flask) -> None:
    assert app.config["RATELIMIT_STORAGE_URI"] == "database://"


def test_counts_add_up_within_a_window(app: Flask) -> None:
    storage = DatabaseStorage()
    storage.incr("login/127.0.0.1", 60)
    assert storage.incr("login/127.0.0.1", 60) == 2


def test_keys_count_apart(app: Flask) -> None:
    storage = DatabaseStorage()
    storage.incr("login/10.0.0.1", 60)
    assert storage.incr("login/10.0.0.2", 60) == 1


def test_an_expired_window_starts_again(app: Flask) -> None:
    storage = DatabaseStorage()
    storage.incr("login/127.0.0.1", 60)
    storage.incr("login/127.0.0.1", 60)
    with db.engine.begin() as connection:
        connection.execute(update(RateLimitCounter).values(expires_at=0))
    assert storage.get("login/127.0.0.1") == 0
    assert storage.incr("login/127.0.0.1", 60) == 1


def test_clear_forgets_a_key(app: Flask) -> None:
    storage = DatabaseStorage()
    storage.incr("login/127.0.0.1", 60)
    storage.clear("login/127.0.0.1")
    assert storage.get("login/127.0.0.1") == 0


def test_the_storage_reports_itself_healthy(app: Flask) -> None:
    assert DatabaseStorage().check()
