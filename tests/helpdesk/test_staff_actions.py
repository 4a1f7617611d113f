"""Triage actions on a request's page: status, history event, audit entry, kept input."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.accounts.models import User
from casework.core.audit import AuditEntry
from casework.extensions import db
from casework.helpdesk import services
from casework.helpdesk.models import EventKind, HelpRequest, RequestStatus
from tests.conftest import Login
from tests.factories import HelpRequestFactory, StationFactory, WorkerFactory


def _reload(help_request: HelpRequest) -> HelpRequest:
    db.session.expire_all()
    reloaded = db.session.get(HelpRequest, help_request.id)
    assert reloaded is not None
    return reloaded


def _audit_actions(help_request: HelpRequest) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "help_requests")
            .where(AuditEntry.object_id == help_request.id)
        )
    )


def _data(action: str, colleague: User) -> dict[str, Any]:
    return {
        "acknowledge": {},
        "start": {},
        "assign": {"assign-worker_id": str(colleague.id)},
        "reply": {"reply-body": "您好，社工将于明天上午上门了解情况。"},
        "refer-out": {"agency-agency": "朝阳区妇联", "agency-note": ""},
        "decline": {"decline-reason": "该事项由物业负责，请联系物业服务中心。"},
    }[action]


@pytest.mark.parametrize(
    ("action", "status", "kind", "audit_action"),
    [
        ("acknowledge", RequestStatus.ACKNOWLEDGED, EventKind.ACKNOWLEDGED, "acknowledge"),
        ("start", RequestStatus.IN_PROGRESS, EventKind.STARTED, "start"),
        ("assign", RequestStatus.ACKNOWLEDGED, EventKind.ASSIGNED, "assign"),
        ("reply", RequestStatus.ANSWERED, EventKind.REPLY, "reply"),
        ("refer-out", RequestStatus.REFERRED, EventKind.REFERRED, "refer_out"),
        ("decline", RequestStatus.DECLINED, EventKind.DECLINED, "decline"),
    ],
)
def test_each_action_changes_status_and_leaves_history_and_audit(
    client: FlaskClient,
    login: Login,
    action: str,
    status: RequestStatus,
    kind: EventKind,
    audit_action: str,
) -> None:
    worker = WorkerFactory()
    colleague = WorkerFactory(unit=worker.unit)
    help_request = HelpRequestFactory(unit=worker.unit)
    login(worker)
    response = client.post(f"/requests/{help_request.id}/{action}", data=_data(action, colleague))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/requests/{help_request.id}"
    reloaded = _reload(help_request)
    assert reloaded.status is status
    assert reloaded.events[-1].kind is kind
    assert reloaded.events[-1].actor_id == worker.id
    assert f"help_request.{audit_action}" in _audit_actions(help_request)


def test_assign_records_the_worker(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    colleague = WorkerFactory(unit=worker.unit)
    help_request = HelpRequestFactory(unit=worker.unit)
    login(worker)
    client.post(f"/requests/{help_request.id}/assign", data={"assign-worker_id": colleague.id})
    assert _reload(help_request).assigned_to_id == colleague.id


def test_assign_offers_only_the_units_workers(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    stranger = WorkerFactory(unit=StationFactory())
    help_request = HelpRequestFactory(unit=worker.unit)
    login(worker)
    response = client.post(
        f"/requests/{help_request.id}/assign", data={"assign-worker_id": stranger.id}
    )
    assert response.status_code == 422
    assert _reload(help_request).assigned_to_id is None


def test_internal_note_is_not_public(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    help_request = HelpRequestFactory(unit=worker.unit)
    login(worker)
    client.post(f"/requests/{help_request.id}/note", data={"note-body": "居民情绪不稳定，注意跟进"})
    reloaded = _reload(help_request)
    note = reloaded.events[-1]
    assert (note.kind, note.is_public, note.body) == (
        EventKind.NOTE,
        False,
        "居民情绪不稳定，注意跟进",
    )
    assert reloaded.status is RequestStatus.NEW
    assert "help_request.note" in _audit_actions(help_request)


def test_history_marks_internal_and_public_entries(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    help_request = HelpRequestFactory(unit=worker.unit)
    services.add_note(actor=worker, request=help_request, body="只给同事看的备注")
    services.reply(actor=worker, request=help_request, body="给居民的答复")
    db.session.commit()
    login(worker)
    html = client.get(f"/requests/{help_request.id}").get_data(as_text=True)
    note_at, reply_at = html.index("只给同事看的备注"), html.index("给居民的答复")
    assert "仅工作人员可见" in html[html.rindex('id="event-', 0, note_at) : note_at]
    assert "居民可见" in html[html.rindex('id="event-', 0, reply_at) : reply_at]


def test_reply_is_public(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    help_request = HelpRequestFactory(unit=worker.unit)
    login(worker)
    client.post(f"/requests/{help_request.id}/reply", data={"reply-body": "请明天到站面谈"})
    assert _reload(help_request).events[-1].is_public is True


def test_refer_to_unit_moves_the_request_with_its_history(
    client: FlaskClient, login: Login
) -> None:
    sender = WorkerFactory()
    receiver = WorkerFactory(unit=StationFactory())
    help_request = HelpRequestFactory(unit=sender.unit, description="住在隔壁社区的居民")
    services.add_note(actor=sender, request=help_request, body="已电话核实住址")
    db.session.commit()
    login(sender)
    response = client.post(
        f"/requests/{help_request.id}/refer",
        data={"refer-unit_id": receiver.unit_id, "refer-note": "已转至您所在社区的社工站"},
    )
    assert response.headers["Location"] == "/requests/"
    assert client.get(f"/requests/{help_request.id}").status_code == 404
    assert "住在隔壁社区的居民" not in client.get("/requests/").get_data(as_text=True)

    client.post("/logout")
    login(receiver)
    assert "住在隔壁社区的居民" in client.get("/requests/").get_data(as_text=True)
    html = client.get(f"/requests/{help_request.id}").get_data(as_text=True)
    assert "已电话核实住址" in html
    assert f"{sender.unit.name} → {receiver.unit.name}" in html
    reloaded = _reload(help_request)
    assert (reloaded.unit_id, reloaded.status) == (receiver.unit_id, RequestStatus.NEW)
    assert [event.kind for event in reloaded.events] == [
        EventKind.SUBMITTED,
        EventKind.NOTE,
        EventKind.REFERRED,
    ]


def test_refer_offers_no_unit_but_other_stations(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    help_request = HelpRequestFactory(unit=worker.unit)
    login(worker)
    response = client.post(
        f"/requests/{help_request.id}/refer", data={"refer-unit_id": worker.unit_id}
    )
    assert response.status_code == 422
    assert _reload(help_request).unit_id == worker.unit_id


def test_decline_needs_a_reason(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    help_request = HelpRequestFactory(unit=worker.unit)
    login(worker)
    response = client.post(f"/requests/{help_request.id}/decline", data={"decline-reason": " "})
    assert response.status_code == 422
    reloaded = _reload(help_request)
    assert reloaded.status is RequestStatus.NEW
    assert [event.kind for event in reloaded.events] == [EventKind.SUBMITTED]


def test_refer_out_without_agency_keeps_the_note(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    help_request = HelpRequestFactory(unit=worker.unit)
    login(worker)
    response = client.post(
        f"/requests/{help_request.id}/refer-out",
        data={"agency-agency": "", "agency-note": "请携带身份证前往"},
    )
    assert response.status_code == 422
    assert "请携带身份证前往" in response.get_data(as_text=True)
    assert _reload(help_request).status is RequestStatus.NEW


def test_a_refused_action_shows_why(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    help_request = HelpRequestFactory(unit=worker.unit)
    services.decline(actor=worker, request=help_request, reason="不属于服务范围")
    db.session.commit()
    login(worker)
    response = client.post(f"/requests/{help_request.id}/acknowledge")
    assert response.status_code == 422
    assert "只有新提交的求助可以受理" in response.get_data(as_text=True)
    assert _reload(help_request).status is RequestStatus.DECLINED
