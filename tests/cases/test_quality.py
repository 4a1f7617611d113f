"""Record quality: service records written late (补录), and the completeness of a case file."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from casework.cases import quality, services
from casework.cases import records as case_records
from casework.cases.enums import CaseStatus, ClosureType, ServiceForm
from casework.cases.models import Case, ServiceRecord
from casework.core.clock import local_timezone, local_today
from casework.extensions import db
from casework.groups import services as group_services
from casework.groups.models import Group, GroupSession
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    CaseFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    advance_case,
    running_group,
)


def _case_in_service() -> Case:
    case = CaseFactory(opened_on=local_today() - timedelta(days=20))
    return advance_case(case, CaseStatus.INTERVENTION)


def _record(case: Case, served_on: date) -> ServiceRecord:
    record = case_records.add_service_record(
        actor=case.worker,
        case=case,
        served_on=served_on,
        form=ServiceForm.HOME_VISIT,
        duration_minutes=45,
        content="家访，了解近况",
        response="",
        next_step="",
    )
    db.session.commit()
    return record


def _page(client: FlaskClient, case: Case) -> BeautifulSoup:
    response = client.get(f"/cases/{case.id}")
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_days_late_counts_from_the_service_day(app: Flask) -> None:
    served = date(2026, 11, 30)
    assert quality.days_late(served, datetime(2026, 12, 3, 2, 0, tzinfo=UTC)) == 3


def test_a_record_written_the_next_evening_is_not_late(app: Flask) -> None:
    served = date(2026, 11, 30)
    assert quality.days_late(served, datetime(2026, 12, 1, 13, 0, tzinfo=UTC)) == 0


def test_a_record_entered_three_days_after_the_service_shows_as_late(
    client: FlaskClient, login: Login
) -> None:
    case = _case_in_service()
    record = _record(case, local_today() - timedelta(days=3))
    login(case.worker)
    badge = _page(client, case).select_one(
        f'#service_record-{record.id} [data-late-record="service_record-{record.id}"]'
    )
    assert badge is not None
    assert "补录" in badge.get_text()
    assert "晚于服务日 3 天录入" in badge.get_text()


def test_a_record_written_the_day_after_the_service_is_not_marked(
    client: FlaskClient, login: Login
) -> None:
    case = _case_in_service()
    record = _record(case, local_today() - timedelta(days=1))
    login(case.worker)
    assert _page(client, case).select_one(f"#service_record-{record.id} [data-late-record]") is None


def test_saving_a_late_record_warns_and_still_saves(client: FlaskClient, login: Login) -> None:
    case = _case_in_service()
    login(case.worker)
    served = local_today() - timedelta(days=3)
    response = client.post(
        f"/cases/{case.id}/records/new",
        data={
            "served_on": served.isoformat(),
            "form": ServiceForm.PHONE.value,
            "duration_minutes": "20",
            "content": "电话了解近况",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "此记录晚于服务日 3 天录入，已标记为补录。" in response.get_data(as_text=True)
    assert db.session.scalar(
        db.select(ServiceRecord).where(
            ServiceRecord.case_id == case.id, ServiceRecord.served_on == served
        )
    )


def test_the_form_warns_when_the_chosen_day_is_past_the_deadline(
    client: FlaskClient, login: Login
) -> None:
    case = _case_in_service()
    login(case.worker)
    # Refused for a missing duration: the form shows again with the late warning.
    response = client.post(
        f"/cases/{case.id}/records/new",
        data={
            "served_on": (local_today() - timedelta(days=3)).isoformat(),
            "form": ServiceForm.PHONE.value,
            "content": "电话了解近况",
        },
    )
    assert response.status_code == 422
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    warning = page.select_one("#late-warning")
    assert warning is not None
    assert "d-none" not in warning["class"]


def test_the_form_shows_no_warning_for_today(client: FlaskClient, login: Login) -> None:
    case = _case_in_service()
    login(case.worker)
    page = BeautifulSoup(
        client.get(f"/cases/{case.id}/records/new").get_data(as_text=True), "html.parser"
    )
    warning = page.select_one("#late-warning")
    assert warning is not None
    assert "d-none" in warning["class"]


def _missing(case: Case) -> list[str]:
    return [item.kind for item in quality.completeness(case).missing]


def _expected(case: Case) -> list[str]:
    return [item.kind for item in quality.completeness(case).items]


def test_a_new_case_misses_its_intake_record(app: Flask) -> None:
    case = CaseFactory()
    assert _missing(case) == ["intake"]
    assert quality.completeness(case).score == 0


def test_a_case_in_assessment_misses_only_the_assessment(app: Flask) -> None:
    case = advance_case(CaseFactory(), CaseStatus.ASSESSMENT)
    assert _expected(case) == ["intake", "assessment"]
    assert _missing(case) == ["assessment"]
    assert quality.completeness(case).score == 50


def test_a_plan_waiting_for_approval_misses_the_approval(app: Flask) -> None:
    case = advance_case(CaseFactory(), CaseStatus.PLAN_PENDING_APPROVAL)
    assert _expected(case) == ["intake", "assessment", "plan", "plan_approved"]
    assert _missing(case) == ["plan_approved"]


def test_a_case_in_service_misses_its_first_service_record(app: Flask) -> None:
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    assert _missing(case) == ["service_record"]
    assert quality.completeness(case).score == 80


def test_a_case_in_evaluation_misses_the_evaluation_and_closure_report(app: Flask) -> None:
    case = advance_case(CaseFactory(), CaseStatus.EVALUATION)
    assert _missing(case) == ["evaluation", "closure"]


def test_a_closed_case_with_every_record_is_complete(app: Flask) -> None:
    case = advance_case(CaseFactory(), CaseStatus.CLOSED)
    assert _expected(case) == [
        "intake",
        "assessment",
        "plan",
        "plan_approved",
        "service_record",
        "evaluation",
        "closure",
    ]
    assert quality.completeness(case).score == 100


def test_a_closed_case_misses_the_follow_up_once_it_is_due(app: Flask) -> None:
    case = advance_case(CaseFactory(), CaseStatus.CLOSED)
    assert _missing(case) == []
    later = local_today() + timedelta(days=31)
    assert [item.kind for item in quality.completeness(case, later).missing] == ["follow_up"]


def test_an_early_closure_does_not_expect_an_evaluation(app: Flask) -> None:
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    case_records.save_closure_report(
        actor=case.worker,
        case=case,
        closure_type=ClosureType.WITHDREW,
        summary="服务对象迁居外地",
        follow_up_plan="",
        follow_up_due=None,
    )
    services.take_step(case, "request_closure", actor=case.worker)
    db.session.commit()
    assert _expected(case) == ["intake", "assessment", "plan", "plan_approved", "closure"]


def test_the_worker_sees_the_score_on_the_case_page(client: FlaskClient, login: Login) -> None:
    case = advance_case(CaseFactory(), CaseStatus.ASSESSMENT)
    login(case.worker)
    page = _page(client, case)
    score = page.select_one("#completeness [data-completeness-score]")
    assert score is not None
    assert score.get_text(strip=True) == "50%"
    assert [li["data-missing"] for li in page.select("#completeness-missing li")] == ["assessment"]


def test_the_tutor_sees_the_score(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    tutor = TutorFactory(unit=case.unit, supervised_units=[case.unit])
    login(tutor)
    assert _page(client, case).select_one("#completeness") is not None


@pytest.mark.parametrize("role_factory", [BureauViewerFactory, AdminFactory])
def test_bureau_viewers_and_administrators_cannot_see_a_case_score(
    client: FlaskClient, login: Login, role_factory: type
) -> None:
    case = CaseFactory()
    login(role_factory())
    assert client.get(f"/cases/{case.id}").status_code == 404


def _held_session(group: Group, days_ago: int) -> GroupSession:
    starts = datetime.combine(
        local_today() - timedelta(days=days_ago), time(14, 30), local_timezone()
    )
    session = group_services.schedule_session(
        actor=group.facilitator,
        group=group,
        plan=group_services.SessionPlan(
            starts_at=starts.astimezone(UTC),
            duration_minutes=90,
            place="社区活动室",
            topic="相识与破冰",
            planned_content="自我介绍",
        ),
    )
    db.session.commit()
    return session


def _home_reminders(client: FlaskClient) -> list[str]:
    page = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    return [a["href"] for a in page.select("#sessions-to-record a")]


def test_a_session_held_three_days_ago_without_a_record_reminds_its_facilitator(
    client: FlaskClient, login: Login
) -> None:
    group = running_group(members=1)
    session = _held_session(group, days_ago=3)
    login(group.facilitator)
    assert _home_reminders(client) == [f"/groups/{group.id}/sessions/{session.id}/record"]


def test_a_session_held_yesterday_is_still_within_the_allowance(
    client: FlaskClient, login: Login
) -> None:
    group = running_group(members=1)
    _held_session(group, days_ago=1)
    login(group.facilitator)
    assert _home_reminders(client) == []


def test_a_recorded_session_gives_no_reminder(client: FlaskClient, login: Login) -> None:
    group = running_group(members=1)
    session = _held_session(group, days_ago=3)
    group_services.record_session(
        actor=group.facilitator,
        session=session,
        record=group_services.SessionRecord("破冰游戏，订立契约", "", ""),
    )
    db.session.commit()
    login(group.facilitator)
    assert _home_reminders(client) == []


def test_another_worker_is_not_reminded_of_the_session(client: FlaskClient, login: Login) -> None:
    group = running_group(members=1)
    _held_session(group, days_ago=3)
    login(WorkerFactory(unit=group.unit))
    assert _home_reminders(client) == []


def test_a_station_head_who_leads_the_group_is_reminded(client: FlaskClient, login: Login) -> None:
    unit = StationFactory()
    group = running_group(members=1, unit=unit, facilitator=StationHeadFactory(unit=unit))
    session = _held_session(group, days_ago=3)
    login(group.facilitator)
    assert _home_reminders(client) == [f"/groups/{group.id}/sessions/{session.id}/record"]


def test_a_station_head_is_not_reminded_of_a_workers_session(
    client: FlaskClient, login: Login
) -> None:
    group = running_group(members=1)
    _held_session(group, days_ago=3)
    login(StationHeadFactory(unit=group.unit))
    assert _home_reminders(client) == []
