"""Permissions identical to the pages: every role, for every kind of record, gets from the
API the answer the page gives it (200, 403 or 404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.conftest import MakeToken, bearer
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    CaseFactory,
    HelpRequestFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    running_group,
)


def _case(station: Any) -> tuple[str, str]:
    case = CaseFactory(service_user__unit=station)
    return f"/cases/{case.id}", f"/api/v1/cases/{case.id}"


def _person(station: Any) -> tuple[str, str]:
    person = CaseFactory(service_user__unit=station).service_user
    return f"/people/{person.id}", f"/api/v1/people/{person.id}"


def _help_request(station: Any) -> tuple[str, str]:
    request = HelpRequestFactory(unit=station)
    return f"/requests/{request.id}", f"/api/v1/help-requests/{request.id}"


def _group(station: Any) -> tuple[str, str]:
    group = running_group(members=1, unit=station)
    return f"/groups/{group.id}", f"/api/v1/groups/{group.id}"


RECORDS: dict[str, Callable[[Any], tuple[str, str]]] = {
    "case": _case,
    "person": _person,
    "help_request": _help_request,
    "group": _group,
}

ROLES: dict[str, Callable[[Any], Any]] = {
    "worker_here": lambda station: WorkerFactory(unit=station),
    "head_here": lambda station: StationHeadFactory(unit=station),
    "tutor_here": lambda station: TutorFactory(supervised_units=[station]),
    "worker_elsewhere": lambda _station: WorkerFactory(),
    "head_elsewhere": lambda _station: StationHeadFactory(),
    "tutor_elsewhere": lambda _station: TutorFactory(),
    "bureau": lambda station: BureauViewerFactory(unit=station.parent.parent),
    "admin": lambda _station: AdminFactory(),
}


@pytest.mark.parametrize("record", list(RECORDS))
@pytest.mark.parametrize("role", list(ROLES))
def test_the_api_answers_as_the_page_does(
    client: FlaskClient,
    login: Login,
    make_token: MakeToken,
    station: Any,
    role: str,
    record: str,
) -> None:
    page_url, api_url = RECORDS[record](station)
    user = ROLES[role](station)
    secret = make_token(user)
    login(user)
    page = client.get(page_url).status_code
    client.post("/logout")
    assert client.get(api_url, headers=bearer(secret)).status_code == page
