"""Notifications: the inbox, its badge, and email through a real local SMTP server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.cases import notices
from casework.cases.enums import CaseStatus
from casework.core.clock import local_today
from casework.extensions import db
from casework.notifications import services
from casework.notifications.models import Notification
from tests.conftest import Login
from tests.factories import (
    CaseFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    advance_case,
)
from tests.servers import free_port


class Sink:
    """The SMTP server's mailbox."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(app: Any) -> Iterator[Sink]:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="casework@example.org")
    yield sink
    controller.stop()


def _pending_plan() -> tuple[Any, Any]:
    case = CaseFactory()
    tutor = TutorFactory(supervised_units=[case.unit])
    advance_case(case, CaseStatus.PLAN_PENDING_APPROVAL, tutor=tutor)
    return case, tutor


def _return_plan(client: FlaskClient, login: Login, case: Any, tutor: Any) -> None:
    login(tutor)
    client.post(f"/cases/{case.id}/steps/return_plan", data={"reason": "目标需要更具体"})
    client.post("/logout")


def _inbox(user: Any) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def _wants_email(user: Any, *kinds: str, **quiet: time) -> None:
    services.save_settings(
        user=user,
        email=f"{user.username}@example.org",
        email_kinds=list(kinds),
        quiet_from=quiet.get("quiet_from"),
        quiet_until=quiet.get("quiet_until"),
    )
    db.session.commit()


def test_a_returned_plan_reaches_the_workers_inbox(client: FlaskClient, login: Login) -> None:
    case, tutor = _pending_plan()
    _return_plan(client, login, case, tutor)
    assert [item.kind for item in _inbox(case.worker)] == ["plan_returned"]


def test_a_returned_plan_reaches_the_local_smtp_server(
    client: FlaskClient, login: Login, smtp: Sink
) -> None:
    case, tutor = _pending_plan()
    _wants_email(case.worker, "plan_returned")
    _return_plan(client, login, case, tutor)
    services.send_emails()
    (email,) = smtp.messages
    assert email["To"] == f"{case.worker.username}@example.org"
    assert case.number in email.get_payload(decode=True).decode()


def test_an_email_names_the_case_number_not_the_resident(
    client: FlaskClient, login: Login, smtp: Sink
) -> None:
    case, tutor = _pending_plan()
    _wants_email(case.worker, "plan_returned")
    _return_plan(client, login, case, tutor)
    services.send_emails()
    (email,) = smtp.messages
    assert case.service_user.name not in email.get_payload(decode=True).decode()


def test_a_kind_not_chosen_for_email_is_not_emailed(
    client: FlaskClient, login: Login, smtp: Sink
) -> None:
    case, tutor = _pending_plan()
    _wants_email(case.worker, "transfer_received")
    _return_plan(client, login, case, tutor)
    services.send_emails()
    assert smtp.messages == []


def test_no_email_in_quiet_hours(client: FlaskClient, login: Login, smtp: Sink) -> None:
    case, tutor = _pending_plan()
    _wants_email(case.worker, "plan_returned", quiet_from=time(21, 0), quiet_until=time(7, 0))
    _return_plan(client, login, case, tutor)
    services.send_emails(datetime(2026, 12, 7, 15, 0, tzinfo=UTC))  # 23:00 in Beijing
    assert smtp.messages == []


def test_the_email_goes_out_when_quiet_hours_end(
    client: FlaskClient, login: Login, smtp: Sink
) -> None:
    case, tutor = _pending_plan()
    _wants_email(case.worker, "plan_returned", quiet_from=time(21, 0), quiet_until=time(7, 0))
    _return_plan(client, login, case, tutor)
    services.send_emails(datetime(2026, 12, 7, 15, 0, tzinfo=UTC))
    services.send_emails(datetime(2026, 12, 8, 0, 30, tzinfo=UTC))  # 08:30 in Beijing
    assert len(smtp.messages) == 1


def test_a_submitted_plan_reaches_the_tutors_inbox(app: Any) -> None:
    case = CaseFactory()
    tutor = TutorFactory(supervised_units=[case.unit])
    advance_case(case, CaseStatus.PLAN_PENDING_APPROVAL, tutor=tutor)
    assert "plan_submitted" in [item.kind for item in _inbox(tutor)]


def test_a_proposed_transfer_reaches_the_receiving_head(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    station = StationFactory()
    head = StationHeadFactory(unit=station)
    login(case.worker)
    client.post(
        f"/cases/{case.id}/transfer",
        data={"to_unit_id": str(station.id), "reason": "搬家", "handover_note": "每周回访"},
    )
    assert [item.kind for item in _inbox(head)] == ["transfer_received"]


def test_the_badge_counts_unread_notifications(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    services.notify([worker, worker], "overdue", "个案 X 已逾期", "/cases/")
    db.session.commit()
    login(worker)
    page = client.get("/notifications/").get_data(as_text=True)
    assert 'text-bg-danger">1<' in page


def test_opening_a_notification_marks_it_read_and_goes_there(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    (made,) = services.notify([worker], "overdue", "个案 X 已逾期", "/cases/mine")
    db.session.commit()
    login(worker)
    response = client.post(f"/notifications/{made.id}/open")
    db.session.refresh(made)
    assert (response.headers["Location"], made.read_at is not None) == ("/cases/mine", True)


def test_another_users_notification_is_not_found(client: FlaskClient, login: Login) -> None:
    (made,) = services.notify([WorkerFactory()], "overdue", "个案 X 已逾期", "/cases/")
    db.session.commit()
    login(WorkerFactory())
    assert client.post(f"/notifications/{made.id}/open").status_code == 404


def test_settings_refuse_a_bad_address_and_keep_the_choices(
    client: FlaskClient, login: Login
) -> None:
    login(WorkerFactory())
    response = client.post(
        "/notifications/settings", data={"email": "not-an-address", "email_kinds": ["overdue"]}
    )
    box = re.search(
        r'<input[^>]*name="email_kinds"[^>]*value="overdue"[^>]*>', response.get_data(as_text=True)
    )
    assert response.status_code == 422
    assert box is not None
    assert "checked" in box.group(0)


def test_a_plan_review_due_tomorrow_is_announced_once(app: Any) -> None:
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    case.plan_review_due = local_today() + timedelta(days=1)
    db.session.commit()
    notices.notify_due(local_today())
    notices.notify_due(local_today())
    db.session.commit()
    assert [item.kind for item in _inbox(case.worker)] == ["due_tomorrow"]


def test_a_follow_up_late_since_yesterday_is_announced_as_overdue(app: Any) -> None:
    case = advance_case(CaseFactory(), CaseStatus.FOLLOW_UP)
    case.follow_up_due = local_today() - timedelta(days=1)
    db.session.commit()
    notices.notify_due(local_today())
    db.session.commit()
    assert [item.kind for item in _inbox(case.worker)] == ["overdue"]


def test_a_kind_the_user_does_not_want_is_not_delivered(client: FlaskClient, login: Login) -> None:
    case, tutor = _pending_plan()
    login(case.worker)
    wanted = [kind for kind in services.KINDS if kind != "plan_returned"]
    client.post("/notifications/settings", data={"wanted_kinds": wanted})
    client.post("/logout")
    _return_plan(client, login, case, tutor)
    assert _inbox(case.worker) == []
