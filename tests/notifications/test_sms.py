"""Text messages to residents who chose SMS contact, through an HTTP gateway (a real local
stub server)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask.testing import FlaskClient

from casework.extensions import db
from casework.helpdesk import services
from casework.helpdesk.models import ContactPreference
from casework.notifications.sms import HttpSmsProvider
from tests.conftest import Login
from tests.factories import HelpRequestFactory, WorkerFactory
from tests.servers import free_port


@dataclass
class Gateway:
    url: str
    received: list[tuple[dict[str, str], dict[str, Any]]] = field(default_factory=list)
    status: int = 200


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    state = Gateway(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            state.received.append((dict(self.headers), json.loads(self.rfile.read(length))))
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            return None

    port = free_port()
    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    state.url = f"http://127.0.0.1:{port}/sms"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def _provider(gateway: Gateway) -> HttpSmsProvider:
    return HttpSmsProvider(gateway.url, "gateway-key", "湖西社工站")


def _answer(client: FlaskClient, login: Login, contact: ContactPreference) -> Any:
    request = HelpRequestFactory(contact_preference=contact, phone="13804310000")
    login(WorkerFactory(unit=request.unit))
    client.post(
        f"/requests/{request.id}/reply",
        data={"reply-body": "已为您预约下周二上午的上门服务，请保持电话畅通。"},
    )
    return request


def test_an_answer_is_texted_to_a_resident_who_chose_sms(
    client: FlaskClient, login: Login, gateway: Gateway
) -> None:
    _answer(client, login, ContactPreference.SMS)
    services.send_sms(_provider(gateway))
    ((headers, body),) = gateway.received
    assert (body["phone"], headers["Authorization"]) == ("13804310000", "Bearer gateway-key")
    assert "已为您预约下周二上午的上门服务" in body["text"]


def test_the_text_carries_the_tracking_code(
    client: FlaskClient, login: Login, gateway: Gateway
) -> None:
    request = _answer(client, login, ContactPreference.SMS)
    services.send_sms(_provider(gateway))
    ((_headers, body),) = gateway.received
    assert services.format_tracking_code(request.tracking_code) in body["text"]


def test_a_resident_who_chose_a_call_is_not_texted(
    client: FlaskClient, login: Login, gateway: Gateway
) -> None:
    _answer(client, login, ContactPreference.PHONE)
    services.send_sms(_provider(gateway))
    assert gateway.received == []


def test_a_text_is_sent_once(client: FlaskClient, login: Login, gateway: Gateway) -> None:
    _answer(client, login, ContactPreference.SMS)
    services.send_sms(_provider(gateway))
    services.send_sms(_provider(gateway))
    assert len(gateway.received) == 1


def test_a_refused_text_is_tried_again_then_given_up(
    client: FlaskClient, login: Login, gateway: Gateway
) -> None:
    gateway.status = 500
    request = _answer(client, login, ContactPreference.SMS)
    for _attempt in range(services.SMS_ATTEMPTS):
        services.send_sms(_provider(gateway))
    db.session.refresh(request)
    assert (len(gateway.received), request.sms_status) == (services.SMS_ATTEMPTS, "failed")


def test_a_gateway_address_that_is_not_http_is_refused() -> None:
    with pytest.raises(ValueError, match="http or https"):
        HttpSmsProvider("file:///etc/passwd", "key", "湖西社工站")
