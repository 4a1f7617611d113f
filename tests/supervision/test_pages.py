"""The supervision pages: the list per role, a record's page, the tutor's form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import func, select

from casework.cases.models import WordingRule
from casework.core.clock import local_today
from casework.extensions import db
from casework.supervision.models import SupervisionSession
from tests.audit_helpers import shown_to
from tests.conftest import Login
from tests.factories import AdminFactory, BureauViewerFactory, StationFactory
from tests.supervision.conftest import Stations, record


def _form(s: Stations, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "held_on": (local_today() - timedelta(days=1)).isoformat(),
        "form": "group",
        "duration_minutes": "120",
        "place": "社工站会议室",
        "worker_ids": [str(s.worker.id), str(s.head.id)],
        "case_ids": [str(s.case.id)],
        "topics": "就业困难个案的介入策略",
        "advice": "链接街道就业服务站",
        "follow_up": "下次督导汇报进展",
    }
    data.update(overrides)
    return data


def _count() -> int:
    return db.session.scalar(select(func.count(SupervisionSession.id))) or 0


# --- the list ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("tutor", True),
        ("worker", True),
        ("head", True),
        ("colleague", False),
        ("other_worker", False),
    ],
)
def test_list_shows_only_the_records_a_role_may_read(
    stations: Stations, client: FlaskClient, login: Login, who: str, sees: bool
) -> None:
    session = record(stations)
    login(getattr(stations, who))
    page = client.get("/supervision/").get_data(as_text=True)
    assert (f'data-record="{session.id}"' in page) is sees


@pytest.mark.parametrize("make_user", [BureauViewerFactory, AdminFactory])
def test_list_is_refused_to_bureau_and_administrators(
    stations: Stations, client: FlaskClient, login: Login, make_user: Any
) -> None:
    login(make_user())
    assert client.get("/supervision/").status_code == 403


def test_list_is_newest_first_and_filtered_by_date(
    stations: Stations, client: FlaskClient, login: Login
) -> None:
    today = local_today()
    old = record(stations, held_on=today - timedelta(days=30))
    new = record(stations, held_on=today)
    login(stations.tutor)
    page = client.get("/supervision/").get_data(as_text=True)
    assert page.index(f'data-record="{new.id}"') < page.index(f'data-record="{old.id}"')
    since = (today - timedelta(days=7)).isoformat()
    filtered = client.get("/supervision/", query_string={"from": since}).get_data(as_text=True)
    assert f'data-record="{new.id}"' in filtered
    assert f'data-record="{old.id}"' not in filtered


def test_list_filters_by_unit(stations: Stations, client: FlaskClient, login: Login) -> None:
    session = record(stations)
    login(stations.tutor)
    other = client.get("/supervision/", query_string={"unit": stations.other.id})
    assert f'data-record="{session.id}"' not in other.get_data(as_text=True)


def test_list_is_paginated(stations: Stations, client: FlaskClient, login: Login) -> None:
    for _index in range(26):
        record(stations)
    login(stations.tutor)
    first = client.get("/supervision/").get_data(as_text=True)
    second = client.get("/supervision/", query_string={"page": 2}).get_data(as_text=True)
    assert first.count("data-record=") == 25
    assert second.count("data-record=") == 1


# --- a record's page ---------------------------------------------------------------------


def test_record_page_is_audited(stations: Stations, client: FlaskClient, login: Login) -> None:
    session = record(stations)
    login(stations.worker)
    page = client.get(f"/supervision/{session.id}").get_data(as_text=True)
    assert f'href="/cases/{stations.case.id}"' in page
    assert ("supervision_sessions", session.id, stations.station.id) in shown_to(stations.worker.id)


@pytest.mark.parametrize("who", ["colleague", "other_worker", "other_head", "other_tutor"])
def test_record_page_is_404_outside_the_scope(
    stations: Stations, client: FlaskClient, login: Login, who: str
) -> None:
    session = record(stations)
    login(getattr(stations, who))
    assert client.get(f"/supervision/{session.id}").status_code == 404


def test_cases_discussed_are_hidden_from_a_reader_who_cannot_open_them(
    stations: Stations, client: FlaskClient, login: Login
) -> None:
    """The tutor no longer supervises the station: the record stays, its cases do not."""
    session = record(stations)
    stations.tutor.supervised_units = [StationFactory()]
    db.session.commit()
    login(stations.tutor)
    response = client.get(f"/supervision/{session.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "先处理就业需求" in page
    assert stations.case.number not in page
    assert stations.case.summary not in page


# --- the tutor's form --------------------------------------------------------------------


def test_tutor_records_a_session_through_the_form(
    stations: Stations, client: FlaskClient, login: Login
) -> None:
    login(stations.tutor)
    form_page = client.get("/supervision/new").get_data(as_text=True)
    # One supervised unit: no unit step. Cases by number and summary, never a name.
    assert stations.case.number in form_page
    assert stations.case.service_user.name not in form_page
    assert stations.other_worker.display_name not in form_page
    response = client.post(f"/supervision/new?unit={stations.station.id}", data=_form(stations))
    session = db.session.scalars(select(SupervisionSession)).one()
    assert response.headers["Location"] == f"/supervision/{session.id}"
    assert session.duration_minutes == 120
    assert {w.id for w in session.workers} == {stations.worker.id, stations.head.id}


def test_a_tutor_of_two_units_chooses_the_unit_first(
    stations: Stations, client: FlaskClient, login: Login
) -> None:
    stations.tutor.supervised_units = [stations.station, stations.other]
    db.session.commit()
    login(stations.tutor)
    chooser = client.get("/supervision/new").get_data(as_text=True)
    assert 'name="unit"' in chooser
    assert 'name="topics"' not in chooser
    form_page = client.get("/supervision/new", query_string={"unit": stations.other.id})
    assert stations.other_worker.display_name in form_page.get_data(as_text=True)


def test_the_form_is_refused_for_a_unit_the_tutor_does_not_supervise(
    stations: Stations, client: FlaskClient, login: Login
) -> None:
    login(stations.other_tutor)
    response = client.post(f"/supervision/new?unit={stations.station.id}", data=_form(stations))
    assert response.status_code == 403
    assert _count() == 0


def test_workers_of_another_unit_are_refused_by_the_form(
    stations: Stations, client: FlaskClient, login: Login
) -> None:
    login(stations.tutor)
    data = _form(stations, worker_ids=[str(stations.worker.id), str(stations.other_worker.id)])
    response = client.post(f"/supervision/new?unit={stations.station.id}", data=data)
    assert response.status_code == 422
    assert _count() == 0


def test_a_future_date_is_refused_and_the_input_kept(
    stations: Stations, client: FlaskClient, login: Login
) -> None:
    login(stations.tutor)
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = client.post(
        f"/supervision/new?unit={stations.station.id}", data=_form(stations, held_on=tomorrow)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "督导日期不能晚于今天" in page
    assert "就业困难个案的介入策略" in page
    assert _count() == 0


@pytest.mark.parametrize("who", ["worker", "head"])
def test_only_tutors_record_sessions(
    stations: Stations, client: FlaskClient, login: Login, who: str
) -> None:
    login(getattr(stations, who))
    assert client.get("/supervision/new").status_code == 403


def test_the_author_edits_a_record(stations: Stations, client: FlaskClient, login: Login) -> None:
    session = record(stations)
    login(stations.tutor)
    assert "先处理就业需求" in client.get(f"/supervision/{session.id}/edit").get_data(as_text=True)
    response = client.post(
        f"/supervision/{session.id}/edit",
        data=_form(stations, advice="先稳定情绪", worker_ids=[str(stations.colleague.id)]),
    )
    assert response.headers["Location"] == f"/supervision/{session.id}"
    db.session.expire_all()
    edited = db.session.get(SupervisionSession, session.id)
    assert edited is not None
    assert edited.advice == "先稳定情绪"
    assert [w.id for w in edited.workers] == [stations.colleague.id]


def test_a_worker_who_was_there_may_read_but_not_edit(
    stations: Stations, client: FlaskClient, login: Login
) -> None:
    session = record(stations)
    login(stations.worker)
    assert client.get(f"/supervision/{session.id}/edit").status_code == 403


def test_another_tutor_cannot_even_find_the_record_to_edit(
    stations: Stations, client: FlaskClient, login: Login
) -> None:
    session = record(stations)
    login(stations.other_tutor)
    assert client.get(f"/supervision/{session.id}/edit").status_code == 404


def test_editing_to_a_future_date_is_refused(
    stations: Stations, client: FlaskClient, login: Login
) -> None:
    session = record(stations)
    login(stations.tutor)
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = client.post(
        f"/supervision/{session.id}/edit", data=_form(stations, held_on=tomorrow)
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(SupervisionSession, session.id).held_on < local_today()  # type: ignore[union-attr]


# --- wording hints (客观记录) ---------------------------------------------------------------


def _wording_rule(word: str = "不配合") -> None:
    db.session.add(WordingRule(word=word, suggestion="写明具体表现", exceptions=""))
    db.session.commit()


def test_the_record_page_hints_at_judgemental_words_in_the_notes(
    stations: Stations, client: FlaskClient, login: Login
) -> None:
    _wording_rule()
    session = record(stations, advice="案主不配合，需耐心")
    login(stations.tutor)
    page = BeautifulSoup(
        client.get(f"/supervision/{session.id}").get_data(as_text=True), "html.parser"
    )
    hint = page.select_one(f'[data-wording-hints="supervision-{session.id}"]')
    assert hint is not None
    assert "督导意见与建议" in hint.get_text()


def test_notes_without_listed_words_carry_no_hint(
    stations: Stations, client: FlaskClient, login: Login
) -> None:
    _wording_rule()
    session = record(stations)
    login(stations.tutor)
    assert "data-wording-hints" not in client.get(f"/supervision/{session.id}").get_data(
        as_text=True
    )


def test_the_form_carries_the_active_words_for_live_hints(
    stations: Stations, client: FlaskClient, login: Login
) -> None:
    _wording_rule()
    login(stations.tutor)
    page = BeautifulSoup(client.get("/supervision/new").get_data(as_text=True), "html.parser")
    holder = page.select_one("#wording-rules")
    assert holder is not None
    assert "不配合" in holder["data-rules"]
    assert page.select_one("form[data-wording-form]") is not None
