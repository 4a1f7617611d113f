"""The case pages: opening a case, the lifecycle through the UI, comments, reminders."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient

from casework.cases.enums import CaseStatus
from casework.cases.models import Case
from casework.core.clock import local_today
from casework.extensions import db
from tests.audit_helpers import shown_to
from tests.conftest import Login
from tests.factories import (
    CaseFactory,
    ServiceUserFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    advance_case,
)


def _reload(case: Case) -> Case:
    db.session.expire_all()
    reloaded = db.session.get(Case, case.id)
    assert reloaded is not None
    return reloaded


def test_worker_opens_a_case_with_a_readable_number(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    response = client.post(
        f"/cases/new/{person.id}",
        data={
            "summary": "低保家庭子女学业困难",
            "domain": "community_education",
            "problems": ["education"],
            "source": "walk_in",
            "risk_level": "low",
            "worker_id": worker.id,
            "tutor_id": 0,
        },
    )
    case = db.session.scalars(db.select(Case)).one()
    assert response.headers["Location"] == f"/cases/{case.id}/intake"
    assert case.number == f"{worker.unit.code}-{local_today().year}-0001"
    assert case.status is CaseStatus.INTAKE


def test_opening_a_case_without_problem_category_keeps_input(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    response = client.post(
        f"/cases/new/{person.id}",
        data={
            "summary": "保留的概况",
            "domain": "social_aid",
            "source": "walk_in",
            "risk_level": "low",
            "worker_id": worker.id,
            "tutor_id": 0,
        },
    )
    assert response.status_code == 422
    assert "保留的概况" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


def test_refused_step_shows_a_clear_message(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    login(case.worker)
    response = client.post(f"/cases/{case.id}/steps/accept", follow_redirects=True)
    assert "请先填写接案登记表" in response.get_data(as_text=True)
    assert _reload(case).status is CaseStatus.INTAKE


def test_step_from_the_wrong_state_is_refused(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    login(case.worker)
    response = client.post(f"/cases/{case.id}/steps/start_evaluation", follow_redirects=True)
    assert "不能执行“开始评估”" in response.get_data(as_text=True)
    assert _reload(case).status is CaseStatus.INTAKE


def test_tutor_approves_the_plan_from_the_case_page(client: FlaskClient, login: Login) -> None:
    case = advance_case(CaseFactory(), CaseStatus.PLAN_PENDING_APPROVAL)
    login(TutorFactory(supervised_units=[case.unit]))
    client.post(f"/cases/{case.id}/steps/approve_plan")
    assert _reload(case).status is CaseStatus.INTERVENTION


def test_tutor_returns_the_plan_with_a_comment(client: FlaskClient, login: Login) -> None:
    case = advance_case(CaseFactory(), CaseStatus.PLAN_PENDING_APPROVAL)
    login(TutorFactory(supervised_units=[case.unit]))
    client.post(f"/cases/{case.id}/steps/return_plan", data={"reason": "目标需要可衡量"})
    body = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert _reload(case).status is CaseStatus.PLANNING
    assert "目标需要可衡量" in body


def test_tutor_comments_on_a_service_record(client: FlaskClient, login: Login) -> None:
    case = advance_case(CaseFactory(), CaseStatus.EVALUATION)
    record = case.service_records[0]
    login(TutorFactory(supervised_units=[case.unit]))
    client.post(
        f"/cases/{case.id}/comments",
        data={"subject_type": "service_record", "subject_id": record.id, "body": "注意安全"},
    )
    assert "注意安全" in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_worker_cannot_comment_as_tutor(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    login(case.worker)
    response = client.post(
        f"/cases/{case.id}/comments", data={"subject_type": "case", "body": "我自己的意见"}
    )
    assert response.status_code == 403


def test_service_record_in_the_future_is_refused(client: FlaskClient, login: Login) -> None:
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    login(case.worker)
    response = client.post(
        f"/cases/{case.id}/records/new",
        data={
            "served_on": (local_today() + timedelta(days=3)).isoformat(),
            "form": "interview",
            "duration_minutes": 30,
            "content": "未来的记录",
        },
    )
    assert response.status_code == 422
    assert "未来的记录" in response.get_data(as_text=True)


def test_viewing_a_case_is_audited(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    login(case.worker)
    client.get(f"/cases/{case.id}")
    assert ("cases", case.id, case.unit_id) in shown_to(case.worker_id)


def test_station_head_finds_the_audit_entry_of_a_person_view(
    client: FlaskClient, login: Login
) -> None:
    case = CaseFactory()
    head = StationHeadFactory(unit=case.unit)
    login(case.worker)
    client.get(f"/people/{case.service_user_id}")
    client.post("/logout")
    login(head)
    body = client.get(
        "/audit/",
        query_string={"object_type": "service_users", "object_id": case.service_user_id},
    ).get_data(as_text=True)
    assert "查看个人信息" in body
    assert case.worker.display_name in body


def test_station_head_does_not_see_another_units_audit_entries(
    client: FlaskClient, login: Login
) -> None:
    case = CaseFactory()
    login(case.worker)
    client.get(f"/people/{case.service_user_id}")
    client.post("/logout")
    login(StationHeadFactory())
    body = client.get("/audit/").get_data(as_text=True)
    assert "查看服务对象" not in body


def test_worker_may_not_read_the_audit_log(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    assert client.get("/audit/").status_code == 403


def test_home_page_reminds_of_cases_without_service(client: FlaskClient, login: Login) -> None:
    case = advance_case(
        CaseFactory(opened_on=local_today() - timedelta(days=60)), CaseStatus.ASSESSMENT
    )
    login(case.worker)
    body = client.get("/").get_data(as_text=True)
    assert "超过 30 天没有服务记录" in body
    assert case.number in body


def test_home_page_reminds_of_follow_up_due(client: FlaskClient, login: Login) -> None:
    case = advance_case(CaseFactory(), CaseStatus.CLOSED)
    case.follow_up_due = local_today() - timedelta(days=1)
    db.session.commit()
    login(case.worker)
    body = client.get("/").get_data(as_text=True)
    assert "回访已到期" in body
    assert case.number in body


def test_tutor_home_lists_plans_awaiting_approval(client: FlaskClient, login: Login) -> None:
    case = advance_case(CaseFactory(), CaseStatus.PLAN_PENDING_APPROVAL)
    login(TutorFactory(supervised_units=[case.unit]))
    body = client.get("/").get_data(as_text=True)
    assert case.number in body
    assert "服务计划书" in body


def test_caseload_filters_by_status(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    intake = CaseFactory(worker=worker, service_user=ServiceUserFactory(unit=worker.unit))
    assessed = advance_case(
        CaseFactory(worker=worker, service_user=ServiceUserFactory(unit=worker.unit)),
        CaseStatus.ASSESSMENT,
    )
    login(worker)
    body = client.get("/cases/", query_string={"status": "assessment"}).get_data(as_text=True)
    assert assessed.number in body
    assert intake.number not in body


def test_my_cases_lists_only_the_workers_own(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    mine = CaseFactory(worker=worker, service_user=ServiceUserFactory(unit=worker.unit))
    colleagues = CaseFactory(service_user=ServiceUserFactory(unit=worker.unit))
    login(worker)
    body = client.get("/cases/mine").get_data(as_text=True)
    assert mine.number in body
    assert colleagues.number not in body


def test_head_reassigns_a_case(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    head = StationHeadFactory(unit=case.unit)
    other = WorkerFactory(unit=case.unit)
    login(head)
    client.post(f"/cases/{case.id}/assign", data={"worker_id": other.id, "tutor_id": 0})
    assert _reload(case).worker_id == other.id


def test_caseload_pages_beyond_the_first(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    for _index in range(26):
        CaseFactory(worker=worker, service_user=ServiceUserFactory(unit=worker.unit))
    login(worker)
    first = client.get("/cases/").get_data(as_text=True)
    second = client.get("/cases/", query_string={"page": 2})
    assert "第 1 / 2 页" in first
    assert second.status_code == 200
    assert "第 2 / 2 页" in second.get_data(as_text=True)


def test_caseload_shows_only_open_cases_when_asked(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    active = CaseFactory(worker=worker, service_user=ServiceUserFactory(unit=worker.unit))
    closed = advance_case(
        CaseFactory(worker=worker, service_user=ServiceUserFactory(unit=worker.unit)),
        CaseStatus.CLOSED,
    )
    login(worker)
    body = client.get("/cases/", query_string={"open": "1"}).get_data(as_text=True)
    assert active.number in body
    assert closed.number not in body


def test_open_case_form_preselects_the_stations_only_tutor(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    tutor = TutorFactory(supervised_units=[worker.unit])
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    html = client.get(f"/cases/new/{person.id}").get_data(as_text=True)
    assert f'<option selected value="{tutor.id}">' in html


def test_open_case_form_leaves_domain_and_risk_for_the_worker_to_choose(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    response = client.post(
        f"/cases/new/{person.id}",
        data={
            "summary": "独居老人生活困难",
            "domain": "",
            "problems": ["livelihood"],
            "source": "walk_in",
            "risk_level": "",
            "worker_id": worker.id,
            "tutor_id": 0,
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请选择服务领域" in html
    assert "请选择风险等级" in html


def test_caseload_open_filter_leaves_out_cases_in_follow_up(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    following_up = advance_case(
        CaseFactory(worker=worker, service_user=ServiceUserFactory(unit=worker.unit)),
        CaseStatus.FOLLOW_UP,
    )
    login(worker)
    body = client.get("/cases/", query_string={"open": "1"}).get_data(as_text=True)
    assert following_up.number not in body
