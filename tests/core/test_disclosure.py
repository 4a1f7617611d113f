"""The personal-data audit: what one request that shows people writes, and what it does not."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.core.audit import AuditEntry
from casework.core.disclosure import AuditDisclosure
from casework.extensions import db
from tests.conftest import Login
from tests.factories import (
    PASSWORD,
    ServiceUserFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    WorkerProfileFactory,
)


def _views() -> list[AuditEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "personal_data.view")
            .order_by(AuditEntry.id)
        )
    )


def _shown(entry: AuditEntry) -> set[tuple[str, int]]:
    rows = db.session.execute(
        select(AuditDisclosure.object_type, AuditDisclosure.object_id).where(
            AuditDisclosure.entry_id == entry.id
        )
    )
    return {(object_type, object_id) for object_type, object_id in rows}


def test_a_person_page_writes_one_entry_naming_the_person(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    client.get(f"/people/{person.id}")
    [entry] = _views()
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        worker.id,
        "service_users",
        person.id,
    )


def test_a_list_names_every_person_it_shows(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    people = [ServiceUserFactory(unit=worker.unit) for _ in range(3)]
    login(worker)
    client.get("/people/")
    [entry] = _views()
    assert _shown(entry) == {("service_users", person.id) for person in people}
    assert entry.details["count"] == 3


def test_an_entry_holds_no_personal_data(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit, name="独特的名字")
    login(worker)
    client.get(f"/people/{person.id}")
    [entry] = _views()
    assert "独特的名字" not in str(entry.details)
    assert person.phone not in str(entry.details)


def test_a_search_is_audited_without_its_terms(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit, name="查找对象")
    login(worker)
    client.get("/people/", query_string={"q": "查找对象"})
    [entry] = _views()
    assert _shown(entry) == {("service_users", person.id)}
    assert "查找对象" not in str(entry.details)


def test_a_refused_page_writes_nothing(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory()
    login(WorkerFactory())
    assert client.get(f"/people/{person.id}").status_code == 404
    assert _views() == []


def test_a_redirect_writes_nothing(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    response = client.post(
        f"/people/{person.id}/household",
        data={"name": "家属", "relationship_to_user": "子女", "lives_together": "y"},
    )
    assert response.status_code == 302
    assert _views() == []


def test_a_tutor_across_two_units_gets_an_entry_per_unit(client: FlaskClient, login: Login) -> None:
    first, second = ServiceUserFactory(), ServiceUserFactory()
    tutor = TutorFactory(supervised_units=[first.unit, second.unit])
    login(tutor)
    client.get("/people/")
    assert {entry.unit_id for entry in _views()} == {first.unit_id, second.unit_id}


def test_a_head_opening_a_staff_file_is_audited(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    profile = WorkerProfileFactory(unit=head.unit)
    login(head)
    client.get(f"/workforce/profiles/{profile.id}")
    assert ("worker_profiles", profile.id) in _shown(_views()[0])


def test_opening_ones_own_staff_file_is_not(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    profile = WorkerProfileFactory(unit=worker.unit, user=worker)
    login(worker)
    assert client.get(f"/workforce/profiles/{profile.id}").status_code == 200
    assert _views() == []


def _audit_rows(client: FlaskClient, **filters: object) -> list[list[str]]:
    html = client.get("/audit/", query_string=filters).get_data(as_text=True)
    return [
        [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in BeautifulSoup(html, "html.parser").select("tbody tr")
    ]


def test_the_audit_page_finds_who_saw_a_person(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit, display_name="看过的人")
    people = [ServiceUserFactory(unit=head.unit) for _ in range(2)]
    colleague = app.test_client()
    colleague.post("/login", data={"username": worker.username, "password": PASSWORD})
    colleague.get("/people/")
    login(head)
    rows = _audit_rows(client, object_type="service_users", object_id=people[1].id)
    assert [row[1:3] for row in rows] == [["看过的人", "查看个人信息"]]


def test_the_audit_page_does_not_list_a_view_under_someone_not_shown(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit)
    seen = ServiceUserFactory(unit=head.unit)
    colleague = app.test_client()
    colleague.post("/login", data={"username": worker.username, "password": PASSWORD})
    colleague.get(f"/people/{seen.id}")
    unseen = ServiceUserFactory(unit=head.unit)
    login(head)
    rows = _audit_rows(client, object_type="service_users", object_id=unseen.id)
    assert "查看个人信息" not in [row[2] for row in rows if len(row) > 2]
