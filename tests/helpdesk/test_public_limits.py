"""Rate limits on the public help pages: per address, from the settings, a Chinese 429."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from tests.factories import StationFactory


def _submission(station_id: int) -> dict[str, str]:
    return {
        "station": str(station_id),
        "category": "other",
        "description": "楼道里的灯坏了很久，老人晚上出门不方便",
        "contact_preference": "online_only",
        "consent": "y",
    }


def test_submissions_beyond_the_limit_get_429(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_ENABLED=True, HELP_SUBMIT_RATE_LIMIT="2 per minute")
    with app.app_context():
        data = _submission(StationFactory().id)
    client = app.test_client()
    statuses = [client.post("/help", data=data).status_code for _attempt in range(3)]
    assert statuses == [303, 303, 429]


def test_submission_limit_page_is_chinese_without_traceback(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(RATELIMIT_ENABLED=True, HELP_SUBMIT_RATE_LIMIT="1 per minute")
    with app.app_context():
        data = _submission(StationFactory().id)
    client = app.test_client()
    client.post("/help", data=data)
    response = client.post("/help", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "操作过于频繁" in body
    assert "Traceback" not in body


def test_reading_the_form_does_not_count_towards_the_limit(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(RATELIMIT_ENABLED=True, HELP_SUBMIT_RATE_LIMIT="1 per minute")
    client = app.test_client()
    statuses = {client.get("/help").status_code for _attempt in range(5)}
    assert statuses == {200}


def test_status_lookups_beyond_the_limit_get_429(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_ENABLED=True, HELP_STATUS_RATE_LIMIT="2 per minute")
    client = app.test_client()
    statuses = [
        client.post("/help/status", data={"code": "ABCD-EFGH-JKMN"}).status_code
        for _attempt in range(3)
    ]
    assert statuses == [404, 404, 429]


def test_limit_is_counted_per_address(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_ENABLED=True, HELP_STATUS_RATE_LIMIT="1 per minute")
    client = app.test_client()
    first = client.post(
        "/help/status", data={"code": "x"}, environ_base={"REMOTE_ADDR": "10.0.0.1"}
    )
    other = client.post(
        "/help/status", data={"code": "x"}, environ_base={"REMOTE_ADDR": "10.0.0.2"}
    )
    assert (first.status_code, other.status_code) == (404, 404)
