"""Retention: past their period, people and help requests are anonymised and counts stay."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from casework import retention
from casework.attachments.models import Attachment
from casework.attachments.services import upload_folder
from casework.cases.enums import CaseStatus, ReferralOutcome
from casework.cases.models import Case, Referral, ServiceRecord
from casework.core.retention_policy import Periods, current_policy, save_policy
from casework.extensions import db
from casework.helpdesk.models import HelpRequest, RequestStatus
from casework.people import services as people_services
from casework.people.models import HouseholdMember, ServiceUser
from casework.reports import statistics
from tests.attachments.helpers import store_on_case
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    HelpRequestFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    WorkerFactory,
)
from tests.search.helpers import add_record, case_in_intervention

LONG_AGO = datetime(2014, 3, 1, tzinfo=UTC)


def _old_closed_case(**person: Any) -> Case:
    """A case closed in 2015 for a person registered in 2014, with a record naming them."""
    station = StationFactory()
    case = case_in_intervention(station, person=ServiceUserFactory(unit=station, **person))
    add_record(case, f"入户走访{case.service_user.name}，了解低保申请情况，电话 13912345678。")
    people_services.add_household_member(
        actor=case.worker,
        person=case.service_user,
        name="王建国",
        relationship="儿子",
        birth_year=1980,
        lives_together=False,
        notes=None,
    )
    case.status = CaseStatus.CLOSED
    case.closed_on = date(2015, 6, 30)
    case.service_user.created_at = LONG_AGO
    db.session.commit()
    return case


def _raw_person(person_id: int) -> Any:
    return db.session.execute(
        text("SELECT name, id_number, phone, address FROM service_users WHERE id = :id"),
        {"id": person_id},
    ).one()


def test_a_person_whose_cases_ended_long_ago_is_anonymised(app: Flask) -> None:
    person_id = _old_closed_case(phone="13912345678").service_user_id
    retention.run(apply=True)
    assert tuple(_raw_person(person_id)) == (retention.ANONYMOUS_NAME, None, None, None)


def test_anonymising_removes_the_household(app: Flask) -> None:
    _old_closed_case()
    retention.run(apply=True)
    assert db.session.scalars(select(HouseholdMember)).all() == []


def test_the_name_and_phone_are_struck_from_the_records(app: Flask) -> None:
    case = _old_closed_case(name="刘桂兰", phone="13912345678")
    retention.run(apply=True)
    db.session.expire_all()
    content = db.session.scalars(
        select(ServiceRecord.content).where(ServiceRecord.case_id == case.id)
    ).one()
    assert ("刘桂兰" in content, "13912345678" in content, "某某" in content) == (
        False,
        False,
        True,
    )


def test_the_search_index_forgets_the_name(app: Flask) -> None:
    case = _old_closed_case(name="刘桂兰")
    retention.run(apply=True)
    tokens = db.session.scalars(text("SELECT tokens FROM search_documents")).all()
    assert [t for t in tokens if "桂兰" in t.split()] == []
    assert case.id  # the case itself stays, for the statistics


def test_a_dry_run_counts_and_changes_nothing(app: Flask) -> None:
    case = _old_closed_case(name="刘桂兰")
    report = retention.run(apply=False)
    assert (report.people, _raw_person(case.service_user_id).name) == (1, "刘桂兰")


def test_a_legal_hold_keeps_the_person(app: Flask) -> None:
    case = _old_closed_case(name="刘桂兰")
    case.service_user.legal_hold = True
    db.session.commit()
    report = retention.run(apply=True)
    assert (report.people_held, _raw_person(case.service_user_id).name) == (1, "刘桂兰")


def test_a_referral_still_waiting_keeps_the_person(app: Flask) -> None:
    case = _old_closed_case(name="刘桂兰")
    db.session.add(
        Referral(
            case_id=case.id,
            referred_on=date(2015, 6, 1),
            to_agency="区法律援助中心",
            reason="法律援助",
            outcome=ReferralOutcome.PENDING,
            author_id=case.worker_id,
        )
    )
    db.session.commit()
    retention.run(apply=True)
    assert _raw_person(case.service_user_id).name == "刘桂兰"


def test_a_person_with_a_recent_case_is_kept(app: Flask) -> None:
    old = _old_closed_case(name="刘桂兰")
    case_in_intervention(old.service_user.unit, person=old.service_user)
    retention.run(apply=True)
    assert _raw_person(old.service_user_id).name == "刘桂兰"


def test_an_ended_help_request_past_its_period_loses_the_callers_details(app: Flask) -> None:
    request = HelpRequestFactory()
    request.status = RequestStatus.CLOSED
    request.updated_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.commit()
    retention.run(apply=True)
    db.session.expire_all()
    stored = db.session.get(HelpRequest, request.id)
    assert (stored.name, stored.phone, stored.description) == (  # type: ignore[union-attr]
        None,
        None,
        retention.REMOVED_TEXT,
    )


def test_an_open_help_request_is_never_touched(app: Flask) -> None:
    request = HelpRequestFactory()
    request.status = RequestStatus.IN_PROGRESS
    request.updated_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.commit()
    retention.run(apply=True)
    db.session.expire_all()
    assert db.session.get(HelpRequest, request.id).name == "李桂芝"  # type: ignore[union-attr]


def test_a_period_shorter_than_the_minimum_is_refused(app: Flask) -> None:
    app.config["RETENTION_CASE_YEARS"] = 2
    with pytest.raises(ValueError, match="at least 5"):
        retention.run(apply=False)


def test_the_command_is_a_dry_run_by_default(app: Flask) -> None:
    case = _old_closed_case(name="刘桂兰")
    result = app.test_cli_runner().invoke(args=["casework", "retention"])
    assert ("dry run" in result.output, _raw_person(case.service_user_id).name) == (
        True,
        "刘桂兰",
    )


# --- on generated data --------------------------------------------------------------------


def _figures(units: list[int]) -> list[Any]:
    return [
        (
            statistics.case_figures(units, start, end),
            statistics.service_figures(units, start, end),
            statistics.group_figures(units, start, end),
            statistics.request_figures(units, start, end, today=date(2026, 11, 1)),
        )
        for start, end in (
            (date(2021, 1, 1), date(2021, 12, 31)),
            (date(2025, 1, 1), date(2025, 12, 31)),
        )
    ]


def test_retention_on_generated_data_leaves_past_statistics_unchanged(
    app: Flask, generated_city: Callable[[], None]
) -> None:
    generated_city()
    app.config.update(RETENTION_CASE_YEARS=5, HELP_RETENTION_YEARS=1)
    units = list(db.session.scalars(select(Case.unit_id).distinct()))
    before = _figures(units)
    report = retention.run(apply=True, today=date(2030, 6, 1))
    db.session.expire_all()
    anonymised = db.session.scalars(
        select(ServiceUser.id).where(ServiceUser.anonymised_at.is_not(None))
    ).all()
    assert (report.people > 0, len(anonymised) == report.people, _figures(units)) == (
        True,
        True,
        before,
    )


@pytest.fixture
def generated_city(app: Flask) -> Callable[[], None]:
    def generate() -> None:
        args = [
            "casework",
            "generate",
            "--scale",
            "station",
            "--seed",
            "5",
            "--as-of",
            "2026-11-01",
        ]
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output

    return generate


# --- the legal hold on the person page ------------------------------------------------------


def test_the_head_holds_a_person_with_a_reason(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory()
    login(StationHeadFactory(unit=person.unit))
    client.post(f"/people/{person.id}/legal-hold", data={"reason": "诉讼中，法院调取材料"})
    db.session.expire_all()
    held = db.session.get(ServiceUser, person.id)
    assert (held.legal_hold, held.legal_hold_reason) == (True, "诉讼中，法院调取材料")  # type: ignore[union-attr]


def test_a_hold_without_a_reason_is_refused(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory()
    login(StationHeadFactory(unit=person.unit))
    client.post(f"/people/{person.id}/legal-hold", data={"reason": " "})
    db.session.expire_all()
    assert db.session.get(ServiceUser, person.id).legal_hold is False  # type: ignore[union-attr]


def test_a_social_worker_cannot_hold_a_person(client: FlaskClient, login: Login) -> None:
    person = ServiceUserFactory()
    login(WorkerFactory(unit=person.unit))
    response = client.post(f"/people/{person.id}/legal-hold", data={"reason": "诉讼"})
    assert response.status_code == 403


def test_the_head_of_another_station_cannot_see_the_person(
    client: FlaskClient, login: Login
) -> None:
    person = ServiceUserFactory()
    login(StationHeadFactory())
    response = client.post(f"/people/{person.id}/legal-hold", data={"reason": "诉讼"})
    assert response.status_code == 404


def test_anonymising_removes_the_persons_attachments_and_files(app: Flask) -> None:
    case = _old_closed_case(name="刘桂兰")
    attachment = store_on_case(case, filename="刘桂兰身份证.pdf")
    path = upload_folder() / attachment.stored_name
    retention.run(apply=True)
    remaining = db.session.scalars(select(Attachment)).all()
    assert (remaining, path.exists()) == ([], False)


def test_a_rolled_back_anonymisation_keeps_the_files(app: Flask) -> None:
    case = _old_closed_case(name="刘桂兰")
    attachment = store_on_case(case)
    path = upload_folder() / attachment.stored_name
    retention.anonymise_person(case.service_user, reason="request", actor_id=None)
    db.session.rollback()
    assert path.exists()


# --- the administrator's periods --------------------------------------------------------------


def test_the_administrator_sets_the_periods(client: FlaskClient, login: Login) -> None:
    login(AdminFactory())
    client.post("/retention/", data={"case_years": "12", "help_years": "4", "audit_days": "400"})
    assert current_policy() == Periods(12, 4, 400)


def test_a_period_below_the_legal_floor_is_refused(client: FlaskClient, login: Login) -> None:
    login(AdminFactory())
    response = client.post(
        "/retention/", data={"case_years": "3", "help_years": "4", "audit_days": "90"}
    )
    page = response.get_data(as_text=True)
    assert (response.status_code, "不能短于法定的最短保存期限（5）" in page) == (422, True)


def test_the_run_follows_the_administrators_periods(app: Flask) -> None:
    case = _old_closed_case(name="刘桂兰")
    save_policy(Periods(20, 3, 400), actor_id=case.worker_id)
    db.session.commit()
    retention.run(apply=True)
    assert _raw_person(case.service_user_id).name == "刘桂兰"  # ended in 2015: within 20 years


def test_the_privacy_notice_states_the_administrators_period(
    client: FlaskClient, app: Flask
) -> None:
    save_policy(Periods(10, 4, 400), actor_id=AdminFactory().id)
    db.session.commit()
    assert "保存 4 年" in client.get("/help/privacy").get_data(as_text=True)


def test_a_station_head_cannot_change_the_periods(client: FlaskClient, login: Login) -> None:
    login(StationHeadFactory())
    assert client.get("/retention/").status_code == 403
