"""Rate limits on Redis: separate app instances (gunicorn workers, hosts) share one count.

Runs against the Redis server on 127.0.0.1:6379 and is skipped when none answers. Every
key this module writes carries a prefix unique to the run, and is deleted afterwards.

The first app makes some attempts; a second app is then built from the same settings. The
second app's limiter storage is a new client with nothing in this process's memory, so the
only place the first app's attempts can be counted is the Redis server. The same sequence
with the in-memory storage shows the difference: the new instance starts from zero.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from tests.factories import StationFactory, WorkerFactory

REDIS_HOST = "127.0.0.1"
REDIS_PORT = 6379
REDIS_DB = 13  # a database of its own, away from anything a developer keeps in db 0
STORAGE_URI = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
# Flask-Limiter keeps the first key prefix it is given for the life of the process, so the
# prefix is one per test run, not one per test.
KEY_PREFIX = f"casework-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def redis_server() -> Iterator[object]:
    try:
        import redis
    except ImportError:  # pragma: no cover - redis is in requirements.txt
        pytest.skip("the redis client library is not installed")
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        client.close()
        pytest.skip(f"no Redis server answers on {REDIS_HOST}:{REDIS_PORT} ({error})")
    yield client
    for key in client.scan_iter(match=f"*{KEY_PREFIX}*"):
        client.delete(key)
    client.close()


def _redis_app(make_app: Callable[..., Flask], **limits: str) -> Flask:
    return make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=STORAGE_URI,
        RATELIMIT_KEY_PREFIX=KEY_PREFIX,
        **limits,
    )


def _failed_login(app: Flask, username: str, address: str) -> int:
    response = app.test_client().post(
        "/login",
        data={"username": username, "password": "not-the-password"},
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code


def _help_submission(app: Flask, station_id: int, address: str) -> int:
    response = app.test_client().post(
        "/help",
        data={
            "station": str(station_id),
            "category": "other",
            "description": "楼道里的灯坏了很久，老人晚上出门不方便",
            "contact_preference": "online_only",
            "consent": "y",
        },
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code


def test_failed_logins_are_counted_across_app_instances(
    redis_server: object, make_app: Callable[..., Flask]
) -> None:
    first = _redis_app(make_app, LOGIN_RATE_LIMIT="3 per minute")
    with first.app_context():
        username = WorkerFactory().username
    address = "203.0.113.10"
    before = [_failed_login(first, username, address) for _attempt in range(2)]
    second = _redis_app(make_app, LOGIN_RATE_LIMIT="3 per minute")
    after = [_failed_login(second, username, address) for _attempt in range(2)]
    assert before + after == [401, 401, 401, 429]


def test_help_submissions_are_counted_across_app_instances(
    redis_server: object, make_app: Callable[..., Flask]
) -> None:
    first = _redis_app(make_app, HELP_SUBMIT_RATE_LIMIT="2 per minute")
    with first.app_context():
        station_id = StationFactory().id
    address = "203.0.113.20"
    before = [_help_submission(first, station_id, address)]
    second = _redis_app(make_app, HELP_SUBMIT_RATE_LIMIT="2 per minute")
    after = [_help_submission(second, station_id, address) for _attempt in range(2)]
    assert before + after == [303, 303, 429]


def test_the_counts_live_on_the_redis_server(
    redis_server: object, make_app: Callable[..., Flask]
) -> None:
    app = _redis_app(make_app, LOGIN_RATE_LIMIT="3 per minute")
    _failed_login(app, "nobody", "203.0.113.30")
    keys = list(redis_server.scan_iter(match=f"*{KEY_PREFIX}*"))  # type: ignore[attr-defined]
    assert keys


def test_in_memory_counts_are_not_shared(make_app: Callable[..., Flask]) -> None:
    """What a shared storage fixes: each instance with ``memory://`` counts on its own."""
    memory = {"RATELIMIT_STORAGE_URI": "memory://"}
    first = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute", **memory)
    with first.app_context():
        username = WorkerFactory().username
    address = "203.0.113.40"
    before = [_failed_login(first, username, address) for _attempt in range(2)]
    second = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute", **memory)
    after = [_failed_login(second, username, address) for _attempt in range(2)]
    assert before + after == [401, 401, 401, 401]


def test_database_counts_are_shared(make_app: Callable[..., Flask]) -> None:
    """The default storage: two instances on one database count together."""
    first = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    with first.app_context():
        username = WorkerFactory().username
    address = "203.0.113.41"
    before = [_failed_login(first, username, address) for _attempt in range(2)]
    second = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    after = [_failed_login(second, username, address) for _attempt in range(2)]
    assert before + after == [401, 401, 401, 429]
