"""Who may read a request's page and who may act on it: 404 outside the scope, 403 to read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from casework.helpdesk.models import HelpRequest
from tests.audit_helpers import shown_to
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    HelpRequestFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)

# Every state-changing request on a help request, with data that would be valid.
ACTIONS: list[tuple[str, str, dict[str, Any]]] = [
    ("post", "acknowledge", {}),
    ("post", "start", {}),
    ("post", "assign", {"assign-worker_id": "1"}),
    ("post", "reply", {"reply-body": "您好，已收到"}),
    ("post", "note", {"note-body": "内部备注"}),
    ("post", "refer", {"refer-unit_id": "1", "refer-note": ""}),
    ("post", "refer-out", {"agency-agency": "区妇联", "agency-note": ""}),
    ("post", "decline", {"decline-reason": "不属于服务范围"}),
    ("get", "convert", {}),
    ("post", "convert", {}),
]

OUTSIDERS: dict[str, Callable[[HelpRequest], Any]] = {
    "worker_other_station": lambda r: WorkerFactory(unit=StationFactory()),
    "head_other_station": lambda r: StationHeadFactory(unit=StationFactory()),
    "tutor_other_station": lambda r: TutorFactory(supervised_units=[StationFactory()]),
    "bureau_viewer": lambda r: BureauViewerFactory(),
    "sysadmin": lambda r: AdminFactory(),
}


def _call(client: FlaskClient, method: str, path: str, data: dict[str, Any]) -> int:
    if method == "get":
        return int(client.get(path).status_code)
    return int(client.post(path, data=data).status_code)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_on_the_request_page(client: FlaskClient, login: Login, who: str) -> None:
    help_request = HelpRequestFactory()
    login(OUTSIDERS[who](help_request))
    assert client.get(f"/requests/{help_request.id}").status_code == 404


@pytest.mark.parametrize(("method", "action", "data"), ACTIONS)
def test_worker_of_another_station_gets_404_on_every_action(
    client: FlaskClient, login: Login, method: str, action: str, data: dict[str, Any]
) -> None:
    help_request = HelpRequestFactory()
    login(WorkerFactory(unit=StationFactory()))
    assert _call(client, method, f"/requests/{help_request.id}/{action}", data) == 404


@pytest.mark.parametrize(("method", "action", "data"), ACTIONS)
def test_tutor_of_the_station_gets_403_on_every_action(
    client: FlaskClient, login: Login, method: str, action: str, data: dict[str, Any]
) -> None:
    help_request = HelpRequestFactory()
    login(TutorFactory(supervised_units=[help_request.unit]))
    assert _call(client, method, f"/requests/{help_request.id}/{action}", data) == 403


def test_tutor_reads_the_request_with_a_masked_phone_and_no_actions(
    client: FlaskClient, login: Login
) -> None:
    help_request = HelpRequestFactory(phone="13804317777")
    login(TutorFactory(supervised_units=[help_request.unit]))
    response = client.get(f"/requests/{help_request.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert help_request.description in html
    assert "138****7777" in html
    assert "13804317777" not in html
    assert 'id="actions"' not in html


def test_front_line_staff_see_the_full_phone_and_the_actions(
    client: FlaskClient, login: Login
) -> None:
    help_request = HelpRequestFactory(phone="13804317777")
    login(WorkerFactory(unit=help_request.unit))
    html = client.get(f"/requests/{help_request.id}").get_data(as_text=True)
    assert "13804317777" in html
    assert 'id="actions"' in html


def test_viewing_a_request_is_audited(client: FlaskClient, login: Login) -> None:
    help_request = HelpRequestFactory()
    tutor = TutorFactory(supervised_units=[help_request.unit])
    login(tutor)
    client.get(f"/requests/{help_request.id}")
    assert ("help_requests", help_request.id, help_request.unit_id) in shown_to(tutor.id)


def test_menu_shows_requests_to_users_with_a_casework_scope(
    client: FlaskClient, login: Login
) -> None:
    login(WorkerFactory())
    assert 'href="/requests/"' in client.get("/").get_data(as_text=True)


def test_menu_hides_requests_from_bureau_viewers(client: FlaskClient, login: Login) -> None:
    login(BureauViewerFactory())
    assert 'href="/requests/"' not in client.get("/").get_data(as_text=True)
