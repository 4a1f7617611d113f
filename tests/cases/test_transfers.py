"""Case transfers between units: proposed by the worker, accepted or rejected by the
receiving station head."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.cases.casefile import case_file_data
from casework.cases.enums import CaseStatus, TransferStatus
from casework.cases.models import Case, CaseTransfer
from casework.core.audit import AuditEntry
from casework.extensions import db
from casework.orgs.models import Unit
from casework.people import households
from casework.people.models import HouseholdPerson, ServiceUser
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    CaseFactory,
    StationFactory,
    StationHeadFactory,
    WorkerFactory,
    advance_case,
)


def _propose(client: FlaskClient, case: Case, to_unit: Unit, **overrides: str) -> Any:
    data = {
        "to_unit_id": str(to_unit.id),
        "reason": "服务对象搬到女儿家居住",
        "handover_note": "每周电话回访一次，情绪稳定，低保复审在下月",
    }
    data.update(overrides)
    return client.post(f"/cases/{case.id}/transfer", data=data)


def _transfer(case: Case, to_unit: Unit, login: Login, client: FlaskClient) -> CaseTransfer:
    login(case.worker)
    _propose(client, case, to_unit)
    client.post("/logout")
    return db.session.scalars(select(CaseTransfer)).one()


def _accepted(
    case: Case, receiving: tuple[Unit, Any, Any], login: Login, client: FlaskClient
) -> CaseTransfer:
    """Propose the case's transfer to the receiving station; its head accepts it for its
    worker, and stays signed in."""
    station, head, worker = receiving
    transfer = _transfer(case, station, login, client)
    login(head)
    client.post(
        f"/cases/transfers/{transfer.id}/accept", data={"worker_id": worker.id, "tutor_id": 0}
    )
    return transfer


def _status(transfer: CaseTransfer) -> TransferStatus:
    db.session.expire_all()
    found = db.session.get(CaseTransfer, transfer.id)
    assert found is not None
    return found.status


def _fresh_case(case: Case) -> Case:
    db.session.expire_all()
    found = db.session.get(Case, case.id)
    assert found is not None
    return found


@pytest.fixture
def receiving() -> tuple[Unit, Any, Any]:
    """A second station with its head and a worker."""
    station = StationFactory()
    return station, StationHeadFactory(unit=station), WorkerFactory(unit=station)


def test_the_worker_proposes_a_transfer(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    case = CaseFactory()
    login(case.worker)
    response = _propose(client, case, receiving[0])
    transfer = db.session.scalars(select(CaseTransfer)).one()
    assert response.status_code == 302
    assert (transfer.status, transfer.to_unit_id) == (TransferStatus.PENDING, receiving[0].id)


def test_a_proposal_changes_nothing_yet(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    case = CaseFactory()
    _transfer(case, receiving[0], login, client)
    assert _fresh_case(case).unit_id == case.service_user.unit_id


def test_a_proposal_without_a_handover_note_is_refused_and_keeps_the_input(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    case = CaseFactory()
    login(case.worker)
    response = _propose(client, case, receiving[0], handover_note="")
    assert response.status_code == 422
    assert "服务对象搬到女儿家居住" in response.get_data(as_text=True)
    assert db.session.scalars(select(CaseTransfer)).first() is None


def test_the_receiving_head_sees_the_transfer_in_the_queue(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    case = CaseFactory()
    _transfer(case, receiving[0], login, client)
    login(receiving[1])
    assert case.number in client.get("/cases/transfers").get_data(as_text=True)


def test_accepting_moves_the_case_to_the_receiving_worker(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    station, _head, worker = receiving
    case = CaseFactory()
    _accepted(case, receiving, login, client)
    moved = _fresh_case(case)
    assert (moved.unit_id, moved.worker_id, moved.number) == (station.id, worker.id, case.number)


def test_accepting_moves_the_persons_file_held_by_the_sending_unit(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    station = receiving[0]
    case = CaseFactory()
    _accepted(case, receiving, login, client)
    db.session.expire_all()
    person = db.session.get(ServiceUser, case.service_user_id)
    assert person is not None
    assert person.unit_id == station.id


def test_a_moved_person_leaves_the_sending_units_household(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    case = CaseFactory()
    household = households.create_household(
        actor=case.worker, name="刘家", address=None, notes=None
    )
    households.add_member(
        actor=case.worker, household=household, person=case.service_user, relationship="户主"
    )
    db.session.commit()
    _accepted(case, receiving, login, client)
    db.session.expire_all()
    assert db.session.scalars(select(HouseholdPerson)).all() == []


def test_after_acceptance_the_receiving_worker_opens_the_case(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    worker = receiving[2]
    case = CaseFactory()
    _accepted(case, receiving, login, client)
    client.post("/logout")
    login(worker)
    assert client.get(f"/cases/{case.id}").status_code == 200


def test_after_acceptance_the_sending_worker_no_longer_sees_the_case(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    case = CaseFactory()
    sender = case.worker
    _accepted(case, receiving, login, client)
    client.post("/logout")
    login(sender)
    assert client.get(f"/cases/{case.id}").status_code == 404
    assert client.get(f"/cases/{case.id}/records/new").status_code == 404


def test_the_timeline_shows_the_move(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    station = receiving[0]
    case = CaseFactory()
    _accepted(case, receiving, login, client)
    body = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"申请转移至{station.name}" in body
    assert "转移已接收" in body


def test_acceptance_is_audited(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    head = receiving[1]
    case = CaseFactory()
    _accepted(case, receiving, login, client)
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "case.transfer_accepted")
    ).one()
    assert (entry.actor_id, entry.object_id) == (head.id, case.id)


def test_a_rejected_transfer_changes_nothing(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    station, head, _worker = receiving
    case = CaseFactory()
    transfer = _transfer(case, station, login, client)
    login(head)
    client.post(f"/cases/transfers/{transfer.id}/reject", data={"reason": "本站无该领域社工"})
    moved = _fresh_case(case)
    assert (moved.unit_id, moved.worker_id) == (case.unit_id, case.worker_id)
    assert _status(transfer) is TransferStatus.REJECTED


def test_a_rejection_needs_a_reason(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    station, head, _worker = receiving
    case = CaseFactory()
    transfer = _transfer(case, station, login, client)
    login(head)
    response = client.post(f"/cases/transfers/{transfer.id}/reject", data={"reason": ""})
    assert response.status_code == 422
    assert _status(transfer) is TransferStatus.PENDING


def test_a_second_pending_transfer_of_a_case_is_refused(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    case = CaseFactory()
    login(case.worker)
    _propose(client, case, receiving[0])
    response = _propose(client, case, StationFactory())
    assert response.status_code == 422
    assert len(db.session.scalars(select(CaseTransfer)).all()) == 1


def test_the_sender_withdraws_a_pending_transfer(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    case = CaseFactory()
    login(case.worker)
    _propose(client, case, receiving[0])
    transfer = db.session.scalars(select(CaseTransfer)).one()
    client.post(f"/cases/transfers/{transfer.id}/withdraw")
    assert _status(transfer) is TransferStatus.WITHDRAWN


def test_a_worker_of_the_receiving_unit_cannot_accept(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    station, _head, worker = receiving
    case = CaseFactory()
    transfer = _transfer(case, station, login, client)
    login(worker)
    response = client.post(
        f"/cases/transfers/{transfer.id}/accept", data={"worker_id": worker.id, "tutor_id": 0}
    )
    assert response.status_code == 403
    assert _fresh_case(case).unit_id == case.unit_id


def test_the_sending_worker_cannot_accept_their_own_transfer(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    station, _head, worker = receiving
    case = CaseFactory()
    transfer = _transfer(case, station, login, client)
    login(case.worker)
    response = client.post(
        f"/cases/transfers/{transfer.id}/accept", data={"worker_id": worker.id, "tutor_id": 0}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("make_user", [StationHeadFactory, AdminFactory, BureauViewerFactory])
def test_a_third_unit_does_not_see_the_transfer(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any], make_user: Any
) -> None:
    case = CaseFactory()
    transfer = _transfer(case, receiving[0], login, client)
    login(make_user())
    assert client.get(f"/cases/transfers/{transfer.id}").status_code == 404


def test_a_worker_of_another_unit_cannot_propose_a_transfer(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    case = CaseFactory()
    login(receiving[2])
    assert _propose(client, case, receiving[0]).status_code == 404


def test_a_person_with_another_open_case_here_is_not_transferred_in_part(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    case = CaseFactory()
    CaseFactory(service_user=case.service_user, worker=case.worker)
    login(case.worker)
    response = _propose(client, case, receiving[0])
    assert response.status_code == 422
    assert "其他在案个案" in response.get_data(as_text=True)


def test_the_receiving_head_reads_the_handover_before_deciding(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    case = CaseFactory()
    transfer = _transfer(case, receiving[0], login, client)
    login(receiving[1])
    body = client.get(f"/cases/transfers/{transfer.id}").get_data(as_text=True)
    assert "低保复审在下月" in body


@pytest.mark.parametrize("make_user", [AdminFactory, BureauViewerFactory])
def test_bureaus_and_administrators_have_no_transfer_list(
    client: FlaskClient, login: Login, make_user: Any
) -> None:
    login(make_user())
    assert client.get("/cases/transfers").status_code == 403


# --- the sending unit's copy (TRANSFER_SENDER_KEEPS_READ) ----------------------------------


def test_the_sender_has_no_copy_unless_configured(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    case = CaseFactory()
    sender = case.worker
    transfer = _accepted(case, receiving, login, client)
    client.post("/logout")
    login(sender)
    assert client.get(f"/cases/transfers/{transfer.id}/file.pdf").status_code == 403


def test_where_configured_the_sender_downloads_the_file_as_it_left_it(
    app: Any, client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    app.config["TRANSFER_SENDER_KEEPS_READ"] = True
    case = CaseFactory()
    sender = case.worker
    transfer = _accepted(case, receiving, login, client)
    client.post("/logout")
    login(sender)
    response = client.get(f"/cases/transfers/{transfer.id}/file.pdf")
    assert (response.status_code, response.mimetype) == (200, "application/pdf")


def test_the_receiving_head_has_no_senders_copy(
    app: Any, client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    app.config["TRANSFER_SENDER_KEEPS_READ"] = True
    transfer = _accepted(CaseFactory(), receiving, login, client)
    assert client.get(f"/cases/transfers/{transfer.id}/file.pdf").status_code == 403


def test_a_third_unit_does_not_find_the_senders_copy(
    app: Any, client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    app.config["TRANSFER_SENDER_KEEPS_READ"] = True
    transfer = _accepted(CaseFactory(), receiving, login, client)
    client.post("/logout")
    login(WorkerFactory())
    assert client.get(f"/cases/transfers/{transfer.id}/file.pdf").status_code == 404


def test_the_senders_copy_leaves_out_what_was_written_after_the_transfer(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    transfer = _accepted(case, receiving, login, client)
    db.session.expire_all()
    case = _fresh_case(case)
    assert transfer.decided_at is not None
    case.plans[0].created_at = transfer.decided_at + timedelta(minutes=5)
    db.session.commit()
    data = case_file_data(case, sent=db.session.get(CaseTransfer, transfer.id))
    assert (data["intake"] is not None, data["plans"]) == (True, [])


def test_the_senders_copy_names_the_sending_unit(
    client: FlaskClient, login: Login, receiving: tuple[Unit, Any, Any]
) -> None:
    case = CaseFactory()
    sending_unit = case.unit.name
    transfer = _accepted(case, receiving, login, client)
    data = case_file_data(_fresh_case(case), sent=db.session.get(CaseTransfer, transfer.id))
    assert data["cover"]["unit"] == sending_unit
