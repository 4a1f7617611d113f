"""The elder-friendly mode switch: a cookie holding only "1", read on the residents' pages."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import Login
from tests.factories import WorkerFactory


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
