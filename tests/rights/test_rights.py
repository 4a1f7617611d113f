"""Residents' rights requests: recorded with a deadline, answered, the copy and the deletion."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select, text

from casework.core.clock import add_working_days
from casework.extensions import db
from casework.people.models import ServiceUser
from casework.rights.models import RightsKind, RightsRequest, RightsStatus
from tests.conftest import Login
from tests.factories import (
    ServiceUserFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    running_group,
)
from tests.search.helpers import add_record, case_in_intervention

ID_NUMBER = "220102195603141234"


def _record(client: FlaskClient, person: Any, kind: str, received: str = "2026-12-01") -> Any:
    return client.post(
        f"/rights/new/{person.id}",
        data={"kind": kind, "channel": "walk_in", "received_on": received, "details": "本人来站"},
    )


def _only_request() -> RightsRequest:
    db.session.expire_all()
    return db.session.scalars(select(RightsRequest)).one()


def test_a_request_is_due_in_fifteen_working_days(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory()
    login(WorkerFactory(unit=person.unit))
    _record(client, person, "access", received="2026-02-13")
    assert _only_request().due_on == add_working_days(date(2026, 2, 13), 15)


def test_the_deadline_skips_the_spring_festival(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory()
    login(WorkerFactory(unit=person.unit))
    _record(client, person, "access", received="2026-02-13")
    # 14 and 28 Feb are make-up Saturdays, 15–23 Feb the holiday: the 15th working day is
    # 12 March (Mon–Fri alone would give 6 March).
    assert _only_request().due_on == date(2026, 3, 12)


def test_the_copy_holds_exactly_that_persons_data(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory(name="刘桂兰", id_number=ID_NUMBER)
    other = ServiceUserFactory(unit=person.unit, name="张建华")
    case = case_in_intervention(person.unit, person=person)
    add_record(case, "入户走访，老人精神尚好。")
    login(WorkerFactory(unit=person.unit))
    _record(client, person, "access")
    body = client.get(f"/rights/{_only_request().id}/copy.json").get_data(as_text=True)
    copy = json.loads(body)
    assert (copy["person"]["name"], copy["person"]["id_number"], len(copy["cases"])) == (
        "刘桂兰",
        ID_NUMBER,
        1,
    )
    assert other.name not in body


def test_the_copy_as_pdf_names_the_person(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory(name="刘桂兰")
    case_in_intervention(person.unit, person=person)
    login(WorkerFactory(unit=person.unit))
    _record(client, person, "access")
    response = client.get(f"/rights/{_only_request().id}/copy.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    extracted = "".join("".join((page.extract_text() or "").split()) for page in reader.pages)
    assert ("刘桂兰" in extracted, "个人信息副本" in extracted) == (True, True)


def test_handing_over_the_copy_is_audited(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory()
    login(WorkerFactory(unit=person.unit))
    _record(client, person, "access")
    client.get(f"/rights/{_only_request().id}/copy.json")
    actions = set(db.session.scalars(text("SELECT action FROM audit_entries")))
    assert "rights_request.export" in actions


def test_completing_needs_an_outcome(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory()
    login(WorkerFactory(unit=person.unit))
    _record(client, person, "explanation")
    response = client.post(f"/rights/{_only_request().id}/complete", data={"outcome": ""})
    assert (response.status_code, _only_request().status) == (422, RightsStatus.OPEN)


def _deletion_by_head(client: FlaskClient, login: Login, person: Any) -> Any:
    login(StationHeadFactory(unit=person.unit))
    client.post(
        f"/rights/new/{person.id}",
        data={
            "kind": "deletion",
            "channel": "phone",
            "received_on": "2026-12-01",
            "details": f"{person.name}来电要求删除本人信息",
        },
    )
    return client.post(f"/rights/{_only_request().id}/delete", data={"outcome": "已删除"})


def test_a_deletion_leaves_no_identifier_of_the_person(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory(name="刘桂兰", id_number=ID_NUMBER, phone="13912345678")
    case = case_in_intervention(person.unit, person=person)
    add_record(case, "刘桂兰来电，电话 13912345678。")
    case.status, case.closed_on = case.status.CLOSED, date(2026, 11, 30)
    db.session.commit()
    _deletion_by_head(client, login, person)
    dump = " ".join(
        str(value)
        for table in (
            "service_users",
            "service_records",
            "search_documents",
            "household_members",
            "rights_requests",
        )
        for row in db.session.execute(text(f"SELECT * FROM {table}"))  # noqa: S608
        for value in row
    )
    assert [value for value in ("刘桂兰", "桂兰", "13912345678") if value in dump] == []


def test_a_deletion_is_refused_while_a_case_is_open(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory(name="刘桂兰")
    case_in_intervention(person.unit, person=person)
    response = _deletion_by_head(client, login, person)
    db.session.expire_all()
    assert (response.status_code, db.session.get(ServiceUser, person.id).name) == (  # type: ignore[union-attr]
        422,
        "刘桂兰",
    )


def test_a_social_worker_cannot_grant_a_deletion(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory()
    login(WorkerFactory(unit=person.unit))
    _record(client, person, "deletion")
    response = client.post(f"/rights/{_only_request().id}/delete", data={"outcome": "删除"})
    assert response.status_code == 403


def test_after_withdrawing_consent_the_person_is_not_offered_for_groups(
    client: FlaskClient, login: Login
) -> None:
    group = running_group(members=0)
    person = ServiceUserFactory(unit=group.unit, name="刘桂兰")
    login(group.facilitator)
    _record(client, person, "withdrawal")
    client.post(f"/rights/{_only_request().id}/withdraw", data={"outcome": ""})
    page = client.get(f"/groups/{group.id}/members?q=刘桂兰").get_data(as_text=True)
    assert f'value="{person.id}"' not in page


def test_a_tutor_has_no_rights_queue(client: FlaskClient, login: Login) -> None:
    login(TutorFactory())
    assert client.get("/rights/").status_code == 403


def test_another_stations_head_cannot_see_the_request(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory()
    login(WorkerFactory(unit=person.unit))
    _record(client, person, "access")
    client.post("/logout")
    login(StationHeadFactory())
    assert client.get(f"/rights/{_only_request().id}").status_code == 404


def test_the_queue_marks_an_overdue_request(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory()
    login(WorkerFactory(unit=person.unit))
    _record(client, person, "access", received="2026-01-05")
    assert "已逾期" in client.get("/rights/").get_data(as_text=True)


def test_a_request_kind_outside_the_list_is_refused(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory()
    login(WorkerFactory(unit=person.unit))
    response = _record(client, person, "everything")
    assert (response.status_code, db.session.scalars(select(RightsRequest)).all()) == (422, [])


def test_the_kinds_are_the_five_of_the_law() -> None:
    assert len(RightsKind) == 5
