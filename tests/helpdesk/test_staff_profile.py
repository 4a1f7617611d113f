"""The station head keeps the notice board and response limits at /requests/profile."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.extensions import db
from casework.helpdesk.models import StationProfile
from tests.conftest import Login
from tests.factories import StationHeadFactory, TutorFactory, WorkerFactory


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "opening_hours": "周一至周五 8:30–17:00",
        "hotline": "0431-85671234",
        "address": "朝阳区湖西路 1280 号",
        "services": "居家养老咨询\n心理疏导",
        "acknowledge_within_days": "2",
        "answer_within_days": "7",
    }
    data.update(overrides)
    return data


def test_head_saves_the_notice_board_and_limits(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    login(head)
    response = client.post("/requests/profile", data=_form())
    assert response.headers["Location"] == "/requests/profile"
    profile = db.session.get(StationProfile, head.unit_id)
    assert profile is not None
    assert (profile.hotline, profile.acknowledge_within_days, profile.answer_within_days) == (
        "0431-85671234",
        2,
        7,
    )
    assert profile.updated_by_id == head.id


def test_profile_form_shows_the_saved_values(client: FlaskClient, login: Login) -> None:
    login(StationHeadFactory())
    client.post("/requests/profile", data=_form())
    assert 'value="0431-85671234"' in client.get("/requests/profile").get_data(as_text=True)


@pytest.mark.parametrize("days", ["0", "31", ""])
def test_limits_must_be_between_1_and_30(client: FlaskClient, login: Login, days: str) -> None:
    login(StationHeadFactory())
    response = client.post("/requests/profile", data=_form(answer_within_days=days))
    assert response.status_code == 422
    assert db.session.scalars(select(StationProfile)).first() is None


def test_acknowledging_cannot_take_longer_than_answering(client: FlaskClient, login: Login) -> None:
    login(StationHeadFactory())
    response = client.post(
        "/requests/profile", data=_form(acknowledge_within_days="8", answer_within_days="5")
    )
    assert response.status_code == 422
    assert "受理时限不能长于答复时限" in response.get_data(as_text=True)
    assert db.session.scalars(select(StationProfile)).first() is None


@pytest.mark.parametrize("make_user", [WorkerFactory, TutorFactory])
def test_others_get_403(client: FlaskClient, login: Login, make_user: type) -> None:
    login(make_user())
    assert client.get("/requests/profile").status_code == 403
    assert client.post("/requests/profile", data=_form()).status_code == 403


def _poster_text(client: FlaskClient) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    response = client.get("/requests/profile/poster.pdf")
    assert response.mimetype == "application/pdf"
    return "".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)


def test_the_poster_carries_the_board_and_the_stations_help_address(
    client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    login(head)
    client.post("/requests/profile", data=_form())
    text = _poster_text(client)
    assert head.unit.name in text
    assert "0431-85671234" in text
    assert f"http://localhost/help?station={head.unit_id}" in text


def test_the_poster_points_at_the_configured_public_address(
    client: FlaskClient, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = StationHeadFactory()
    monkeypatch.setitem(client.application.config, "EXTERNAL_URL", "https://sg.example.gov.cn")
    login(head)
    assert f"https://sg.example.gov.cn/help?station={head.unit_id}" in _poster_text(client)


@pytest.mark.parametrize("factory", [WorkerFactory, TutorFactory])
def test_only_the_head_prints_the_poster(client: FlaskClient, login: Login, factory: Any) -> None:
    login(factory())
    assert client.get("/requests/profile/poster.pdf").status_code == 403
