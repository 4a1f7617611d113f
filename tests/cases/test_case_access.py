"""Who may open a case's pages: 200 inside one's scope, 404 outside it, 403 for writing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from casework.cases.models import Case
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    CaseFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)


def _case() -> Case:
    return CaseFactory()


# Each maker builds the user whose access is checked against ``case``.
USERS: dict[str, Callable[[Case], Any]] = {
    "responsible_worker": lambda case: case.worker,
    "colleague_same_station": lambda case: WorkerFactory(unit=case.unit),
    "head_same_station": lambda case: StationHeadFactory(unit=case.unit),
    "tutor_of_station": lambda case: TutorFactory(supervised_units=[case.unit]),
    "worker_other_station": lambda case: WorkerFactory(unit=StationFactory()),
    "head_other_station": lambda case: StationHeadFactory(unit=StationFactory()),
    "tutor_other_station": lambda case: TutorFactory(supervised_units=[StationFactory()]),
    "bureau_viewer": lambda case: BureauViewerFactory(),
    "sysadmin": lambda case: AdminFactory(),
}

CAN_READ = {"responsible_worker", "colleague_same_station", "head_same_station", "tutor_of_station"}
CAN_WRITE = {"responsible_worker", "head_same_station"}

READ_PAGES = [
    "/cases/{case}",
    "/cases/{case}/file.pdf",
    "/people/{person}",
]
WRITE_PAGES = [
    "/cases/{case}/intake",
    "/cases/{case}/edit",
]
# Any front-line worker of the person's station may update the person or open a case.
PERSON_WRITE_PAGES = [
    "/cases/new/{person}",
    "/people/{person}/edit",
]
CAN_EDIT_PERSON = {"responsible_worker", "colleague_same_station", "head_same_station"}


def _url(template: str, case: Case) -> str:
    return template.format(case=case.id, person=case.service_user_id)


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("who", list(USERS))
def test_reading_a_case_page(client: FlaskClient, login: Login, who: str, page: str) -> None:
    case = _case()
    login(USERS[who](case))
    expected = 200 if who in CAN_READ else 404
    assert client.get(_url(page, case)).status_code == expected


@pytest.mark.parametrize("page", WRITE_PAGES)
@pytest.mark.parametrize("who", list(USERS))
def test_writing_a_case_page(client: FlaskClient, login: Login, who: str, page: str) -> None:
    case = _case()
    login(USERS[who](case))
    if who in CAN_WRITE:
        expected = 200
    elif who in CAN_READ:
        expected = 403
    else:
        expected = 404
    assert client.get(_url(page, case)).status_code == expected


@pytest.mark.parametrize("page", PERSON_WRITE_PAGES)
@pytest.mark.parametrize("who", list(USERS))
def test_writing_a_person_page(client: FlaskClient, login: Login, who: str, page: str) -> None:
    case = _case()
    login(USERS[who](case))
    if who in CAN_EDIT_PERSON:
        expected = 200
    elif who in CAN_READ:
        expected = 403
    else:
        expected = 404
    assert client.get(_url(page, case)).status_code == expected


@pytest.mark.parametrize("who", sorted(set(USERS) - CAN_READ))
def test_outsiders_cannot_take_a_step(client: FlaskClient, login: Login, who: str) -> None:
    case = _case()
    login(USERS[who](case))
    assert client.post(f"/cases/{case.id}/steps/decline", data={"reason": "x"}).status_code == 404


def test_tutor_cannot_take_a_workers_step(client: FlaskClient, login: Login) -> None:
    case = _case()
    login(TutorFactory(supervised_units=[case.unit]))
    assert client.post(f"/cases/{case.id}/steps/decline", data={"reason": "x"}).status_code == 403


def test_worker_cannot_take_a_tutors_step(client: FlaskClient, login: Login) -> None:
    case = _case()
    login(case.worker)
    assert client.post(f"/cases/{case.id}/steps/approve_plan").status_code == 403


def test_caseload_lists_only_visible_cases(client: FlaskClient, login: Login) -> None:
    mine = CaseFactory(summary="本站的个案")
    CaseFactory(summary="别站的个案")
    login(mine.worker)
    body = client.get("/cases/").get_data(as_text=True)
    assert "本站的个案" in body
    assert "别站的个案" not in body


def test_people_list_shows_only_own_station(client: FlaskClient, login: Login) -> None:
    mine = CaseFactory()
    other = CaseFactory()
    login(mine.worker)
    body = client.get("/people/").get_data(as_text=True)
    assert f'href="/people/{mine.service_user_id}"' in body
    assert f'href="/people/{other.service_user_id}"' not in body


def test_people_search_does_not_leak_other_stations(client: FlaskClient, login: Login) -> None:
    mine = CaseFactory()
    other = CaseFactory()
    login(mine.worker)
    body = client.get("/people/", query_string={"q": other.service_user.name}).get_data(
        as_text=True
    )
    assert f'href="/people/{other.service_user_id}"' not in body
    assert "没有找到服务对象" in body


def test_admin_sees_case_after_break_glass(client: FlaskClient, login: Login) -> None:
    case = _case()
    login(AdminFactory())
    assert client.get(f"/cases/{case.id}").status_code == 404
    response = client.post(
        "/cases/break-glass", data={"case_number": case.number, "reason": "投诉调查"}
    )
    assert response.status_code == 302
    assert client.get(f"/cases/{case.id}").status_code == 200


def test_break_glass_needs_a_reason(client: FlaskClient, login: Login) -> None:
    case = _case()
    login(AdminFactory())
    client.post("/cases/break-glass", data={"case_number": case.number, "reason": ""})
    assert client.get(f"/cases/{case.id}").status_code == 404


def test_only_admin_may_break_glass(client: FlaskClient, login: Login) -> None:
    case = _case()
    login(StationHeadFactory(unit=StationFactory()))
    response = client.post(
        "/cases/break-glass", data={"case_number": case.number, "reason": "好奇"}
    )
    assert response.status_code == 403
