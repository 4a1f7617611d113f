"""Who may open a group's pages: 200 inside the scope, 404 outside it, 403 for changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from casework.extensions import db
from casework.groups import services
from casework.groups.models import Group, GroupSession, GroupStatus
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    group_plan,
)


def _group(status: GroupStatus = GroupStatus.RUNNING) -> tuple[Group, GroupSession]:
    """A group with a co-facilitator, a member and a session held yesterday."""
    unit = StationFactory()
    facilitator = WorkerFactory(unit=unit)
    tutor = TutorFactory(supervised_units=[unit])
    group = services.create_group(
        actor=facilitator,
        unit=unit,
        plan=group_plan(),
        facilitator=facilitator,
        co_facilitators=[WorkerFactory(unit=unit)],
        observer=None,
        tutor=tutor,
    )
    path = {
        GroupStatus.PLANNING: [],
        GroupStatus.PLAN_PENDING_APPROVAL: [("submit_plan", facilitator)],
        GroupStatus.RUNNING: [("submit_plan", facilitator), ("approve_plan", tutor)],
    }[status]
    for action, actor in path:
        services.take_step(group, action, actor=actor)
    services.add_member(
        actor=facilitator,
        group=group,
        person=ServiceUserFactory(unit=unit),
        joined_on=datetime.now(UTC).date() - timedelta(days=30),
    )
    session = services.schedule_session(
        actor=facilitator,
        group=group,
        plan=services.SessionPlan(
            starts_at=datetime.now(UTC) - timedelta(days=1),
            duration_minutes=90,
            place="社区活动室",
            topic="相识与破冰",
            planned_content="",
        ),
    )
    db.session.commit()
    return group, session


# Each maker builds the user whose access is checked against ``group``.
USERS: dict[str, Callable[[Group], Any]] = {
    "facilitator": lambda group: group.facilitator,
    "co_facilitator": lambda group: group.co_facilitators[0],
    "head_same_station": lambda group: StationHeadFactory(unit=group.unit),
    "colleague_same_station": lambda group: WorkerFactory(unit=group.unit),
    "tutor_of_station": lambda group: TutorFactory(supervised_units=[group.unit]),
    "worker_other_station": lambda group: WorkerFactory(unit=StationFactory()),
    "head_other_station": lambda group: StationHeadFactory(unit=StationFactory()),
    "tutor_other_station": lambda group: TutorFactory(supervised_units=[StationFactory()]),
    "bureau_viewer": lambda group: BureauViewerFactory(),
    "sysadmin": lambda group: AdminFactory(),
}

CAN_READ = {
    "facilitator",
    "co_facilitator",
    "head_same_station",
    "colleague_same_station",
    "tutor_of_station",
}
CAN_RUN = {"facilitator", "co_facilitator", "head_same_station"}
NO_SCOPE = {"bureau_viewer", "sysadmin"}

READ_PAGES = [
    "/groups/{group}",
    "/groups/{group}/sessions/{session}",
]
RUN_PAGES = [
    "/groups/{group}/members",
    "/groups/{group}/scores",
    "/groups/{group}/summary",
    "/groups/{group}/sessions/new",
    "/groups/{group}/sessions/{session}/edit",
    "/groups/{group}/sessions/{session}/attendance",
    "/groups/{group}/sessions/{session}/record",
]


def _url(template: str, group: Group, session: GroupSession) -> str:
    return template.format(group=group.id, session=session.id)


def _run_expectation(who: str) -> int:
    if who in CAN_RUN:
        return 200
    return 403 if who in CAN_READ else 404


@pytest.mark.parametrize("who", list(USERS))
def test_group_list(client: FlaskClient, login: Login, who: str) -> None:
    group, _session = _group()
    login(USERS[who](group))
    assert client.get("/groups/").status_code == (403 if who in NO_SCOPE else 200)


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("who", list(USERS))
def test_reading_a_group_page(client: FlaskClient, login: Login, who: str, page: str) -> None:
    group, session = _group()
    login(USERS[who](group))
    expected = 200 if who in CAN_READ else 404
    assert client.get(_url(page, group, session)).status_code == expected


@pytest.mark.parametrize("page", RUN_PAGES)
@pytest.mark.parametrize("who", list(USERS))
def test_running_a_group_page(client: FlaskClient, login: Login, who: str, page: str) -> None:
    group, session = _group()
    login(USERS[who](group))
    assert client.get(_url(page, group, session)).status_code == _run_expectation(who)


@pytest.mark.parametrize("who", list(USERS))
def test_editing_the_plan(client: FlaskClient, login: Login, who: str) -> None:
    group, _session = _group(GroupStatus.PLANNING)
    login(USERS[who](group))
    assert client.get(f"/groups/{group.id}/plan").status_code == _run_expectation(who)


@pytest.mark.parametrize("who", list(USERS))
def test_submitting_the_plan(client: FlaskClient, login: Login, who: str) -> None:
    group, _session = _group(GroupStatus.PLANNING)
    login(USERS[who](group))
    expected = {200: 302}.get(_run_expectation(who), _run_expectation(who))
    assert client.post(f"/groups/{group.id}/steps/submit_plan").status_code == expected


@pytest.mark.parametrize("who", list(USERS))
def test_approving_the_plan(client: FlaskClient, login: Login, who: str) -> None:
    group, _session = _group(GroupStatus.PLAN_PENDING_APPROVAL)
    login(USERS[who](group))
    if who == "tutor_of_station":
        expected = 302
    elif who in CAN_READ:
        expected = 403
    else:
        expected = 404
    assert client.post(f"/groups/{group.id}/steps/approve_plan").status_code == expected


@pytest.mark.parametrize("who", sorted(CAN_READ - CAN_RUN))
def test_readers_cannot_take_attendance(client: FlaskClient, login: Login, who: str) -> None:
    group, session = _group()
    login(USERS[who](group))
    member = group.members[0]
    response = client.post(
        f"/groups/{group.id}/sessions/{session.id}/attendance",
        data={f"mark-{member.id}": "present"},
    )
    assert response.status_code == 403


def test_tutor_comments_but_a_facilitator_may_not(client: FlaskClient, login: Login) -> None:
    group, session = _group()
    login(group.facilitator)
    url = f"/groups/{group.id}/sessions/{session.id}/comment"
    assert client.post(url, data={"comment": "很好"}).status_code == 403


def test_unknown_step_is_not_found(client: FlaskClient, login: Login) -> None:
    group, _session = _group()
    login(group.facilitator)
    assert client.post(f"/groups/{group.id}/steps/dissolve").status_code == 404


def test_session_of_another_group_is_not_found(client: FlaskClient, login: Login) -> None:
    group, _session = _group()
    other = services.schedule_session(
        actor=group.facilitator,
        group=services.create_group(
            actor=group.facilitator,
            unit=group.unit,
            plan=group_plan(name="另一个小组"),
            facilitator=group.facilitator,
            co_facilitators=[],
            observer=None,
            tutor=None,
        ),
        plan=services.SessionPlan(
            starts_at=datetime.now(UTC),
            duration_minutes=60,
            place="活动室",
            topic="相识",
            planned_content="",
        ),
    )
    db.session.commit()
    login(group.facilitator)
    assert client.get(f"/groups/{group.id}/sessions/{other.id}").status_code == 404


def test_list_shows_only_groups_in_scope(client: FlaskClient, login: Login) -> None:
    mine, _session = _group()
    other, _other_session = _group()
    other.name = "别站的小组"
    mine.name = "本站的小组"
    db.session.commit()
    login(mine.facilitator)
    body = client.get("/groups/").get_data(as_text=True)
    assert "本站的小组" in body
    assert "别站的小组" not in body


@pytest.mark.parametrize("who", list(USERS))
def test_menu_shows_groups_to_those_with_a_casework_scope(
    client: FlaskClient, login: Login, who: str
) -> None:
    group, _session = _group()
    login(USERS[who](group))
    body = client.get("/").get_data(as_text=True)
    assert ('href="/groups/"' in body) == (who not in NO_SCOPE)
