"""The case page as a guided process: the stepper, the next step beside its record, the
reason box only under the step that needs it, and tutor approvals that name the case."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from casework.cases import records as case_records
from casework.cases import services
from casework.cases.enums import AssessmentArea, CaseStatus, NeedLevel
from casework.cases.models import Case, SupervisorComment
from casework.core.clock import local_today
from casework.extensions import db
from tests.conftest import Login
from tests.factories import CaseFactory, TutorFactory, advance_case, assessment_details


def _page(client: FlaskClient, case: Case) -> BeautifulSoup:
    response = client.get(f"/cases/{case.id}")
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_the_stepper_marks_the_current_stage(client: FlaskClient, login: Login) -> None:
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    login(case.worker)
    current = _page(client, case).select_one('#case-stages [aria-current="step"]')
    assert current is not None
    assert "介入服务" in current.get_text()


def test_a_new_case_asks_for_the_intake_record_before_accepting(
    client: FlaskClient, login: Login
) -> None:
    case = CaseFactory()
    login(case.worker)
    page = _page(client, case)
    link = page.select_one("#next-record")
    assert link is not None
    assert link["href"] == f"/cases/{case.id}/intake"
    assert page.select_one('#next-step [data-step="accept"]') is None


def test_with_the_assessment_written_the_next_step_is_to_finish_it(
    client: FlaskClient, login: Login
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.ASSESSMENT)
    case_records.save_assessment(
        actor=case.worker,
        case=case,
        details=assessment_details(),
    )
    db.session.commit()
    login(case.worker)
    button = _page(client, case).select_one('#next-step button[data-step="finish_assessment"]')
    assert button is not None
    assert "btn-primary" in button["class"]
    assert button.get_text(strip=True) == "完成预估，进入服务计划"


def test_the_decline_reason_box_sits_only_under_decline(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    login(case.worker)
    page = _page(client, case)
    reasons = page.select('#next-step textarea[name="reason"]')
    assert [box["id"] for box in reasons] == ["reason-decline"]
    assert page.select_one("#decline textarea#reason-decline") is not None


def test_the_tutor_approves_with_an_optional_comment_and_a_confirmation_naming_the_case(
    client: FlaskClient, login: Login
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.PLAN_PENDING_APPROVAL)
    tutor = TutorFactory(unit=case.unit, supervised_units=[case.unit])
    login(tutor)
    form = _page(client, case).select_one('form[action$="/steps/approve_plan"]')
    assert form is not None
    assert case.number in form["data-confirm"]
    comment = form.select_one("textarea#reason-approve_plan")
    assert comment is not None
    assert not comment.has_attr("required")


def test_the_approval_message_names_the_case(client: FlaskClient, login: Login) -> None:
    case = advance_case(CaseFactory(), CaseStatus.PLAN_PENDING_APPROVAL)
    tutor = TutorFactory(unit=case.unit, supervised_units=[case.unit])
    login(tutor)
    response = client.post(f"/cases/{case.id}/steps/approve_plan", follow_redirects=True)
    assert f"个案 {case.number}：批准服务计划" in response.get_data(as_text=True)


def test_a_comment_given_when_approving_the_closure_is_kept(
    client: FlaskClient, login: Login
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.CLOSURE_PENDING_APPROVAL)
    tutor = TutorFactory(unit=case.unit, supervised_units=[case.unit])
    login(tutor)
    client.post(f"/cases/{case.id}/steps/approve_closure", data={"reason": "结案材料齐全"})
    comment = db.session.scalars(db.select(SupervisorComment)).one()
    assert (comment.subject_type, comment.body) == ("closure", "结案材料齐全")


def test_the_worker_waits_while_the_plan_is_with_the_tutor(
    client: FlaskClient, login: Login
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.PLAN_PENDING_APPROVAL)
    login(case.worker)
    waiting = _page(client, case).select_one("#next-step")
    assert waiting is not None
    assert "等待督导审核" in waiting.get_text()


# --- forms that do not decide for the worker -------------------------------------------------


def test_the_evaluation_form_starts_with_no_rating_chosen(
    client: FlaskClient, login: Login
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.EVALUATION)
    assert case.evaluation is None
    login(case.worker)
    html = client.get(f"/cases/{case.id}/evaluation").get_data(as_text=True)
    selects = BeautifulSoup(html, "html.parser").select(
        'select[name$="attainment"], select[name="satisfaction"]'
    )
    assert len(selects) >= 2
    for select in selects:
        assert [o["value"] for o in select.select("option[selected]")] in ([], [""]), select["name"]


def test_an_evaluation_without_a_satisfaction_rating_is_refused_with_the_input_kept(
    client: FlaskClient, login: Login
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.EVALUATION)
    plan = case.approved_plan
    assert plan is not None
    login(case.worker)
    data = {"client_view": "生活方便多了", "summary": "目标基本达成", "satisfaction": ""}
    for index, goal in enumerate(plan.goals):
        data[f"results-{index}-goal_id"] = str(goal.id)
        data[f"results-{index}-attainment"] = "mostly_met"
    response = client.post(f"/cases/{case.id}/evaluation", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请选择服务对象的满意度" in html
    assert "生活方便多了" in html


def test_the_closure_form_starts_with_no_closure_type_chosen(
    client: FlaskClient, login: Login
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    login(case.worker)
    page = BeautifulSoup(
        client.get(f"/cases/{case.id}/closure").get_data(as_text=True), "html.parser"
    )
    select = page.select_one('select[name="closure_type"]')
    assert select is not None
    assert [o["value"] for o in select.select("option[selected]")] in ([], [""])


# --- the assessment's standard areas ---------------------------------------------------------


def _assessment_form(client: FlaskClient, case: Case) -> BeautifulSoup:
    response = client.get(f"/cases/{case.id}/assessment")
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_the_assessment_asks_for_each_standard_area_with_no_level_chosen(
    client: FlaskClient, login: Login
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.ASSESSMENT)
    login(case.worker)
    page = _assessment_form(client, case)
    areas = [block["data-area"] for block in page.select("#assessment-areas [data-area]")]
    assert areas == [area.value for area in AssessmentArea]
    for select in page.select("#assessment-areas select"):
        assert [o["value"] for o in select.select("option[selected]")] in ([], [""])


def test_an_assessment_leaving_an_area_unrated_is_refused_with_the_input_kept(
    client: FlaskClient, login: Login
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.ASSESSMENT)
    login(case.worker)
    data = {f"{area.value}_level": "mild" for area in AssessmentArea}
    data |= {"legal_level": "", "family_note": "丧偶，独子在外地", "needs": "助餐"}
    data |= {"strengths": "乐观", "risks": "跌倒", "summary": "需要助餐"}
    response = client.post(f"/cases/{case.id}/assessment", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请评定“法律事务与权益”的需要程度" in html
    assert "丧偶，独子在外地" in html


def test_the_rated_areas_show_on_the_case_page(client: FlaskClient, login: Login) -> None:
    case = advance_case(CaseFactory(), CaseStatus.ASSESSMENT)
    details = assessment_details()
    details.areas[AssessmentArea.ECONOMIC] = case_records.AreaFinding(NeedLevel.SEVERE, "低保边缘")
    case_records.save_assessment(actor=case.worker, case=case, details=details)
    db.session.commit()
    login(case.worker)
    table = _page(client, case).select_one("#assessment-areas")
    assert table is not None
    row = next(tr for tr in table.select("tr") if "经济状况" in tr.get_text())
    assert "严重" in row.get_text()
    assert "低保边缘" in row.get_text()


def test_a_new_service_record_offers_the_approved_plans_goals(
    client: FlaskClient, login: Login
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    plan = case.approved_plan
    assert plan is not None
    login(case.worker)
    page = BeautifulSoup(
        client.get(f"/cases/{case.id}/records/new").get_data(as_text=True), "html.parser"
    )
    offered = {int(box["value"]) for box in page.select('input[name="goal_ids"]')}
    assert offered == {goal.id for goal in plan.goals}


def test_the_evaluation_shows_how_many_records_served_each_goal(
    client: FlaskClient, login: Login
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    plan = case.approved_plan
    assert plan is not None
    login(case.worker)
    goal = plan.goals[0]
    client.post(
        f"/cases/{case.id}/records/new",
        data={
            "served_on": local_today().isoformat(),
            "form": "home_visit",
            "duration_minutes": "40",
            "content": "陪同办理助餐卡",
            "goal_ids": [str(goal.id)],
        },
    )
    services.take_step(case, "start_evaluation", actor=case.worker)
    db.session.commit()
    page = BeautifulSoup(
        client.get(f"/cases/{case.id}/evaluation").get_data(as_text=True), "html.parser"
    )
    served = page.select_one(f'[data-served="{goal.id}"]')
    assert served is not None
    assert "1 次" in served.get_text()
