"""The demo casework: every state and domain, valid data, and the reminders it should set off."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from casework.accounts.models import Role, User
from casework.cases.enums import CaseStatus, ClosureType, ServiceForm, TransferStatus
from casework.cases.models import (
    COMMUNITY_DOMAINS,
    INACTIVE_STATUSES,
    Case,
    CaseTransfer,
    FollowUp,
    Referral,
    ServiceRecord,
    SupervisorComment,
)
from casework.core.clock import local_today
from casework.extensions import db
from casework.orgs.models import Unit
from casework.people import idcard
from casework.people.models import FileRequest, FileRequestStatus, Household, ServiceUser
from tests.demo.conftest import Seeded


def _cases() -> list[Case]:
    return list(db.session.scalars(select(Case)))


def test_seeding_loads_the_casework_in_one_run(seeded: Seeded) -> None:
    assert seeded.result.exit_code == 0, seeded.result.output
    assert "demo data loaded" in seeded.result.output
    assert db.session.scalar(select(func.count(Case.id))) >= 30
    assert db.session.scalar(select(func.count(ServiceUser.id))) >= 36


def test_every_case_status_occurs(seeded: Seeded) -> None:
    assert {case.status for case in _cases()} == set(CaseStatus)


def test_every_community_domain_occurs(seeded: Seeded) -> None:
    assert {case.domain for case in _cases()} >= set(COMMUNITY_DOMAINS)


def test_every_service_form_occurs(seeded: Seeded) -> None:
    forms = set(db.session.scalars(select(ServiceRecord.form)))
    assert forms == set(ServiceForm)


def test_every_closure_type_occurs(seeded: Seeded) -> None:
    types = {case.closure.closure_type for case in _cases() if case.closure is not None}
    assert types == set(ClosureType)


def test_every_id_number_is_valid(seeded: Seeded) -> None:
    people = list(db.session.scalars(select(ServiceUser)))
    assert people
    for person in people:
        assert person.id_number is not None
        assert idcard.is_valid(person.id_number), person.id_number
        assert person.id_number.startswith("2201")
        assert idcard.birth_date_of(person.id_number) == person.birth_date


def test_every_person_has_recorded_consent(seeded: Seeded) -> None:
    people = list(db.session.scalars(select(ServiceUser)))
    assert all(person.has_consent for person in people)


def test_no_service_date_is_in_the_future(seeded: Seeded) -> None:
    latest = db.session.scalar(select(func.max(ServiceRecord.served_on)))
    assert latest is not None
    assert latest <= local_today()


def test_no_follow_up_or_referral_date_is_in_the_future(seeded: Seeded) -> None:
    today = local_today()
    assert db.session.scalar(select(func.max(FollowUp.followed_on))) <= today
    assert db.session.scalar(select(func.max(Referral.referred_on))) <= today
    assert db.session.scalar(select(func.max(Referral.outcome_on))) <= today


def test_station_two_cases_belong_to_worker3_only(seeded: Seeded) -> None:
    station2 = db.session.scalar(select(Unit).where(Unit.code == "CC-CQ-XJ"))
    cases = [case for case in _cases() if case.unit_id == station2.id]
    assert cases
    assert {case.worker.username for case in cases} == {"worker3"}


def test_cases_are_at_stations_one_and_two(seeded: Seeded) -> None:
    assert {case.unit.code for case in _cases()} == {"CC-CQ-HX", "CC-CQ-XJ"}


def test_tutor_comments_exist(seeded: Seeded) -> None:
    comments = list(db.session.scalars(select(SupervisorComment)))
    assert len(comments) >= 5
    assert {comment.author.role for comment in comments} == {Role.TUTOR}
    assert {"service_record", "plan", "case"} <= {comment.subject_type for comment in comments}


def test_case_numbers_count_up_with_the_opening_date(seeded: Seeded) -> None:
    for unit_id in {case.unit_id for case in _cases()}:
        cases = sorted((c for c in _cases() if c.unit_id == unit_id), key=lambda c: c.sequence)
        assert [case.opened_on for case in cases] == sorted(case.opened_on for case in cases)


def test_a_case_has_its_plan_review_date_passed(seeded: Seeded) -> None:
    today = local_today()
    overdue = [
        case
        for case in _cases()
        if case.is_active and case.plan_review_due and case.plan_review_due < today
    ]
    assert len(overdue) == 1


def test_a_follow_up_is_due(seeded: Seeded) -> None:
    today = local_today()
    due = [case for case in _cases() if case.follow_up_due and case.follow_up_due <= today]
    assert {case.status for case in due} <= {CaseStatus.CLOSED, CaseStatus.FOLLOW_UP}
    assert due


def test_one_active_case_has_had_no_service_for_a_month(seeded: Seeded) -> None:
    month_ago = local_today() - timedelta(days=30)
    working = set(CaseStatus) - set(INACTIVE_STATUSES) - {CaseStatus.INTAKE, CaseStatus.FOLLOW_UP}
    quiet = [
        case
        for case in _cases()
        if case.status in working and case.last_service_on and case.last_service_on < month_ago
    ]
    assert [case.status for case in quiet] == [CaseStatus.INTERVENTION]


def test_high_risk_cases_exist(seeded: Seeded) -> None:
    assert sum(case.risk_level.value == "high" for case in _cases()) >= 3


def test_demo_workers_are_the_responsible_workers(seeded: Seeded) -> None:
    workers = {case.worker.username for case in _cases()}
    assert workers == {"worker1", "worker2", "worker3"}
    assert all(
        user.role is Role.SOCIAL_WORKER
        for user in db.session.scalars(select(User).where(User.username.in_(workers)))
    )


def test_a_transfer_waits_for_the_head_of_west_liberation(seeded: Seeded) -> None:
    transfer = db.session.scalars(select(CaseTransfer)).one()
    head2 = db.session.scalars(select(User).where(User.username == "head2")).one()
    assert (transfer.status, transfer.to_unit_id) == (TransferStatus.PENDING, head2.unit_id)


def test_a_file_request_from_west_liberation_waits_for_lake_west(seeded: Seeded) -> None:
    request = db.session.scalars(select(FileRequest)).one()
    head1 = db.session.scalars(select(User).where(User.username == "head1")).one()
    assert (request.status, request.to_unit_id) == (FileRequestStatus.PENDING, head1.unit_id)


def test_a_household_holds_a_child_with_a_case_and_her_grandmother(seeded: Seeded) -> None:
    household = db.session.scalars(select(Household)).one()
    members = {place.person.name: place.relationship_to_head for place in household.members}
    assert members == {"李桂兰": "户主", "李梓涵": "孙子女"}


def test_referrals_within_the_organisation_were_answered_by_the_receiver(seeded: Seeded) -> None:
    answered = db.session.scalars(select(Referral).where(Referral.to_unit_id.is_not(None))).all()
    assert answered
    assert all(referral.responded_by_id is not None for referral in answered)
