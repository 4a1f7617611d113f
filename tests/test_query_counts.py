"""Query discipline: the main pages issue a fixed number of SQL statements.

Each scene signs a user in, builds a page with a few rows of related data, counts the
statements the page issues, adds twice as many rows again and counts once more. The count
must not grow with the rows (no N+1) and must stay under the page's budget. The related
rows are spread over different staff, people and units on purpose, so a lazy load per row
cannot hide behind the session's identity map.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, update

from casework.accounts.models import User
from casework.activities import services as activity_services
from casework.attachments.models import Attachment
from casework.cases import records as case_records
from casework.cases import services as case_services
from casework.cases.enums import CaseStatus, RiskLevel, ServiceDomain, ServiceForm
from casework.cases.models import Case, CaseTransition
from casework.core import audit
from casework.core.clock import local_today
from casework.dashboards import displays
from casework.evidence import services as evidence_services
from casework.extensions import db
from casework.groups import services as group_services
from casework.groups.models import AttendanceStatus, Group, GroupSession
from casework.helpdesk import services as helpdesk_services
from casework.helpdesk.models import HelpRequest
from casework.orgs.models import Unit
from casework.people import services as people_services
from casework.pilot import services as pilot_services
from casework.pilot.models import PilotKind
from casework.projects.models import DeliverableKind
from casework.reports.periods import Period
from casework.supervision import services as supervision_services
from casework.supervision.models import SupervisionForm, SupervisionSession
from casework.volunteers import services as volunteer_services
from tests.conftest import Login
from tests.factories import (
    ActivityFactory,
    AdminFactory,
    AgencyFactory,
    BureauFactory,
    BureauViewerFactory,
    CaseFactory,
    CertificateFactory,
    HelpRequestFactory,
    ProjectFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    TagFactory,
    TutorFactory,
    VolunteerFactory,
    WorkerFactory,
    WorkerProfileFactory,
    advance_case,
    running_group,
)

FIRST = 2  # rows before the first count
MORE = 4  # rows added before the second count (3N in all)


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """Every SQL statement sent to the database while the block runs (not the per-transaction
    statement timeout of PostgreSQL, which is a setting, not a query of the page)."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        if not args[2].startswith("SET LOCAL statement_timeout"):
            statements.append(args[2])

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@dataclass
class Scene:
    """A signed-in user, the page they open, and how to add ``n`` rows behind that page."""

    user: User
    url: Callable[[], str]
    add: Callable[[int], None]


def _station_with_staff() -> tuple[Unit, User, User]:
    station = StationFactory()
    tutor = TutorFactory(unit=station.parent, supervised_units=[station])
    head = StationHeadFactory(unit=station)
    return station, tutor, head


def _cases(station: Unit, tutor: User, n: int, to_status: CaseStatus | None = None) -> list[Case]:
    """``n`` cases at ``station``, each with its own worker and person, opened 60 days ago."""
    cases = []
    for index in range(n):
        case = CaseFactory(
            service_user=ServiceUserFactory(unit=station),
            worker=WorkerFactory(unit=station),
            tutor=tutor,
            opened_on=local_today() - timedelta(days=60),
            risk_level=RiskLevel.HIGH if index % 2 else RiskLevel.LOW,
            domain=ServiceDomain.SOCIAL_AID,
        )
        if to_status is not None:
            advance_case(case, to_status, tutor=tutor)
        cases.append(case)
    return cases


def _stale_requests(station: Unit, n: int) -> None:
    """``n`` open help requests, each assigned to its own worker, 30 days old (overdue)."""
    for _index in range(n):
        request = HelpRequestFactory(unit=station)
        worker = WorkerFactory(unit=station)
        helpdesk_services.assign(actor=worker, request=request, worker=worker)
        db.session.execute(
            update(HelpRequest)
            .where(HelpRequest.id == request.id)
            .values(submitted_at=datetime.now(UTC) - timedelta(days=30))
        )
    db.session.commit()


# --- scenes --------------------------------------------------------------------------------


def home_worker() -> Scene:
    station, tutor, _head = _station_with_staff()
    worker = WorkerFactory(unit=station)

    def add(n: int) -> None:
        for case in _cases(station, tutor, n, CaseStatus.ASSESSMENT):
            case_services.assign_case(actor=worker, case=case, worker=worker, tutor=tutor)
        db.session.commit()
        _stale_requests(station, n)

    return Scene(worker, lambda: "/", add)


def home_head() -> Scene:
    station, tutor, head = _station_with_staff()

    def add(n: int) -> None:
        _cases(station, tutor, n, CaseStatus.ASSESSMENT)
        _stale_requests(station, n)

    return Scene(head, lambda: "/", add)


def home_tutor() -> Scene:
    station, tutor, _head = _station_with_staff()
    return Scene(
        tutor, lambda: "/", lambda n: _cases(station, tutor, n, CaseStatus.PLAN_PENDING_APPROVAL)
    )


def home_bureau() -> Scene:
    station, tutor, _head = _station_with_staff()
    viewer = BureauViewerFactory(unit=station.parent.parent)
    return Scene(viewer, lambda: "/", lambda n: _cases(station, tutor, n))


def home_admin() -> Scene:
    station, tutor, _head = _station_with_staff()
    admin = AdminFactory(unit=station.parent.parent)
    return Scene(admin, lambda: "/", lambda n: _cases(station, tutor, n))


def caseload() -> Scene:
    station, tutor, head = _station_with_staff()
    return Scene(
        head, lambda: "/cases/", lambda n: _cases(station, tutor, n, CaseStatus.ASSESSMENT)
    )


def caseload_filtered() -> Scene:
    station, tutor, head = _station_with_staff()
    return Scene(
        head,
        lambda: "/cases/?risk=high&open=1&overdue=1&sort=risk",
        lambda n: _cases(station, tutor, 2 * n, CaseStatus.ASSESSMENT),
    )


def my_caseload() -> Scene:
    station, tutor, _head = _station_with_staff()
    worker = WorkerFactory(unit=station)

    def add(n: int) -> None:
        for case in _cases(station, tutor, n):
            case_services.assign_case(actor=worker, case=case, worker=worker, tutor=tutor)
        db.session.commit()

    return Scene(worker, lambda: "/cases/mine", add)


def case_page() -> Scene:
    station, tutor, _head = _station_with_staff()
    (case,) = _cases(station, tutor, 1, CaseStatus.INTERVENTION)

    def add(n: int) -> None:
        for index in range(n):
            author = WorkerFactory(unit=station)
            record = case_records.add_service_record(
                actor=author,
                case=case,
                served_on=local_today(),
                form=ServiceForm.HOME_VISIT,
                duration_minutes=30 + index,
                content="家访，了解近况",
                response="情绪平稳",
                next_step="下周电话联系",
            )
            commenter = TutorFactory(unit=station.parent, supervised_units=[station])
            case_services.add_comment(
                actor=commenter,
                case=case,
                subject_type="service_record",
                subject_id=record.id,
                body="注意评估家庭支持",
            )
            db.session.add(
                CaseTransition(
                    case_id=case.id,
                    action="revise_plan",
                    from_status=CaseStatus.INTERVENTION,
                    to_status=CaseStatus.INTERVENTION,
                    actor_id=author.id,
                    reason="调整计划",
                )
            )
            db.session.add(_attachment(author, case_id=case.id))
        db.session.commit()

    return Scene(case.worker, lambda: f"/cases/{case.id}", add)


def _attachment(uploader: User, **owner: int) -> Attachment:
    return Attachment(
        stored_name=f"{uploader.id:032x}",
        original_name="评估表.pdf",
        content_type="application/pdf",
        size=1024,
        description="",
        uploaded_by_id=uploader.id,
        **owner,
    )


def person_page() -> Scene:
    station, tutor, _head = _station_with_staff()
    worker = WorkerFactory(unit=station)
    person = ServiceUserFactory(unit=station)

    def add(n: int) -> None:
        for _index in range(n):
            other_worker = WorkerFactory(unit=station)
            CaseFactory(service_user=person, worker=other_worker, tutor=tutor)
            people_services.add_household_member(
                actor=worker,
                person=person,
                name="王建国",
                relationship="儿子",
                birth_year=1980,
                lives_together=False,
                notes=None,
            )
            db.session.add(_attachment(other_worker, service_user_id=person.id))
            group = running_group(members=0, unit=station)
            group_services.add_member(actor=worker, group=group, person=person)
        db.session.commit()

    return Scene(worker, lambda: f"/people/{person.id}", add)


def person_list() -> Scene:
    station, _tutor, head = _station_with_staff()

    def add(n: int) -> None:
        for _index in range(n):
            person = ServiceUserFactory(unit=station)
            person.tags = [TagFactory(), TagFactory()]
        db.session.commit()

    return Scene(head, lambda: "/people/", add)


def person_search() -> Scene:
    station, _tutor, head = _station_with_staff()

    def add(n: int) -> None:
        for _index in range(n):
            ServiceUserFactory(unit=station, name="张伟" + str(_index)).tags = [TagFactory()]
        db.session.commit()

    return Scene(head, lambda: "/people/?q=%E5%BC%A0%E4%BC%9F", add)


def request_queue() -> Scene:
    station, _tutor, head = _station_with_staff()
    return Scene(head, lambda: "/requests/", lambda n: _stale_requests(station, n))


def request_queue_tutor() -> Scene:
    first, tutor, _head = _station_with_staff()
    second = StationFactory(parent=first.parent)
    tutor.supervised_units = [first, second]
    db.session.commit()

    def add(n: int) -> None:
        _stale_requests(first, n)
        _stale_requests(second, n)

    return Scene(tutor, lambda: "/requests/?status=all", add)


def request_detail() -> Scene:
    station, _tutor, head = _station_with_staff()
    request = HelpRequestFactory(unit=station)

    def add(n: int) -> None:
        for _index in range(n):
            worker = WorkerFactory(unit=station)
            helpdesk_services.assign(actor=head, request=request, worker=worker)
            helpdesk_services.add_note(actor=worker, request=request, body="已电话联系")
        db.session.commit()

    return Scene(head, lambda: f"/requests/{request.id}", add)


def _groups(station: Unit, n: int) -> None:
    for _index in range(n):
        running_group(members=1, unit=station, facilitator=WorkerFactory(unit=station))


def group_list() -> Scene:
    station, _tutor, head = _station_with_staff()
    return Scene(head, lambda: "/groups/", lambda n: _groups(station, n))


@dataclass
class GroupScene:
    group: Group
    session: GroupSession


def _group_with_sessions(station: Unit) -> tuple[Group, GroupSession, Callable[[int], None]]:
    group = running_group(members=1, unit=station)
    facilitator = group.facilitator
    first = _schedule(group, facilitator, days_ago=1)

    def add(n: int) -> None:
        for _index in range(n):
            group_services.add_member(
                actor=facilitator,
                group=group,
                person=ServiceUserFactory(unit=station),
                joined_on=local_today() - timedelta(days=30),
            )
            _schedule(group, facilitator, days_ago=2 + _index)
        db.session.commit()
        marks = {
            member.id: AttendanceStatus.PRESENT
            for member in group_services.members_expected_at(first)
        }
        group_services.take_attendance(actor=facilitator, session=first, marks=marks)
        db.session.commit()

    return group, first, add


def _schedule(group: Group, actor: User, days_ago: int) -> GroupSession:
    session = group_services.schedule_session(
        actor=actor,
        group=group,
        plan=group_services.SessionPlan(
            starts_at=datetime.now(UTC) - timedelta(days=days_ago),
            duration_minutes=90,
            place="社区活动室",
            topic="相识",
            planned_content="破冰游戏",
        ),
    )
    db.session.commit()
    return session


def group_page() -> Scene:
    station, _tutor, _head = _station_with_staff()
    group, _first, add = _group_with_sessions(station)
    return Scene(group.facilitator, lambda: f"/groups/{group.id}", add)


def group_members() -> Scene:
    station, _tutor, _head = _station_with_staff()
    group, _first, add = _group_with_sessions(station)
    return Scene(group.facilitator, lambda: f"/groups/{group.id}/members", add)


def group_session() -> Scene:
    station, _tutor, _head = _station_with_staff()
    group, first, add = _group_with_sessions(station)
    return Scene(group.facilitator, lambda: f"/groups/{group.id}/sessions/{first.id}", add)


def group_attendance() -> Scene:
    station, _tutor, _head = _station_with_staff()
    group, first, add = _group_with_sessions(station)
    return Scene(
        group.facilitator, lambda: f"/groups/{group.id}/sessions/{first.id}/attendance", add
    )


def _activities(station: Unit, n: int) -> None:
    for _index in range(n):
        organiser = WorkerFactory(unit=station)
        activity = ActivityFactory(unit=station, organiser=organiser)
        activity_services.set_participants(
            actor=organiser, activity=activity, people=[ServiceUserFactory(unit=station)]
        )
        volunteer = VolunteerFactory(unit=station)
        volunteer_services.assign_volunteer(
            actor=organiser,
            volunteer=volunteer,
            served_on=local_today(),
            hours=2,
            role="引导",
            activity=activity,
        )
        db.session.add(_attachment(organiser, activity_id=activity.id))
    db.session.commit()


def activity_list() -> Scene:
    station, _tutor, head = _station_with_staff()
    return Scene(head, lambda: "/activities/", lambda n: _activities(station, n))


def activity_page() -> Scene:
    station, _tutor, head = _station_with_staff()
    activity = ActivityFactory(unit=station)

    def add(n: int) -> None:
        for _index in range(n):
            volunteer = VolunteerFactory(unit=station)
            volunteer_services.assign_volunteer(
                actor=head,
                volunteer=volunteer,
                served_on=local_today(),
                hours=2,
                role="引导",
                activity=activity,
            )
            db.session.add(_attachment(WorkerFactory(unit=station), activity_id=activity.id))
        people = list(activity.participants) + [ServiceUserFactory(unit=station) for _ in range(n)]
        activity_services.set_participants(actor=head, activity=activity, people=people)
        db.session.commit()

    return Scene(head, lambda: f"/activities/{activity.id}", add)


def volunteer_list() -> Scene:
    station, _tutor, head = _station_with_staff()
    return Scene(head, lambda: "/volunteers/", lambda n: _activities(station, n))


def volunteer_page() -> Scene:
    station, _tutor, head = _station_with_staff()
    volunteer = VolunteerFactory(unit=station)

    def add(n: int) -> None:
        for _index in range(n):
            activity = ActivityFactory(unit=station, organiser=WorkerFactory(unit=station))
            volunteer_services.assign_volunteer(
                actor=head,
                volunteer=volunteer,
                served_on=local_today(),
                hours=1.5,
                role="签到",
                activity=activity,
            )
        db.session.commit()

    return Scene(head, lambda: f"/volunteers/{volunteer.id}", add)


def calendar() -> Scene:
    station, _tutor, head = _station_with_staff()

    def add(n: int) -> None:
        _activities(station, n)
        for _index in range(n):
            group = running_group(members=0, unit=station, facilitator=WorkerFactory(unit=station))
            _schedule(group, group.facilitator, days_ago=0)

    return Scene(head, lambda: "/calendar/", add)


def _supervision(station: Unit, tutor: User, n: int) -> list[SupervisionSession]:
    records = []
    for _index in range(n):
        workers = [WorkerFactory(unit=station), WorkerFactory(unit=station)]
        cases = [CaseFactory(service_user=ServiceUserFactory(unit=station), worker=workers[0])]
        records.append(
            supervision_services.record_supervision(
                tutor=tutor,
                unit=station,
                details=supervision_services.SupervisionDetails(
                    held_on=local_today(),
                    form=SupervisionForm.INDIVIDUAL,
                    duration_minutes=60,
                    topics="个案进展",
                    advice="加强家庭访视",
                    follow_up="两周后复盘",
                    place="站内会议室",
                ),
                workers=workers,
                cases=cases,
            )
        )
    db.session.commit()
    return records


def supervision_list() -> Scene:
    station, tutor, _head = _station_with_staff()
    return Scene(tutor, lambda: "/supervision/", lambda n: _supervision(station, tutor, n))


def supervision_page() -> Scene:
    station, tutor, _head = _station_with_staff()
    (record,) = _supervision(station, tutor, 1)

    def add(n: int) -> None:
        extra_workers = [WorkerFactory(unit=station) for _ in range(n)]
        extra_cases = [
            CaseFactory(service_user=ServiceUserFactory(unit=station), worker=worker)
            for worker in extra_workers
        ]
        record.workers = list(record.workers) + extra_workers
        record.cases = list(record.cases) + extra_cases
        db.session.commit()

    return Scene(tutor, lambda: f"/supervision/{record.id}", add)


def statistics_bureau() -> Scene:
    station, tutor, _head = _station_with_staff()
    centre = station.parent
    viewer = BureauViewerFactory(unit=centre.parent)

    def add(n: int) -> None:
        for _index in range(n):
            other = StationFactory(parent=centre)
            _cases(other, TutorFactory(unit=centre, supervised_units=[other]), 1)
            HelpRequestFactory(unit=other)
            _activities(other, 1)
        _cases(station, tutor, n, CaseStatus.ASSESSMENT)

    return Scene(viewer, lambda: "/reports/", add)


def _bureau_scene() -> tuple[User, Callable[[int], None]]:
    """A bureau viewer, and rows of every kind its dashboard counts, in new stations too."""
    station, tutor, _head = _station_with_staff()
    centre = station.parent
    viewer = BureauViewerFactory(unit=centre.parent)

    def add(n: int) -> None:
        for _index in range(n):
            other = StationFactory(parent=centre)
            _cases(other, TutorFactory(unit=centre, supervised_units=[other]), 1)
            HelpRequestFactory(unit=other)
        _cases(station, tutor, n, CaseStatus.INTERVENTION)
        _stale_requests(station, n)
        _activities(station, n)
        _groups(station, n)

    return viewer, add


def bureau_dashboard() -> Scene:
    viewer, add = _bureau_scene()
    return Scene(viewer, lambda: "/dashboard/bureau", add)


def _wall_address(viewer: User) -> str:
    token = displays.create_display_token(actor=viewer, unit=viewer.unit, label="大屏")
    db.session.commit()
    return f"/wall/{token}"


def wall_screen() -> Scene:
    viewer, add = _bureau_scene()
    address = _wall_address(viewer)
    return Scene(viewer, lambda: address, add)


def wall_figures() -> Scene:
    viewer, add = _bureau_scene()
    address = _wall_address(viewer)
    return Scene(viewer, lambda: f"{address}/data.json", add)


def statistics_station() -> Scene:
    station, tutor, head = _station_with_staff()

    def add(n: int) -> None:
        _cases(station, tutor, n, CaseStatus.INTERVENTION)
        _stale_requests(station, n)
        _activities(station, n)
        _groups(station, n)

    return Scene(head, lambda: "/reports/", add)


def tutor_dashboard() -> Scene:
    station, tutor, _head = _station_with_staff()

    def add(n: int) -> None:
        second = StationFactory(parent=station.parent)
        tutor.supervised_units = [*list(tutor.supervised_units), second]
        db.session.commit()
        _cases(station, tutor, n, CaseStatus.PLAN_PENDING_APPROVAL)
        _cases(second, tutor, n, CaseStatus.INTERVENTION)
        _groups(station, n)

    return Scene(tutor, lambda: "/dashboard/tutor", add)


def station_dashboard() -> Scene:
    station, tutor, head = _station_with_staff()

    def add(n: int) -> None:
        _cases(station, tutor, n, CaseStatus.INTERVENTION)
        _stale_requests(station, n)

    return Scene(head, lambda: "/dashboard/station", add)


def audit_log_admin() -> Scene:
    station, _tutor, _head = _station_with_staff()
    admin = AdminFactory(unit=station.parent.parent)

    def add(n: int) -> None:
        for _index in range(n):
            actor = WorkerFactory(unit=station)
            person = ServiceUserFactory(unit=station)
            audit.record("service_user.view", person, actor_id=actor.id)
        db.session.commit()

    return Scene(admin, lambda: "/audit/", add)


def audit_log_head() -> Scene:
    station, _tutor, head = _station_with_staff()

    def add(n: int) -> None:
        for _index in range(n):
            actor = WorkerFactory(unit=station)
            person = ServiceUserFactory(unit=station)
            audit.record("service_user.view", person, actor_id=actor.id)
        db.session.commit()

    return Scene(head, lambda: "/audit/", add)


def evidence_packs_bureau() -> Scene:
    station, _tutor, _head = _station_with_staff()
    viewer = BureauViewerFactory(unit=station.parent.parent)

    def add(n: int) -> None:
        for _index in range(n):
            unit = StationFactory(parent=station.parent)
            evidence_services.request_pack(
                actor=viewer,
                unit=unit,
                includes_subtree=False,
                period=Period(date(2026, 1, 1), date(2026, 3, 31)),
            )
        db.session.commit()

    return Scene(viewer, lambda: "/evidence/", add)


def pilot_overview_bureau() -> Scene:
    station, _tutor, _head = _station_with_staff()
    viewer = BureauViewerFactory(unit=station.parent.parent)

    def add(n: int) -> None:
        for _index in range(n):
            unit = StationFactory(parent=station.parent)
            CertificateFactory(profile=WorkerProfileFactory(unit=unit))
            pilot_services.designate(
                actor=viewer,
                unit=unit,
                kind=PilotKind.COMMUNITY,
                designated_on=local_today(),
                contacts=pilot_services.Contacts("甲", "站长", "13912345678", "乙", "社工", None),
            )
        db.session.commit()

    return Scene(viewer, lambda: "/pilot/", add)


def projects_bureau() -> Scene:
    bureau = BureauFactory()
    viewer = BureauViewerFactory(unit=bureau)

    def add(n: int) -> None:
        for _index in range(n):
            ProjectFactory(
                agency=AgencyFactory(bureau=bureau),
                targets={DeliverableKind.CASES_OPENED: Decimal(10)},
            )

    return Scene(viewer, lambda: "/projects/", add)


# The most statements each page may issue. Generous enough for small changes to a page, far
# below what a query per row would cost once a list holds a page of rows.
# A page that shows people includes the two statements of its personal-data audit entry
# (core/disclosure.py); the signed-in user comes with their session in one statement, and
# every page counts the user's unread notifications for the badge in one more.
BUDGETS: dict[Callable[[], Scene], int] = {
    home_worker: 20,  # exports to approve; overdue referrals; sessions to record
    home_head: 21,  # sessions to record: a head may lead a group
    home_tutor: 11,
    home_bureau: 26,  # this month, the workforce target and overdue requests by station
    home_admin: 4,
    caseload: 10,
    caseload_filtered: 10,
    my_caseload: 10,
    case_page: 37,  # + the wording list for hints
    person_page: 16,
    person_list: 8,
    person_search: 8,
    request_queue: 12,
    request_queue_tutor: 14,
    request_detail: 14,
    group_list: 10,
    group_page: 18,
    group_members: 8,
    group_session: 10,
    group_attendance: 12,
    activity_list: 8,
    activity_page: 16,
    volunteer_list: 8,
    volunteer_page: 12,
    calendar: 10,
    supervision_list: 12,
    supervision_page: 12,
    statistics_bureau: 30,
    statistics_station: 30,
    tutor_dashboard: 32,
    station_dashboard: 40,
    bureau_dashboard: 60,  # each child unit's figures beside the total (one centre here)
    wall_screen: 40,
    wall_figures: 40,
    audit_log_admin: 10,
    audit_log_head: 11,
    evidence_packs_bureau: 8,
    pilot_overview_bureau: 24,  # each city's pilot units and certified workers
    projects_bureau: 16,
}


def _summary(statements: list[str]) -> str:
    """How often each statement ran, so a failure names the query that repeats."""
    counts = Counter(" ".join(statement.split())[:160] for statement in statements)
    return "\n".join(f"{count} x {text}" for text, count in counts.most_common())


def _statements_for(client: FlaskClient, url: str) -> list[str]:
    with counted_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return statements


@pytest.mark.parametrize("build", list(BUDGETS), ids=lambda build: build.__name__)
def test_page_issues_a_fixed_number_of_statements(
    build: Callable[[], Scene], app: Flask, client: FlaskClient, login: Login
) -> None:
    scene = build()
    scene.add(FIRST)
    login(scene.user)
    url = scene.url()
    client.get(url)  # warm-up: the first request of a client pays one-off costs
    before = _statements_for(client, url)
    scene.add(MORE)
    after = _statements_for(client, url)
    print(f"{build.__name__}: {len(before)} -> {len(after)} statements")  # shown with -s
    assert len(after) == len(before), _summary(after)
    assert len(after) <= BUDGETS[build], _summary(after)
