"""Case services: numbering, which records may be written when, and their rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from casework.cases import records as case_records
from casework.cases import services
from casework.cases.enums import Attainment, CaseStatus, ClosureType, ReferralOutcome, ServiceForm
from casework.cases.lifecycle import RECORD_STATES
from casework.cases.models import Case, SupervisorComment
from casework.cases.permissions import cases_visible_to
from casework.core.clock import local_today
from casework.core.models import utcnow
from casework.extensions import db
from casework.orgs.models import Unit
from tests.factories import (
    AdminFactory,
    CaseFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    advance_case,
    assessment_details,
)

STATUS_ORDER = list(CaseStatus)


@pytest.fixture(autouse=True)
def request_context(app: Flask) -> Iterator[None]:
    """Services run inside a request: outside one, rendering a CaseRuleError message fails."""
    with app.test_request_context():
        yield


def case_in(status: CaseStatus) -> Case:
    """A case opened a month ago, now in ``status``, reached along the normal path."""
    case = CaseFactory(opened_on=local_today() - timedelta(days=30))
    if status is CaseStatus.DECLINED:
        services.take_step(case, "decline", actor=case.worker, reason="不在服务范围内")
    elif status is CaseStatus.REOPENED:
        advance_case(case, CaseStatus.CLOSED)
        services.take_step(case, "reopen", actor=case.worker, reason="服务对象再次求助")
    else:
        advance_case(case, status)
    db.session.commit()
    return case


def opened(unit: Unit, on: date) -> Case:
    return CaseFactory(service_user=ServiceUserFactory(unit=unit), opened_on=on)


# --- case numbers ------------------------------------------------------------------------


def test_case_number_is_unit_code_year_and_four_digit_sequence(app: Flask) -> None:
    station = StationFactory(code="CC-NG-01")
    case = opened(station, date(2026, 3, 1))
    assert case.number == "CC-NG-01-2026-0001"
    assert (case.year, case.sequence) == (2026, 1)


def test_case_numbers_count_up_within_a_unit_and_year(app: Flask) -> None:
    station = StationFactory()
    numbers = [opened(station, date(2026, month, 1)).number for month in (1, 2, 3)]
    assert numbers == [f"{station.code}-2026-{n:04d}" for n in (1, 2, 3)]


def test_each_unit_has_its_own_sequence(app: Flask) -> None:
    first, second = StationFactory(), StationFactory()
    numbers = [
        opened(first, date(2026, 1, 5)).number,
        opened(second, date(2026, 1, 6)).number,
        opened(first, date(2026, 1, 7)).number,
        opened(second, date(2026, 1, 8)).number,
    ]
    assert numbers == [
        f"{first.code}-2026-0001",
        f"{second.code}-2026-0001",
        f"{first.code}-2026-0002",
        f"{second.code}-2026-0002",
    ]


def test_each_year_starts_a_new_sequence(app: Flask) -> None:
    first, second = StationFactory(), StationFactory()
    numbers = [
        opened(first, date(2025, 12, 30)).number,
        opened(first, date(2025, 12, 31)).number,
        opened(first, date(2026, 1, 2)).number,
        opened(second, date(2026, 1, 3)).number,
        opened(first, date(2025, 6, 1)).number,  # a late entry for last year continues it
    ]
    assert numbers == [
        f"{first.code}-2025-0001",
        f"{first.code}-2025-0002",
        f"{first.code}-2026-0001",
        f"{second.code}-2026-0001",
        f"{first.code}-2025-0003",
    ]


def test_next_case_number_reserves_a_new_number_each_call(app: Flask) -> None:
    station = StationFactory(code="CC-NG-02")
    first = services.next_case_number(station, 2027)
    second = services.next_case_number(station, 2027)
    db.session.commit()
    assert (first, second) == ((1, "CC-NG-02-2027-0001"), (2, "CC-NG-02-2027-0002"))


def test_case_is_opened_at_intake_in_the_person_s_unit(app: Flask) -> None:
    person = ServiceUserFactory()
    case = CaseFactory(service_user=person)
    assert case.status is CaseStatus.INTAKE
    assert case.unit_id == person.unit_id
    assert case.opened_on == local_today()


# --- which records may be written in which states ---------------------------------------


def write_intake(case: Case) -> None:
    case_records.save_intake(
        actor=case.worker,
        case=case,
        presenting_problem="独居，行动不便",
        arrival="本人来访",
        first_judgement="符合接案条件",
        agreement_signed=False,
        agreement_signed_on=None,
    )


def write_assessment(case: Case) -> None:
    case_records.save_assessment(
        actor=case.worker,
        case=case,
        details=assessment_details(),
    )


def goal(description: str) -> case_records.GoalDetails:
    return case_records.GoalDetails(
        description=description,
        indicator="每周 5 次",
        actions="联系养老服务中心",
        responsible="社工",
        due_on=local_today() + timedelta(days=30),
    )


def write_plan(case: Case) -> None:
    case_records.save_plan(
        actor=case.worker,
        case=case,
        overall_goal="恢复生活自理",
        review_due=local_today() + timedelta(days=60),
        goals=[goal("链接助餐服务")],
    )


def write_service_record(case: Case, served_on: date | None = None) -> None:
    case_records.add_service_record(
        actor=case.worker,
        case=case,
        served_on=served_on or local_today(),
        form=ServiceForm.INTERVIEW,
        duration_minutes=45,
        content="面谈，了解近况",
        response="情绪平稳",
        next_step="一周后家访",
    )


def write_referral(case: Case) -> None:
    services.add_referral(
        actor=case.worker,
        case=case,
        referred_on=local_today(),
        to_unit=None,
        to_agency="区残疾人联合会",
        reason="申请康复辅具",
    )


def write_evaluation(case: Case) -> None:
    plan = case.approved_plan
    goals = plan.goals if plan else []
    case_records.save_evaluation(
        actor=case.worker,
        case=case,
        client_view="满意",
        satisfaction=4,
        summary="目标基本达成",
        results={g.id: (Attainment.MOSTLY_MET, "") for g in goals},
    )


def write_closure(case: Case) -> None:
    case_records.save_closure_report(
        actor=case.worker,
        case=case,
        closure_type=ClosureType.WITHDREW,
        summary="服务对象搬离本社区",
        follow_up_plan="",
        follow_up_due=None,
    )


def write_follow_up(case: Case) -> None:
    case_records.add_follow_up(
        actor=case.worker,
        case=case,
        followed_on=local_today(),
        form=ServiceForm.PHONE,
        content="电话回访",
        next_due=None,
    )


WRITERS: dict[str, Callable[[Case], None]] = {
    "intake": write_intake,
    "assessment": write_assessment,
    "plan": write_plan,
    "service_record": write_service_record,
    "referral": write_referral,
    "evaluation": write_evaluation,
    "closure": write_closure,
    "follow_up": write_follow_up,
}

WRITABLE = [
    (kind, status)
    for kind, states in RECORD_STATES.items()
    for status in STATUS_ORDER
    if status in states
]
NOT_WRITABLE = [
    (kind, status)
    for kind, states in RECORD_STATES.items()
    for status in STATUS_ORDER
    if status not in states
]


S = CaseStatus
OPEN_WORK = {S.ASSESSMENT, S.PLANNING, S.PLAN_PENDING_APPROVAL, S.INTERVENTION, S.EVALUATION}
# Written out by hand, so that a change to RECORD_STATES has to change this too.
EXPECTED_RECORD_STATES = {
    "intake": {S.INTAKE},
    "assessment": {S.ASSESSMENT, S.PLANNING},
    "plan": {S.PLANNING},
    "service_record": OPEN_WORK | {S.CLOSURE_PENDING_APPROVAL, S.REOPENED},
    "referral": OPEN_WORK | {S.INTAKE, S.REOPENED},
    "evaluation": {S.EVALUATION},
    "closure": {S.ASSESSMENT, S.PLANNING, S.INTERVENTION, S.EVALUATION},
    "follow_up": {S.CLOSED, S.FOLLOW_UP},
}


def test_record_states_are_the_casework_process() -> None:
    assert {kind: set(states) for kind, states in RECORD_STATES.items()} == (EXPECTED_RECORD_STATES)


def test_every_record_kind_has_a_writer() -> None:
    assert set(WRITERS) == set(RECORD_STATES)


@pytest.mark.parametrize(("kind", "status"), NOT_WRITABLE)
def test_record_is_refused_in_a_state_that_does_not_allow_it(
    app: Flask, kind: str, status: CaseStatus
) -> None:
    case = case_in(status)
    with pytest.raises(services.CaseRuleError, match="不能填写此记录"):
        WRITERS[kind](case)
    assert case.status is status


@pytest.mark.parametrize(("kind", "status"), WRITABLE)
def test_record_is_accepted_in_a_state_that_allows_it(
    app: Flask, kind: str, status: CaseStatus
) -> None:
    case = case_in(status)
    WRITERS[kind](case)
    db.session.commit()
    expected = {
        "intake": lambda: case.intake is not None,
        "assessment": lambda: case.assessment is not None,
        "plan": lambda: len(case.plans) >= 1,
        "service_record": lambda: len(case.service_records) >= 1,
        "referral": lambda: len(case.referrals) == 1,
        "evaluation": lambda: case.evaluation is not None,
        "closure": lambda: case.closure is not None,
        "follow_up": lambda: len(case.follow_ups) >= 1,
    }[kind]
    assert expected()


def test_service_record_dated_in_the_future_is_refused(app: Flask) -> None:
    case = case_in(CaseStatus.INTERVENTION)
    tomorrow = local_today() + timedelta(days=1)
    with pytest.raises(services.CaseRuleError, match="服务日期"):
        write_service_record(case, served_on=tomorrow)
    assert case.service_records == []
    assert case.last_service_on is None


def test_service_record_keeps_the_latest_service_date(app: Flask) -> None:
    case = case_in(CaseStatus.INTERVENTION)
    write_service_record(case, served_on=local_today() - timedelta(days=3))
    write_service_record(case, served_on=local_today() - timedelta(days=10))
    db.session.commit()
    assert case.last_service_on == local_today() - timedelta(days=3)


def test_referral_needs_a_destination(app: Flask) -> None:
    case = case_in(CaseStatus.INTERVENTION)
    with pytest.raises(services.CaseRuleError, match="转介"):
        services.add_referral(
            actor=case.worker,
            case=case,
            referred_on=local_today(),
            to_unit=None,
            to_agency="   ",
            reason="申请康复辅具",
        )


def test_intake_with_signed_agreement_needs_its_date(app: Flask) -> None:
    case = CaseFactory()
    with pytest.raises(services.CaseRuleError, match="签署日期"):
        case_records.save_intake(
            actor=case.worker,
            case=case,
            presenting_problem="独居",
            arrival="本人来访",
            first_judgement="符合接案条件",
            agreement_signed=True,
            agreement_signed_on=None,
        )


def test_plan_needs_at_least_one_goal(app: Flask) -> None:
    case = case_in(CaseStatus.PLANNING)
    with pytest.raises(services.CaseRuleError, match="至少需要一个服务目标"):
        case_records.save_plan(
            actor=case.worker,
            case=case,
            overall_goal="恢复生活自理",
            review_due=local_today() + timedelta(days=60),
            goals=[],
        )


# --- evaluation ---------------------------------------------------------------------------


def case_in_evaluation_with_two_goals() -> Case:
    case = case_in(CaseStatus.PLANNING)
    case_records.save_plan(
        actor=case.worker,
        case=case,
        overall_goal="恢复生活自理",
        review_due=local_today() + timedelta(days=60),
        goals=[goal("链接助餐服务"), goal("建立邻里支持")],
    )
    services.take_step(case, "submit_plan", actor=case.worker)
    tutor = TutorFactory(unit=case.unit, supervised_units=[case.unit])
    services.take_step(case, "approve_plan", actor=tutor)
    services.take_step(case, "start_evaluation", actor=case.worker)
    db.session.commit()
    return case


def evaluate(case: Case, results: dict[int, tuple[Attainment, str]], satisfaction: int = 4) -> None:
    case_records.save_evaluation(
        actor=case.worker,
        case=case,
        client_view="满意",
        satisfaction=satisfaction,
        summary="目标基本达成",
        results=results,
    )


def test_evaluation_rating_only_some_goals_is_refused(app: Flask) -> None:
    case = case_in_evaluation_with_two_goals()
    plan = case.approved_plan
    assert plan is not None
    first, _second = plan.goals
    with pytest.raises(services.CaseRuleError, match="每个目标"):
        evaluate(case, {first.id: (Attainment.FULLY_MET, "")})
    assert case.evaluation is None


def test_evaluation_rating_a_goal_outside_the_plan_is_refused(app: Flask) -> None:
    case = case_in_evaluation_with_two_goals()
    other = case_in_evaluation_with_two_goals()
    plan, other_plan = case.approved_plan, other.approved_plan
    assert plan is not None
    assert other_plan is not None
    results = {g.id: (Attainment.FULLY_MET, "") for g in plan.goals}
    results[other_plan.goals[0].id] = (Attainment.NOT_MET, "")
    with pytest.raises(services.CaseRuleError, match="每个目标"):
        evaluate(case, results)


def test_evaluation_rating_every_goal_is_saved(app: Flask) -> None:
    case = case_in_evaluation_with_two_goals()
    plan = case.approved_plan
    assert plan is not None
    first, second = plan.goals
    evaluate(
        case, {first.id: (Attainment.FULLY_MET, "按时助餐"), second.id: (Attainment.NOT_MET, "")}
    )
    db.session.commit()
    assert case.evaluation is not None
    assert [(r.goal_id, r.attainment, r.note) for r in case.evaluation.goal_results] == [
        (first.id, Attainment.FULLY_MET, "按时助餐"),
        (second.id, Attainment.NOT_MET, ""),
    ]


def test_evaluation_saved_again_updates_the_goal_results(app: Flask) -> None:
    case = case_in_evaluation_with_two_goals()
    plan = case.approved_plan
    assert plan is not None
    first, second = plan.goals
    results = {first.id: (Attainment.FULLY_MET, "按时助餐"), second.id: (Attainment.NOT_MET, "")}
    evaluate(case, results)
    db.session.commit()
    evaluate(case, results | {second.id: (Attainment.PARTLY_MET, "邻里探访两次")})
    db.session.commit()
    assert case.evaluation is not None
    assert [(r.goal_id, r.attainment, r.note) for r in case.evaluation.goal_results] == [
        (first.id, Attainment.FULLY_MET, "按时助餐"),
        (second.id, Attainment.PARTLY_MET, "邻里探访两次"),
    ]


@pytest.mark.parametrize("satisfaction", [0, 6])
def test_evaluation_satisfaction_outside_one_to_five_is_refused(
    app: Flask, satisfaction: int
) -> None:
    case = case_in(CaseStatus.EVALUATION)
    plan = case.approved_plan
    assert plan is not None
    with pytest.raises(services.CaseRuleError, match="满意度"):
        evaluate(case, {g.id: (Attainment.FULLY_MET, "") for g in plan.goals}, satisfaction)


# --- comments and assignment --------------------------------------------------------------


def test_comment_on_a_record_of_another_case_is_refused(app: Flask) -> None:
    case = case_in(CaseStatus.EVALUATION)
    other = case_in(CaseStatus.EVALUATION)
    [foreign_record] = other.service_records
    tutor = TutorFactory(unit=case.unit, supervised_units=[case.unit])
    with pytest.raises(services.CaseRuleError, match="督导意见"):
        services.add_comment(
            actor=tutor,
            case=case,
            subject_type="service_record",
            subject_id=foreign_record.id,
            body="请补充服务对象的反应",
        )
    assert db.session.scalars(select(SupervisorComment)).all() == []


def test_comment_on_a_record_of_the_case_is_saved(app: Flask) -> None:
    case = case_in(CaseStatus.EVALUATION)
    [record] = case.service_records
    tutor = TutorFactory(unit=case.unit, supervised_units=[case.unit])
    comment = services.add_comment(
        actor=tutor,
        case=case,
        subject_type="service_record",
        subject_id=record.id,
        body="  请补充服务对象的反应  ",
    )
    db.session.commit()
    assert (comment.case_id, comment.subject_id, comment.author_id, comment.body) == (
        case.id,
        record.id,
        tutor.id,
        "请补充服务对象的反应",
    )


def test_comment_on_an_unknown_kind_of_record_is_refused(app: Flask) -> None:
    case = CaseFactory()
    with pytest.raises(services.CaseRuleError):
        services.add_comment(
            actor=case.worker, case=case, subject_type="users", subject_id=1, body="看一下"
        )


def test_assigning_a_worker_of_another_unit_is_refused(app: Flask) -> None:
    case = CaseFactory()
    original = case.worker
    outsider = WorkerFactory()
    head = StationHeadFactory(unit=case.unit)
    with pytest.raises(services.CaseRuleError, match="本单位"):
        services.assign_case(actor=head, case=case, worker=outsider, tutor=None)
    assert case.worker_id == original.id


def test_assigning_a_worker_of_the_unit_changes_the_worker(app: Flask) -> None:
    case = CaseFactory()
    colleague = WorkerFactory(unit=case.unit)
    tutor = TutorFactory(supervised_units=[case.unit])
    head = StationHeadFactory(unit=case.unit)
    services.assign_case(actor=head, case=case, worker=colleague, tutor=tutor)
    db.session.commit()
    assert (case.worker_id, case.tutor_id) == (colleague.id, tutor.id)


# --- break-glass ---------------------------------------------------------------------------


def test_break_glass_grant_makes_the_case_visible_to_the_admin(app: Flask) -> None:
    case = CaseFactory()
    CaseFactory()  # another case, not granted
    admin = AdminFactory()
    services.grant_break_glass(actor=admin, case=case, reason="投诉调查需要查看")
    db.session.commit()
    assert db.session.scalars(cases_visible_to(admin)).all() == [case]


def test_expired_break_glass_grant_does_not_show_the_case(app: Flask) -> None:
    case = CaseFactory()
    admin = AdminFactory()
    grant = services.grant_break_glass(actor=admin, case=case, reason="投诉调查需要查看")
    grant.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert db.session.scalars(cases_visible_to(admin)).all() == []


def test_break_glass_grant_lasts_thirty_minutes(app: Flask) -> None:
    case = CaseFactory()
    admin = AdminFactory()
    before = utcnow()
    grant = services.grant_break_glass(actor=admin, case=case, reason="投诉调查需要查看")
    after = utcnow()
    assert before + timedelta(minutes=30) <= grant.expires_at <= after + timedelta(minutes=30)


def test_break_glass_grant_needs_a_reason(app: Flask) -> None:
    case = CaseFactory()
    admin = AdminFactory()
    with pytest.raises(services.CaseRuleError, match="原因"):
        services.grant_break_glass(actor=admin, case=case, reason="   ")


def test_service_record_before_the_case_was_opened_is_refused(app: Flask) -> None:
    case = case_in(CaseStatus.INTERVENTION)
    with pytest.raises(services.CaseRuleError, match="开案日期"):
        write_service_record(case, served_on=case.opened_on - timedelta(days=1))


def test_follow_up_in_the_future_is_refused(app: Flask) -> None:
    case = case_in(CaseStatus.CLOSED)
    with pytest.raises(services.CaseRuleError, match="不能晚于今天"):
        case_records.add_follow_up(
            actor=case.worker,
            case=case,
            followed_on=local_today() + timedelta(days=1),
            form=ServiceForm.PHONE,
            content="电话回访",
            next_due=None,
        )


def test_referral_outcome_before_the_referral_is_refused(app: Flask) -> None:
    case = case_in(CaseStatus.INTERVENTION)
    referral = services.add_referral(
        actor=case.worker,
        case=case,
        referred_on=local_today(),
        to_unit=None,
        to_agency="区残联",
        reason="申请康复辅具",
    )
    with pytest.raises(services.CaseRuleError, match="转介结果日期"):
        case_records.record_referral_outcome(
            actor=case.worker,
            referral=referral,
            outcome=ReferralOutcome.ACCEPTED,
            note="",
            on=local_today() - timedelta(days=1),
        )


def test_reopened_case_needs_a_new_closure_report(app: Flask) -> None:
    case = case_in(CaseStatus.REOPENED)
    services.take_step(case, "resume", actor=case.worker)
    with pytest.raises(services.CaseRuleError, match="结案报告"):
        services.take_step(case, "request_closure", actor=case.worker)


def test_reopening_keeps_the_earlier_closure_report(app: Flask) -> None:
    case = case_in(CaseStatus.REOPENED)
    assert case.closure is None
    assert [report.is_superseded for report in case.closure_reports] == [True]


def test_assigning_a_tutor_who_does_not_supervise_the_unit_is_refused(app: Flask) -> None:
    case = CaseFactory()
    outsider = TutorFactory(supervised_units=[StationFactory()])
    with pytest.raises(services.CaseRuleError, match="督导"):
        services.assign_case(actor=case.worker, case=case, worker=case.worker, tutor=outsider)


# --- service records and plan goals --------------------------------------------------------


def _record(case: Case, goals: list[Any]) -> Any:
    return case_records.add_service_record(
        actor=case.worker,
        case=case,
        served_on=local_today(),
        form=ServiceForm.HOME_VISIT,
        duration_minutes=45,
        content="家访，了解助餐情况",
        response="",
        next_step="",
        goals=goals,
    )


def test_a_service_record_is_linked_to_the_goals_it_served(app: Flask) -> None:
    case = case_in_evaluation_with_two_goals()
    plan = case.approved_plan
    assert plan is not None
    record = _record(case, [plan.goals[1]])
    db.session.commit()
    assert [goal.id for goal in record.goals] == [plan.goals[1].id]


def test_a_goal_of_another_case_cannot_be_linked(app: Flask) -> None:
    case = case_in_evaluation_with_two_goals()
    other = case_in_evaluation_with_two_goals()
    plan = other.approved_plan
    assert plan is not None
    with pytest.raises(services.CaseRuleError, match="已批准的服务计划"):
        _record(case, [plan.goals[0]])
