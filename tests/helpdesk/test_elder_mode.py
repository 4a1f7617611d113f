"""The elder-friendly mode switch: a cookie holding only "1", read on the residents' pages."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from casework.extensions import db
from casework.helpdesk.models import ContactPreference, RequestCategory
from tests.conftest import Login
from tests.factories import StationFactory, WorkerFactory


def _is_elder(html: str) -> bool:
    return '<html lang="zh-CN" class="elder-mode">' in html


def test_switching_on_sets_a_cookie_and_goes_back(client: FlaskClient) -> None:
    response = client.post("/help/elder-mode", data={"on": "1", "next": "/help/status"})
    assert (response.status_code, response.headers["Location"]) == (303, "/help/status")
    cookie = client.get_cookie("elder_mode")
    assert cookie is not None
    assert cookie.value == "1"
    assert _is_elder(client.get("/help/status").get_data(as_text=True))


def test_switching_off_removes_the_cookie(client: FlaskClient) -> None:
    client.post("/help/elder-mode", data={"on": "1", "next": "/help"})
    client.post("/help/elder-mode", data={"on": "0", "next": "/help"})
    assert client.get_cookie("elder_mode") is None
    assert not _is_elder(client.get("/help").get_data(as_text=True))


def test_the_switch_goes_back_only_into_this_site(client: FlaskClient) -> None:
    response = client.post("/help/elder-mode", data={"on": "1", "next": "//evil.example/"})
    assert response.headers["Location"] == "/help"


def test_staff_pages_keep_their_usual_size(client: FlaskClient, login: Login) -> None:
    client.set_cookie("elder_mode", "1")
    login(WorkerFactory())
    assert not _is_elder(client.get("/").get_data(as_text=True))


def test_the_one_time_code_page_offers_no_switch_that_would_reload_it(
    client: FlaskClient,
) -> None:
    station = StationFactory()
    db.session.commit()
    client.post(
        "/help",
        data={
            "station": str(station.id),
            "category": RequestCategory.LIVELIHOOD.value,
            "description": "家里老人行动不便，想申请上门探访服务",
            "contact_preference": ContactPreference.ONLINE_ONLY.value,
            "consent": "y",
            "website": "",
        },
    )
    html = client.get("/help/submitted").get_data(as_text=True)
    assert 'id="tracking-code"' in html
    assert "elder-switch" not in html
    assert "/help/elder-mode" not in html


def test_a_status_answer_offers_no_switch_that_would_lose_it(client: FlaskClient) -> None:
    html = client.post("/help/status", data={"code": "ABCD-EFGH-JKLM"}).get_data(as_text=True)
    assert "elder-switch" not in html
    assert "elder-switch" in client.get("/help/status").get_data(as_text=True)


def test_the_cookie_is_secure_when_the_session_cookie_is(app: Flask, client: FlaskClient) -> None:
    app.config["SESSION_COOKIE_SECURE"] = True
    response = client.post("/help/elder-mode", data={"on": "1", "next": "/help"})
    assert "; Secure" in response.headers["Set-Cookie"]
    response = client.post("/help/elder-mode", data={"on": "0", "next": "/help"})
    assert "; Secure" in response.headers["Set-Cookie"]
