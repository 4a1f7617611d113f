"""Bad input gets a clear error, never a 5xx: huge ids, out-of-range dates, control characters."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.routing import AnyConverter

from casework.core.inputs import IdConverter
from casework.extensions import db
from casework.people.models import ServiceUser
from tests.conftest import Login
from tests.factories import StationFactory, StationHeadFactory, TutorFactory

HUGE = [2**31, 2**63, 10**30]
QUERY_PROBES = {
    "unit": "9223372036854775808",
    "page": "99999999999999999999",
    "after": "9223372036854775808",
    "before": "-9223372036854775809",
    "worker": "2147483648",
    "person": "9223372036854775808",
    "case": "9223372036854775808",
    "plan": "2147483648",
    "actor": "2147483648",
    "object_id": "9223372036854775808",
    "year": "99999",
    "month": "9999-12",
    "week": "9999-W52",
    "start": "9999-12-31",
    "end": "0001-01-01",
}


def _routes(app: Flask, *, with_ids: bool) -> list[tuple[str, Any, list[str]]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        has_ids = any(
            type(converter).__name__ == "IdConverter" for converter in rule._converters.values()
        )
        if has_ids == with_ids:
            routes.append((rule.endpoint, rule, sorted(rule.methods - {"HEAD", "OPTIONS"})))
    return routes


def _value(converter: Any, number: int) -> object:
    """An id for an id, one of the choices for an ``any(...)`` part, else any text."""
    if isinstance(converter, IdConverter):
        return number
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "x"


def _path(rule: Any, number: int) -> str:
    values = {name: _value(converter, number) for name, converter in rule._converters.items()}
    return rule.build(values)[1]


@pytest.mark.parametrize("number", HUGE)
def test_an_id_too_large_for_the_database_is_not_found(
    app: Flask, client: FlaskClient, login: Login, number: int
) -> None:
    head = StationHeadFactory()
    login(head)
    answers = {}
    for endpoint, rule, methods in _routes(app, with_ids=True):
        for method in methods:
            response = client.open(_path(rule, number), method=method, data={})
            answers[f"{method} {endpoint}"] = response.status_code
    assert answers
    assert {name: code for name, code in answers.items() if code >= 500} == {}
    assert all(code in (404, 405) for code in answers.values()), answers


@pytest.mark.parametrize("role", ["head", "tutor"])
def test_query_arguments_out_of_range_never_answer_5xx(
    app: Flask, client: FlaskClient, login: Login, role: str
) -> None:
    head = StationHeadFactory()
    login(head if role == "head" else TutorFactory(supervised_units=[head.unit]))
    failed = {}
    for endpoint, rule, methods in _routes(app, with_ids=False):
        if "GET" not in methods or rule.arguments or endpoint in ("accounts.logout",):
            continue
        response = client.get(rule.rule, query_string=QUERY_PROBES)
        if response.status_code >= 500:
            failed[endpoint] = response.status_code
    assert failed == {}


def test_a_calendar_month_out_of_range_is_refused_with_a_message(
    client: FlaskClient, login: Login
) -> None:
    login(StationHeadFactory())
    response = client.get("/calendar/", query_string={"month": "9999-12"})
    assert response.status_code == 400
    assert "2000 年至 2099 年" in response.get_data(as_text=True)


def test_a_nul_byte_in_a_name_is_refused_and_nothing_is_stored(
    client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    login(head)
    response = client.post(
        "/people/new",
        data={"name": "刘\x00淑珍", "consent_basis": "written", "consent_given_on": "2026-11-20"},
    )
    assert response.status_code == 422
    assert "控制字符" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ServiceUser.id))) == 0


def test_a_date_far_in_the_future_is_refused_with_a_message(
    client: FlaskClient, login: Login
) -> None:
    login(StationHeadFactory())
    response = client.post(
        "/people/new",
        data={"name": "刘淑珍", "consent_basis": "written", "consent_given_on": "9999-12-31"},
    )
    assert response.status_code == 422
    assert "1900 年至 2099 年" in response.get_data(as_text=True)


def test_the_public_form_refuses_control_characters(client: FlaskClient) -> None:
    station = StationFactory()
    response = client.post(
        "/help",
        data={
            "station": str(station.id),
            "category": "livelihood",
            "description": "家里\x1b[31m老人需要照顾",
            "contact_preference": "online_only",
            "consent": "y",
        },
    )
    assert response.status_code == 422
    assert "控制字符" in response.get_data(as_text=True)
