"""Converting a request to a case: find or register the person, open the case, link both ways."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from casework.cases.enums import CaseSource, CaseStatus
from casework.cases.models import Case
from casework.extensions import db
from casework.helpdesk import services
from casework.helpdesk.models import EventKind, HelpRequest, RequestStatus
from casework.people.models import ServiceUser
from tests.conftest import Login
from tests.factories import (
    HelpRequestFactory,
    ServiceUserFactory,
    StationFactory,
    WorkerFactory,
    make_id_number,
)

DESCRIPTION = "老伴去世后一个人住，最近总是睡不着，不想出门，也不想吃饭。"


def _case_data(worker_id: int, **overrides: Any) -> dict[str, Any]:
    data = {
        "summary": "丧偶独居老人情绪低落",
        "domain": "community_health",
        "problems": ["emotional"],
        "source": "web",
        "risk_level": "medium",
        "worker_id": str(worker_id),
        "tutor_id": "0",
    }
    data.update(overrides)
    return data


def _person_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "郑淑兰",
        "gender": "female",
        "birth_date": "1950-02-03",
        "id_number": "",
        "phone": "13804312345",
        "address": "朝阳区湖西路 8 号",
        "notes": "",
        "consent_basis": "written",
        "consent_given_on": "2026-11-20",
    }
    data.update(overrides)
    return data


def _reload(help_request: HelpRequest) -> HelpRequest:
    db.session.expire_all()
    reloaded = db.session.get(HelpRequest, help_request.id)
    assert reloaded is not None
    return reloaded


def _cases() -> int:
    return int(db.session.scalar(select(func.count(Case.id))) or 0)


def test_choosing_a_person_lists_matches_in_the_unit_only(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    help_request = HelpRequestFactory(unit=worker.unit, name="郑淑兰", phone="13900000001")
    mine = ServiceUserFactory(unit=worker.unit, name="郑淑兰")
    same_phone = ServiceUserFactory(unit=worker.unit, name="郑老太", phone="13900000001")
    elsewhere = ServiceUserFactory(unit=StationFactory(), name="郑淑兰")
    login(worker)
    html = client.get(f"/requests/{help_request.id}/convert").get_data(as_text=True)
    assert f"person={mine.id}" in html
    assert f"person={same_phone.id}" in html
    assert f"person={elsewhere.id}" not in html


def test_converting_for_a_registered_person_opens_a_case_at_intake(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    help_request = HelpRequestFactory(unit=worker.unit, description=DESCRIPTION)
    login(worker)
    response = client.post(
        f"/requests/{help_request.id}/convert?person={person.id}", data=_case_data(worker.id)
    )
    case = db.session.scalars(select(Case)).one()
    assert response.headers["Location"] == f"/cases/{case.id}"
    assert (case.service_user_id, case.status) == (person.id, CaseStatus.INTAKE)
    assert case.intake is not None
    assert case.intake.presenting_problem == DESCRIPTION
    reloaded = _reload(help_request)
    assert (reloaded.status, reloaded.case_id) == (RequestStatus.CONVERTED, case.id)
    assert reloaded.events[-1].kind is EventKind.CONVERTED


def test_case_form_is_prefilled_from_the_request(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    help_request = HelpRequestFactory(unit=worker.unit, description=DESCRIPTION)
    login(worker)
    html = client.get(f"/requests/{help_request.id}/convert?person={person.id}").get_data(
        as_text=True
    )
    assert f'<option selected value="{CaseSource.WEB.value}">' in html
    assert f'value="{DESCRIPTION[:20]}' in html


def test_case_page_links_back_to_the_request(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    help_request = HelpRequestFactory(unit=worker.unit)
    login(worker)
    client.post(
        f"/requests/{help_request.id}/convert?person={person.id}", data=_case_data(worker.id)
    )
    case_id = _reload(help_request).case_id
    case_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    request_page = client.get(f"/requests/{help_request.id}").get_data(as_text=True)
    assert f'href="/requests/{help_request.id}"' in case_page
    assert f'href="/cases/{case_id}"' in request_page


def test_case_page_without_a_request_has_no_link(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    client.post(f"/cases/new/{person.id}", data=_case_data(worker.id, source="walk_in"))
    case = db.session.scalars(select(Case)).one()
    assert 'id="help-request-link"' not in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_registering_a_new_person_takes_the_phone_from_the_request(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    help_request = HelpRequestFactory(unit=worker.unit, name="郑淑兰", phone="13804312345")
    login(worker)
    html = client.get(f"/requests/{help_request.id}/convert?new=1").get_data(as_text=True)
    assert 'value="13804312345"' in html


def test_registering_a_new_person_asks_for_the_legal_name_not_the_form_of_address(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    help_request = HelpRequestFactory(unit=worker.unit, name="何女士")
    login(worker)
    html = client.get(f"/requests/{help_request.id}/convert?new=1").get_data(as_text=True)
    assert 'value="何女士"' not in html
    assert "法定姓名" in html
    assert "居民求助时的称呼：何女士" in html


def test_converted_case_form_leaves_domain_and_risk_unchosen(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    help_request = HelpRequestFactory(unit=worker.unit, description=DESCRIPTION)
    login(worker)
    html = client.get(f"/requests/{help_request.id}/convert?person={person.id}").get_data(
        as_text=True
    )
    for field in ("domain", "risk_level"):
        select_html = html[
            html.index(f'name="{field}"') : html.index("</select>", html.index(f'name="{field}"'))
        ]
        assert "selected" not in select_html


def test_converting_with_a_new_person_registers_them_in_the_unit(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    help_request = HelpRequestFactory(unit=worker.unit, description=DESCRIPTION)
    login(worker)
    response = client.post(
        f"/requests/{help_request.id}/convert?new=1",
        data=_person_data() | _case_data(worker.id),
    )
    assert response.status_code == 302
    person = db.session.scalars(select(ServiceUser)).one()
    case = db.session.scalars(select(Case)).one()
    assert (person.name, person.unit_id) == ("郑淑兰", worker.unit_id)
    assert case.service_user_id == person.id
    assert _reload(help_request).case_id == case.id


def test_a_possible_duplicate_stops_the_registration(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    born = date(1950, 2, 3)
    ServiceUserFactory(
        unit=worker.unit, name="郑淑兰", birth_date=born, id_number=make_id_number(born, serial=22)
    )
    help_request = HelpRequestFactory(unit=worker.unit)
    login(worker)
    response = client.post(
        f"/requests/{help_request.id}/convert?new=1",
        data=_person_data() | _case_data(worker.id),
    )
    assert response.status_code == 409
    assert 'id="duplicates"' in response.get_data(as_text=True)
    assert _cases() == 0


def test_missing_case_fields_keep_the_input(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    help_request = HelpRequestFactory(unit=worker.unit)
    login(worker)
    response = client.post(
        f"/requests/{help_request.id}/convert?person={person.id}",
        data=_case_data(worker.id, problems=[], summary="保留的个案概况"),
    )
    assert response.status_code == 422
    assert "保留的个案概况" in response.get_data(as_text=True)
    assert _cases() == 0
    assert _reload(help_request).status is RequestStatus.NEW


def test_a_person_of_another_unit_cannot_be_chosen(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    stranger = ServiceUserFactory(unit=StationFactory())
    help_request = HelpRequestFactory(unit=worker.unit)
    login(worker)
    response = client.post(
        f"/requests/{help_request.id}/convert?person={stranger.id}", data=_case_data(worker.id)
    )
    assert response.status_code == 404
    assert _cases() == 0


def test_a_closed_request_cannot_be_converted(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    help_request = HelpRequestFactory(unit=worker.unit)
    services.decline(actor=worker, request=help_request, reason="不属于服务范围")
    db.session.commit()
    login(worker)
    response = client.post(
        f"/requests/{help_request.id}/convert?person={person.id}", data=_case_data(worker.id)
    )
    assert response.headers["Location"] == f"/requests/{help_request.id}"
    assert _cases() == 0
