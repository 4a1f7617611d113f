"""Staff log a hotline call, letter or walk-in at /requests/new."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from casework.extensions import db
from casework.helpdesk.models import Channel, EventKind, HelpRequest
from casework.helpdesk.services import format_tracking_code
from tests.conftest import Login
from tests.factories import StationHeadFactory, TutorFactory, WorkerFactory


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "channel": "hotline",
        "category": "livelihood",
        "description": "来电人称家中老人卧床，想申请居家照护",
        "name": "",
        "phone": "13804316666",
        "contact_preference": "phone",
        "consent": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _count() -> int:
    return int(db.session.scalar(select(func.count(HelpRequest.id))) or 0)


def test_worker_logs_a_hotline_call_into_their_unit(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    login(worker)
    response = client.post("/requests/new", data=_form(), follow_redirects=True)
    help_request = db.session.scalars(select(HelpRequest)).one()
    assert (help_request.channel, help_request.unit_id) == (Channel.HOTLINE, worker.unit_id)
    assert help_request.logged_by_id == worker.id
    assert help_request.name is None
    assert help_request.consent_at is not None
    assert [event.kind for event in help_request.events] == [EventKind.LOGGED]
    assert format_tracking_code(help_request.tracking_code) in response.get_data(as_text=True)


def test_logging_needs_the_recorded_consent(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    response = client.post("/requests/new", data=_form(consent=None))
    assert response.status_code == 422
    assert "来电人称家中老人卧床" in response.get_data(as_text=True)
    assert _count() == 0


def test_staff_cannot_log_a_web_request(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    page = client.get("/requests/new").get_data(as_text=True)
    assert 'value="web"' not in page
    assert client.post("/requests/new", data=_form(channel="web")).status_code == 422
    assert _count() == 0


def test_phone_contact_needs_a_phone_number(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    response = client.post("/requests/new", data=_form(phone=""))
    assert response.status_code == 422
    assert _count() == 0


def test_head_logs_a_walk_in(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    login(head)
    client.post("/requests/new", data=_form(channel="walk_in", contact_preference="visit"))
    assert db.session.scalars(select(HelpRequest)).one().channel is Channel.WALK_IN


@pytest.mark.parametrize("method", ["get", "post"])
def test_tutor_cannot_log_a_request(client: FlaskClient, login: Login, method: str) -> None:
    station = WorkerFactory().unit
    login(TutorFactory(supervised_units=[station]))
    response = getattr(client, method)("/requests/new", data=_form())
    assert response.status_code == 403
