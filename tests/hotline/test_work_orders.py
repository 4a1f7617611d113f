"""12345 work orders: a simulated hotline system posts an order, the station answers, and
the system's callback server (a real local HTTP server) receives signed reports."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from casework.core.models import utcnow
from casework.extensions import db
from casework.helpdesk.models import Channel, HelpRequest
from casework.hotline import services
from casework.hotline.models import CallbackAttempt, CallbackStatus, WorkOrderCallback
from tests.api.conftest import bearer
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)
from tests.servers import free_port


@dataclass
class CallbackServer:
    url: str
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    status: int = 200


@pytest.fixture
def callback_server() -> Iterator[CallbackServer]:
    """The hotline's receiving end: records every POST, answers ``status``."""
    server_state = CallbackServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            server_state.received.append((dict(self.headers), self.rfile.read(length)))
            self.send_response(server_state.status)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            return None

    port = free_port()
    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server_state.url = f"http://127.0.0.1:{port}/12345/callback"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server_state
    httpd.shutdown()
    httpd.server_close()


@dataclass
class Hotline:
    connection: services.Connection
    station: Any


@pytest.fixture
def hotline(app: Any, callback_server: CallbackServer) -> Hotline:
    """The city's 12345 system, connected for the stations under the station's bureau."""
    station = StationFactory()
    connection = services.connect_system(
        name="长春市 12345", unit=station.parent.parent, callback_url=callback_server.url
    )
    db.session.commit()
    return Hotline(connection, station)


def _order(hotline: Hotline, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "order_number": "GD20261207-0001",
        "community": hotline.station.code,
        "category": "livelihood",
        "content": "来电人反映：独居老人家中暖气不热，希望社区上门看看",
        "caller_name": "王女士",
        "caller_phone": "13904310001",
        "deadline": "2026-12-10T17:00:00+08:00",
    }
    data.update(overrides)
    return data


def _post(client: FlaskClient, hotline: Hotline, **overrides: Any) -> Any:
    return client.post(
        "/api/v1/work-orders",
        json=_order(hotline, **overrides),
        headers=bearer(hotline.connection.token),
    )


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive UTC datetimes, PostgreSQL aware ones."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _requests() -> list[HelpRequest]:
    return list(db.session.scalars(select(HelpRequest)))


def test_a_work_order_enters_the_stations_queue(
    client: FlaskClient, login: Login, hotline: Hotline
) -> None:
    _post(client, hotline)
    login(WorkerFactory(unit=hotline.station))
    page = client.get("/requests/").get_data(as_text=True)
    assert "独居老人家中暖气不热" in page


def test_a_work_order_is_a_request_on_the_12345_channel(
    client: FlaskClient, hotline: Hotline
) -> None:
    response = _post(client, hotline)
    (request,) = _requests()
    assert (response.status_code, request.channel, request.unit_id) == (
        201,
        Channel.HOTLINE_12345,
        hotline.station.id,
    )


def test_the_same_order_number_again_creates_nothing_new(
    client: FlaskClient, hotline: Hotline
) -> None:
    first = _post(client, hotline)
    again = _post(client, hotline)
    assert (again.status_code, again.json["id"], len(_requests())) == (200, first.json["id"], 1)


def test_a_community_outside_the_systems_area_is_refused(
    client: FlaskClient, hotline: Hotline
) -> None:
    response = _post(client, hotline, community=StationFactory().code)
    assert (response.status_code, list(response.json["error"]["fields"])) == (422, ["community"])
    assert _requests() == []


def test_a_work_order_needs_content(client: FlaskClient, hotline: Hotline) -> None:
    response = _post(client, hotline, content="")
    assert (response.status_code, "content" in response.json["error"]["fields"]) == (422, True)


def test_without_the_systems_token_an_order_is_unauthorised(
    client: FlaskClient, hotline: Hotline
) -> None:
    response = client.post("/api/v1/work-orders", json=_order(hotline))
    assert response.status_code == 401


def test_a_personal_token_is_not_a_systems_token(
    client: FlaskClient, hotline: Hotline, make_token: Any
) -> None:
    secret = make_token(WorkerFactory(unit=hotline.station))
    response = client.post("/api/v1/work-orders", json=_order(hotline), headers=bearer(secret))
    assert response.status_code == 401


def test_acceptance_is_reported_with_a_valid_signature(
    client: FlaskClient, hotline: Hotline, callback_server: CallbackServer
) -> None:
    _post(client, hotline)
    services.deliver_due()
    ((headers, body),) = callback_server.received
    expected = services.signature(
        hotline.connection.callback_secret, headers[services.TIMESTAMP_HEADER], body
    )
    assert hmac.compare_digest(headers[services.SIGNATURE_HEADER], expected)
    assert json.loads(body)["event"] == "accepted"


def test_the_stations_answer_reaches_the_callback(
    client: FlaskClient, login: Login, hotline: Hotline, callback_server: CallbackServer
) -> None:
    _post(client, hotline)
    (request,) = _requests()
    login(WorkerFactory(unit=hotline.station))
    client.post(
        f"/requests/{request.id}/reply",
        data={"reply-body": "已联系物业，明天上午上门检修暖气。"},
    )
    services.deliver_due()
    reports = [json.loads(body) for _headers, body in callback_server.received]
    assert [report["event"] for report in reports] == ["accepted", "answered"]
    assert reports[1]["message"] == "已联系物业，明天上午上门检修暖气。"


def test_a_failed_report_is_retried_later(
    client: FlaskClient, hotline: Hotline, callback_server: CallbackServer
) -> None:
    callback_server.status = 503
    _post(client, hotline)
    now = utcnow()
    services.deliver_due(now)
    callback = db.session.scalars(select(WorkOrderCallback)).one()
    assert (callback.status, callback.attempts) == (CallbackStatus.PENDING, 1)
    assert _utc(callback.next_attempt_at) == now + timedelta(minutes=1)


def test_every_attempt_is_logged(
    client: FlaskClient, hotline: Hotline, callback_server: CallbackServer
) -> None:
    callback_server.status = 500
    _post(client, hotline)
    now = utcnow()
    for pause in (0, 2, 10):
        services.deliver_due(now + timedelta(minutes=pause))
    codes = db.session.scalars(select(CallbackAttempt.status_code)).all()
    assert codes == [500, 500, 500]


def test_a_report_is_given_up_after_the_last_retry(
    client: FlaskClient, hotline: Hotline, callback_server: CallbackServer
) -> None:
    callback_server.status = 500
    _post(client, hotline)
    moment = utcnow()
    for _attempt in range(len(services.BACKOFF) + 1):
        services.deliver_due(moment)
        moment += timedelta(days=1)
    callback = db.session.scalars(select(WorkOrderCallback)).one()
    assert (callback.status, callback.attempts) == (
        CallbackStatus.FAILED,
        len(services.BACKOFF) + 1,
    )


def test_an_unreachable_callback_is_logged_as_an_error(
    client: FlaskClient, hotline: Hotline
) -> None:
    hotline.connection.system.callback_url = f"http://127.0.0.1:{free_port()}/gone"
    db.session.commit()
    _post(client, hotline)
    services.deliver_due()
    attempt = db.session.scalars(select(CallbackAttempt)).one()
    assert (attempt.status_code, bool(attempt.error)) == (None, True)


def test_the_system_reads_where_its_order_stands(client: FlaskClient, hotline: Hotline) -> None:
    _post(client, hotline)
    response = client.get(
        "/api/v1/work-orders/GD20261207-0001", headers=bearer(hotline.connection.token)
    )
    assert (response.status_code, response.json["status"]) == (200, "new")


def test_a_system_does_not_see_another_systems_order(client: FlaskClient, hotline: Hotline) -> None:
    _post(client, hotline)
    other = services.connect_system(name="其他系统", unit=hotline.station, callback_url=None)
    db.session.commit()
    response = client.get("/api/v1/work-orders/GD20261207-0001", headers=bearer(other.token))
    assert response.status_code == 404


def test_the_service_token_is_stored_as_a_hash(hotline: Hotline) -> None:
    stored = db.session.scalar(
        select(func.count()).where(
            services.ConnectedSystem.token_hash
            == hashlib.sha256(hotline.connection.token.encode()).hexdigest()
        )
    )
    assert stored == 1


def test_the_request_page_names_the_work_order_and_its_deadline(
    client: FlaskClient, login: Login, hotline: Hotline
) -> None:
    _post(client, hotline)
    (request,) = _requests()
    login(WorkerFactory(unit=hotline.station))
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "GD20261207-0001" in page


def test_the_administrator_sees_each_report_and_its_last_attempt(
    client: FlaskClient, login: Login, hotline: Hotline, callback_server: CallbackServer
) -> None:
    callback_server.status = 502
    _post(client, hotline)
    services.deliver_due()
    login(AdminFactory())
    page = client.get("/admin/connected-systems/").get_data(as_text=True)
    assert "GD20261207-0001" in page
    assert "502" in page


@pytest.mark.parametrize(
    "factory", [WorkerFactory, StationHeadFactory, TutorFactory, BureauViewerFactory]
)
def test_only_the_administrator_sees_the_connected_systems(
    client: FlaskClient, login: Login, factory: Any
) -> None:
    login(factory())
    assert client.get("/admin/connected-systems/").status_code == 403


def test_a_callback_address_that_is_not_http_is_never_opened(
    client: FlaskClient, hotline: Hotline
) -> None:
    hotline.connection.system.callback_url = "file:///etc/passwd"
    db.session.commit()
    _post(client, hotline)
    services.deliver_due()
    attempt = db.session.scalars(select(CallbackAttempt)).one()
    assert (attempt.status_code, "http or https" in (attempt.error or "")) == (None, True)


def test_the_deadline_keeps_its_moment_whatever_its_offset(
    client: FlaskClient, hotline: Hotline
) -> None:
    response = _post(client, hotline, deadline="2026-12-10T17:00:00+08:00")
    assert response.json["deadline"] == "2026-12-10T09:00:00+00:00"
