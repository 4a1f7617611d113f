"""Asking the unit that holds a person's file for access to it or for the file (档案请求)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from casework.cases.enums import CaseStatus
from casework.cases.models import Case
from casework.core.audit import AuditEntry
from casework.core.clock import local_today
from casework.extensions import db
from casework.people import file_requests, households
from casework.people.models import FileRequest, FileRequestKind, FileRequestStatus, ServiceUser
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    CaseFactory,
    ServiceUserFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    advance_case,
)


@pytest.fixture
def holder() -> tuple[ServiceUser, Any]:
    """A person registered at one station, and that station's head."""
    person = ServiceUserFactory()
    return person, StationHeadFactory(unit=person.unit)


def _ask(
    client: FlaskClient,
    person: ServiceUser,
    kind: str = "access",
    reason: str = "本人搬来本社区居住，需要在本站服务",
):
    return client.post(
        "/people/requests/new",
        data={
            "request-id_number": person.id_number,
            "request-kind": kind,
            "request-reason": reason,
        },
    )


def _request(person: ServiceUser, asker: Any, kind: FileRequestKind) -> FileRequest:
    made = file_requests.request_file(
        actor=asker, id_number=person.id_number or "", kind=kind, reason="居民搬迁"
    )
    db.session.commit()
    return made


def _granted(person: ServiceUser, asker: Any, head: Any, kind: FileRequestKind) -> FileRequest:
    made = _request(person, asker, kind)
    file_requests.grant(actor=head, request=made)
    db.session.commit()
    return made


def test_the_registration_notice_offers_to_ask_the_holding_unit(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, _head = holder
    login(WorkerFactory())
    response = client.post(
        "/people/new",
        data={
            "name": "刘桂兰",
            "id_number": person.id_number,
            "consent_basis": "written",
            "consent_given_on": "2026-11-20",
        },
    )
    body = response.get_data(as_text=True)
    assert 'action="/people/requests/new"' in body
    assert re.search(
        rf'<input [^>]*name="request-id_number"[^>]*type="hidden" value="{person.id_number}"', body
    )


def test_a_request_reaches_the_holding_unit_with_the_persons_name(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    login(WorkerFactory())
    _ask(client, person)
    client.post("/logout")
    login(head)
    page = client.get("/people/requests/").get_data(as_text=True)
    assert person.name in page


def test_the_asking_unit_sees_the_masked_number_and_not_the_name(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, _head = holder
    login(WorkerFactory())
    _ask(client, person)
    page = client.get("/people/requests/").get_data(as_text=True)
    assert person.masked_id_number in page
    assert person.name not in page


def test_a_request_needs_a_reason_and_keeps_the_choice(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, _head = holder
    login(WorkerFactory())
    response = _ask(client, person, kind="transfer", reason="")
    assert response.status_code == 422
    assert '<option selected value="transfer">' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(FileRequest.id))) == 0


def test_a_number_held_by_ones_own_unit_is_not_requested(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, _head = holder
    login(WorkerFactory(unit=person.unit))
    assert _ask(client, person).status_code == 422
    assert db.session.scalar(select(func.count(FileRequest.id))) == 0


def test_a_second_pending_request_from_the_same_unit_is_refused(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, _head = holder
    login(WorkerFactory())
    _ask(client, person)
    assert _ask(client, person).status_code == 422
    assert db.session.scalar(select(func.count(FileRequest.id))) == 1


def test_granted_access_lets_the_asking_unit_open_the_file(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    worker = WorkerFactory()
    _granted(person, worker, head, FileRequestKind.ACCESS)
    login(worker)
    assert client.get(f"/people/{person.id}").status_code == 200


def test_a_pending_request_gives_no_access(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, _head = holder
    worker = WorkerFactory()
    _request(person, worker, FileRequestKind.ACCESS)
    login(worker)
    assert client.get(f"/people/{person.id}").status_code == 404


def test_access_to_a_person_does_not_open_the_holders_cases(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    case = CaseFactory(service_user=person)
    worker = WorkerFactory()
    _granted(person, worker, head, FileRequestKind.ACCESS)
    login(worker)
    assert client.get(f"/cases/{case.id}").status_code == 404


def test_with_access_a_worker_opens_a_case_in_their_own_unit(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    worker = WorkerFactory()
    _granted(person, worker, head, FileRequestKind.ACCESS)
    login(worker)
    client.post(
        f"/cases/new/{person.id}",
        data={
            "domain": "social_aid",
            "source": "walk_in",
            "risk_level": "low",
            "summary": "搬来本社区后需要帮助",
            "problems": ["livelihood"],
            "worker_id": str(worker.id),
            "tutor_id": "0",
        },
    )
    case = db.session.scalars(select(Case).where(Case.service_user_id == person.id)).one()
    assert case.unit_id == worker.unit_id


def test_without_access_a_worker_cannot_open_a_case_for_anothers_person(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, _head = holder
    login(WorkerFactory())
    assert client.get(f"/cases/new/{person.id}").status_code == 404


def test_access_ends_on_its_last_day(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    worker = WorkerFactory()
    granted = _granted(person, worker, head, FileRequestKind.ACCESS)
    granted.access_until = local_today() - timedelta(days=1)
    db.session.commit()
    login(worker)
    assert client.get(f"/people/{person.id}").status_code == 404


def test_access_lasts_the_configured_days(app: Any, holder: tuple[ServiceUser, Any]) -> None:
    person, head = holder
    app.config["FILE_ACCESS_DAYS"] = 30
    granted = _granted(person, WorkerFactory(), head, FileRequestKind.ACCESS)
    assert granted.access_until == local_today() + timedelta(days=30)


def test_revoked_access_closes_the_file_again(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    worker = WorkerFactory()
    granted = _granted(person, worker, head, FileRequestKind.ACCESS)
    login(head)
    client.post(f"/people/requests/{granted.id}/revoke")
    client.post("/logout")
    login(worker)
    assert client.get(f"/people/{person.id}").status_code == 404


def test_a_case_opened_under_access_keeps_its_person_visible_after_access_ends(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    worker = WorkerFactory()
    granted = _granted(person, worker, head, FileRequestKind.ACCESS)
    CaseFactory(service_user=person, worker=worker, unit=worker.unit)
    file_requests.revoke(actor=head, request=granted)
    db.session.commit()
    login(worker)
    assert client.get(f"/people/{person.id}").status_code == 200


def test_a_granted_transfer_moves_the_file_to_the_asking_unit(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    worker = WorkerFactory()
    made = _request(person, worker, FileRequestKind.TRANSFER)
    login(head)
    client.post(f"/people/requests/{made.id}/grant", data={"note": ""})
    db.session.refresh(person)
    assert person.unit_id == worker.unit_id


def test_after_a_transfer_the_old_unit_no_longer_sees_the_file(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    old_unit_worker = WorkerFactory(unit=person.unit)
    _granted(person, WorkerFactory(), head, FileRequestKind.TRANSFER)
    login(old_unit_worker)
    assert client.get(f"/people/{person.id}").status_code == 404


def test_a_file_with_an_open_case_is_not_moved(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    holding_unit = person.unit_id
    CaseFactory(service_user=person)
    made = _request(person, WorkerFactory(), FileRequestKind.TRANSFER)
    login(head)
    client.post(f"/people/requests/{made.id}/grant", data={"note": ""})
    db.session.refresh(person)
    db.session.refresh(made)
    assert (person.unit_id, made.status) == (holding_unit, FileRequestStatus.PENDING)


def test_a_file_whose_case_is_closed_moves(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    tutor = TutorFactory(supervised_units=[person.unit])
    advance_case(CaseFactory(service_user=person), CaseStatus.CLOSED, tutor=tutor)
    worker = WorkerFactory()
    _granted(person, worker, head, FileRequestKind.TRANSFER)
    assert person.unit_id == worker.unit_id


def test_the_holders_closed_case_keeps_its_person_visible_there(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    tutor = TutorFactory(supervised_units=[person.unit])
    case = advance_case(CaseFactory(service_user=person), CaseStatus.CLOSED, tutor=tutor)
    _granted(person, WorkerFactory(), head, FileRequestKind.TRANSFER)
    login(case.worker)
    assert client.get(f"/people/{person.id}").status_code == 200


def test_a_moved_person_leaves_the_old_units_household(
    app: Any, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    household = households.create_household(actor=head, name="刘家", address=None, notes=None)
    households.add_member(actor=head, household=household, person=person, relationship="户主")
    db.session.commit()
    _granted(person, WorkerFactory(), head, FileRequestKind.TRANSFER)
    assert households.household_of(person) is None


def test_declining_needs_a_note(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    made = _request(person, WorkerFactory(), FileRequestKind.ACCESS)
    login(head)
    client.post(f"/people/requests/{made.id}/decline", data={"note": ""})
    db.session.refresh(made)
    assert made.status is FileRequestStatus.PENDING


def test_the_asking_unit_sees_why_it_was_declined(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    worker = WorkerFactory()
    made = _request(person, worker, FileRequestKind.ACCESS)
    file_requests.decline(actor=head, request=made, note="本人不同意向其他单位提供信息")
    db.session.commit()
    login(worker)
    assert "本人不同意向其他单位提供信息" in client.get("/people/requests/").get_data(as_text=True)


def test_the_asker_may_withdraw_a_pending_request(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, _head = holder
    worker = WorkerFactory()
    made = _request(person, worker, FileRequestKind.ACCESS)
    login(worker)
    client.post(f"/people/requests/{made.id}/withdraw")
    db.session.refresh(made)
    assert made.status is FileRequestStatus.WITHDRAWN


def test_granting_is_in_the_holding_units_audit_log(
    app: Any, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    _granted(person, WorkerFactory(), head, FileRequestKind.ACCESS)
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "file_request.grant")
    ).one()
    assert (entry.actor_id, entry.unit_id) == (head.id, person.unit_id)


# --- who may do what ---------------------------------------------------------------------


def test_a_worker_of_the_holding_unit_may_not_answer(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, _head = holder
    made = _request(person, WorkerFactory(), FileRequestKind.ACCESS)
    login(WorkerFactory(unit=person.unit))
    assert client.post(f"/people/requests/{made.id}/grant").status_code == 403


def test_the_asking_units_head_may_not_grant_its_own_request(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, _head = holder
    worker = WorkerFactory()
    made = _request(person, worker, FileRequestKind.ACCESS)
    login(StationHeadFactory(unit=worker.unit))
    assert client.post(f"/people/requests/{made.id}/grant").status_code == 403


def test_a_third_units_head_does_not_see_the_request(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, _head = holder
    made = _request(person, WorkerFactory(), FileRequestKind.ACCESS)
    login(StationHeadFactory())
    assert client.post(f"/people/requests/{made.id}/grant").status_code == 404


def test_the_holder_may_not_withdraw_anothers_request(
    client: FlaskClient, login: Login, holder: tuple[ServiceUser, Any]
) -> None:
    person, head = holder
    made = _request(person, WorkerFactory(), FileRequestKind.ACCESS)
    login(head)
    assert client.post(f"/people/requests/{made.id}/withdraw").status_code == 403


@pytest.mark.parametrize("factory", [TutorFactory, BureauViewerFactory, AdminFactory])
def test_other_roles_have_no_request_list(client: FlaskClient, login: Login, factory: Any) -> None:
    login(factory())
    assert client.get("/people/requests/").status_code == 403


@pytest.mark.parametrize("factory", [TutorFactory, BureauViewerFactory, AdminFactory])
def test_other_roles_may_not_ask(
    client: FlaskClient, login: Login, factory: Any, holder: tuple[ServiceUser, Any]
) -> None:
    person, _head = holder
    login(factory())
    assert _ask(client, person).status_code == 403
