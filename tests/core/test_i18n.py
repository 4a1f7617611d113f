"""Chinese first, English on request, remembered per user."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import Login
from tests.factories import PASSWORD, WorkerFactory


def test_pages_are_chinese_by_default(client: FlaskClient) -> None:
    body = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in body
    assert "用户名" in body


def test_visitor_can_switch_to_english(client: FlaskClient) -> None:
    client.post("/locale", data={"locale": "en", "next": "/login"})
    body = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in body
    assert "Username" in body


def test_unknown_locale_is_ignored(client: FlaskClient) -> None:
    client.post("/locale", data={"locale": "fr", "next": "/login"})
    assert '<html lang="zh-CN">' in client.get("/login").get_data(as_text=True)


def test_locale_switch_does_not_redirect_off_site(client: FlaskClient) -> None:
    response = client.post("/locale", data={"locale": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_users_choice_is_remembered_across_logins(app, client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    login(worker)
    client.post("/locale", data={"locale": "en", "next": "/"})
    fresh = app.test_client()
    fresh.post("/login", data={"username": worker.username, "password": PASSWORD})
    assert '<html lang="en">' in fresh.get("/").get_data(as_text=True)


def test_dates_use_the_glossary_formats(app) -> None:
    from datetime import UTC, date, datetime

    from casework.core.i18n import long_date, short_date, short_datetime

    with app.test_request_context():
        assert long_date(date(2026, 11, 29)) == "2026年11月29日"
        assert short_date(date(2026, 11, 29)) == "2026-11-29"
        # 20:30 UTC is 04:30 the next morning in Asia/Shanghai.
        assert short_datetime(datetime(2026, 11, 29, 20, 30, tzinfo=UTC)) == "2026-11-30 04:30"


def test_english_pages_use_english_punctuation(app, client: FlaskClient, login: Login) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import CaseFactory

    case = CaseFactory()
    login(case.worker)
    client.post("/locale", data={"locale": "en", "next": "/"})
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Risk: Low" in page
    assert "Risk：" not in page


def test_english_counts_take_the_plural(app, client: FlaskClient, login: Login) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import CaseFactory, ServiceUserFactory

    first = CaseFactory()
    login(first.worker)
    client.post("/locale", data={"locale": "en", "next": "/"})
    assert "1 case<" in client.get("/cases/").get_data(as_text=True)
    CaseFactory(worker=first.worker, service_user=ServiceUserFactory(unit=first.unit))
    assert "2 cases<" in client.get("/cases/").get_data(as_text=True)
