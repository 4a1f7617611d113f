"""The group pages: the plan, the steps, members, sessions, attendance, records, summary."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from casework.core.clock import local_timezone, local_today
from casework.extensions import db
from casework.groups import services
from casework.groups.models import (
    Attendance,
    AttendanceStatus,
    Group,
    GroupSession,
    GroupStage,
    GroupStatus,
)
from tests.audit_helpers import shown_to
from tests.conftest import Login
from tests.factories import (
    CaseFactory,
    GroupFactory,
    ServiceUserFactory,
    StationFactory,
    TutorFactory,
    WorkerFactory,
    running_group,
)

PLAN_FORM = {
    "name": "邻里互助小组",
    "group_type": "mutual_aid",
    "domain": "social_aid",
    "purpose": "减轻独居老人的孤独感",
    "goals": "组员孤独感量表得分下降",
    "target_members": "70 岁以上独居老人 8 名",
    "rationale": "社区独居老人多",
    "session_plan": "第一节 相识；第二节 分享；第三节 互助约定；第四节 告别",
    "planned_sessions": "4",
    "recruitment_from": "",
    "recruitment_until": "",
    "measure_name": "孤独感量表",
    "measure_max": "10",
}


def _reload(group: Group) -> Group:
    db.session.expire_all()
    reloaded = db.session.get(Group, group.id)
    assert reloaded is not None
    return reloaded


def _session(group: Group, *, days_from_today: int = -1) -> GroupSession:
    """A session at 14:30 local time, ``days_from_today`` days from today."""
    starts = datetime.combine(
        local_today() + timedelta(days=days_from_today), time(14, 30), local_timezone()
    )
    session = services.schedule_session(
        actor=group.facilitator,
        group=group,
        plan=services.SessionPlan(
            starts_at=starts.astimezone(UTC),
            duration_minutes=90,
            place="社区活动室",
            topic="相识与破冰",
            planned_content="自我介绍，订立小组契约",
        ),
    )
    db.session.commit()
    return session


def _marks(group: Group, *statuses: str) -> dict[str, str]:
    return {
        f"mark-{member.id}": status for member, status in zip(group.members, statuses, strict=True)
    }


def _attendance(session: GroupSession) -> dict[int, AttendanceStatus]:
    db.session.expire_all()
    rows = db.session.scalars(select(Attendance).where(Attendance.session_id == session.id))
    return {row.member_id: row.status for row in rows}


def _body(response: Any) -> str:
    return str(response.get_data(as_text=True))


def _switch(client: FlaskClient, login: Login, user: Any) -> None:
    client.post("/logout")
    login(user)


# --- the plan ------------------------------------------------------------------------------


def test_worker_creates_a_group_with_its_plan_and_staff(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    colleague = WorkerFactory(unit=worker.unit)
    tutor = TutorFactory(supervised_units=[worker.unit])
    login(worker)
    response = client.post(
        "/groups/new",
        data={
            **PLAN_FORM,
            "facilitator_id": worker.id,
            "co_facilitator_ids": [colleague.id],
            "observer_id": 0,
            "tutor_id": tutor.id,
        },
    )
    group = db.session.scalars(select(Group)).one()
    assert response.headers["Location"] == f"/groups/{group.id}"
    assert (group.name, group.status, group.stage) == (
        "邻里互助小组",
        GroupStatus.PLANNING,
        GroupStage.PREPARATION,
    )
    assert [user.id for user in group.co_facilitators] == [colleague.id]
    assert group.tutor_id == tutor.id


def test_new_group_form_offers_the_units_staff_and_tutors_only(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    WorkerFactory(unit=worker.unit, display_name="本站同事")
    WorkerFactory(display_name="别站社工")
    TutorFactory(supervised_units=[worker.unit], display_name="本站督导")
    TutorFactory(supervised_units=[StationFactory()], display_name="别站督导")
    login(worker)
    body = _body(client.get("/groups/new"))
    assert "本站同事" in body
    assert "本站督导" in body
    assert "别站社工" not in body
    assert "别站督导" not in body


def test_new_group_without_purpose_keeps_the_input(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    login(worker)
    response = client.post(
        "/groups/new",
        data={**PLAN_FORM, "purpose": "", "facilitator_id": worker.id, "observer_id": 0},
    )
    assert response.status_code == 422
    assert "组员孤独感量表得分下降" in _body(response)
    assert db.session.scalar(select(func.count(Group.id))) == 0


def test_tutor_cannot_create_a_group(client: FlaskClient, login: Login) -> None:
    login(TutorFactory(supervised_units=[StationFactory()]))
    assert client.get("/groups/new").status_code == 403


def test_plan_is_edited_while_planning(client: FlaskClient, login: Login) -> None:
    group = GroupFactory()
    login(group.facilitator)
    response = client.post(
        f"/groups/{group.id}/plan", data={**PLAN_FORM, "goals": "每位组员结识两位邻居"}
    )
    assert response.headers["Location"] == f"/groups/{group.id}"
    assert _reload(group).goals == "每位组员结识两位邻居"


def test_recruitment_ending_before_it_starts_is_refused_with_input_kept(
    client: FlaskClient, login: Login
) -> None:
    group = GroupFactory()
    login(group.facilitator)
    response = client.post(
        f"/groups/{group.id}/plan",
        data={
            **PLAN_FORM,
            "goals": "保留的目标",
            "recruitment_from": "2026-12-10",
            "recruitment_until": "2026-12-01",
        },
    )
    assert response.status_code == 422
    body = _body(response)
    assert "招募截止日期不能早于开始日期" in body
    assert "保留的目标" in body


def test_plan_of_a_running_group_cannot_be_edited(client: FlaskClient, login: Login) -> None:
    group = running_group()
    login(group.facilitator)
    response = client.get(f"/groups/{group.id}/plan", follow_redirects=True)
    assert "不能进行此操作" in _body(response)
    assert response.request.path == f"/groups/{group.id}"


# --- steps ---------------------------------------------------------------------------------


def test_refused_step_shows_a_clear_message(client: FlaskClient, login: Login) -> None:
    group = running_group()
    login(group.facilitator)
    response = client.post(f"/groups/{group.id}/steps/request_closure", follow_redirects=True)
    assert "请先填写小组总结报告" in _body(response)
    assert _reload(group).status is GroupStatus.RUNNING


def test_returning_a_plan_needs_a_reason(client: FlaskClient, login: Login) -> None:
    group = GroupFactory()
    services.take_step(group, "submit_plan", actor=group.facilitator)
    db.session.commit()
    login(TutorFactory(supervised_units=[group.unit]))
    response = client.post(f"/groups/{group.id}/steps/return_plan", follow_redirects=True)
    assert "请填写原因或意见" in _body(response)
    assert _reload(group).status is GroupStatus.PLAN_PENDING_APPROVAL


def test_tutor_returns_the_plan_with_a_reason_shown_in_the_history(
    client: FlaskClient, login: Login
) -> None:
    group = GroupFactory()
    services.take_step(group, "submit_plan", actor=group.facilitator)
    db.session.commit()
    login(TutorFactory(supervised_units=[group.unit]))
    client.post(f"/groups/{group.id}/steps/return_plan", data={"reason": "目标需要可衡量"})
    assert _reload(group).status is GroupStatus.PLANNING
    _switch(client, login, group.facilitator)
    assert "目标需要可衡量" in _body(client.get(f"/groups/{group.id}"))


def test_facilitator_moves_the_group_to_its_next_stage(client: FlaskClient, login: Login) -> None:
    group = running_group()
    login(group.facilitator)
    response = client.post(f"/groups/{group.id}/stage", follow_redirects=True)
    assert "小组已进入转折期" in _body(response)
    assert _reload(group).stage is GroupStage.TRANSITION


def test_group_page_shows_only_the_steps_the_user_may_take(
    client: FlaskClient, login: Login
) -> None:
    group = GroupFactory()
    services.take_step(group, "submit_plan", actor=group.facilitator)
    db.session.commit()
    login(group.facilitator)
    assert 'data-step="approve_plan"' not in _body(client.get(f"/groups/{group.id}"))
    _switch(client, login, TutorFactory(supervised_units=[group.unit]))
    body = _body(client.get(f"/groups/{group.id}"))
    assert 'data-step="approve_plan"' in body
    assert 'data-step="return_plan"' in body


# --- the whole way -------------------------------------------------------------------------


def test_a_group_from_plan_to_closure_through_the_pages(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    tutor = TutorFactory(supervised_units=[worker.unit])
    people = [ServiceUserFactory(unit=worker.unit, name=name) for name in ("张秀英", "李建国")]
    login(worker)
    client.post(
        "/groups/new",
        data={**PLAN_FORM, "facilitator_id": worker.id, "observer_id": 0, "tutor_id": tutor.id},
    )
    group = db.session.scalars(select(Group)).one()
    client.post(f"/groups/{group.id}/steps/submit_plan")
    _switch(client, login, tutor)
    client.post(f"/groups/{group.id}/steps/approve_plan")
    assert _reload(group).status is GroupStatus.RUNNING

    _switch(client, login, worker)
    joined = (local_today() - timedelta(days=14)).isoformat()
    for person in people:
        client.post(
            f"/groups/{group.id}/members", data={"person_id": person.id, "joined_on": joined}
        )
    held_on = local_today() - timedelta(days=7)
    response = client.post(
        f"/groups/{group.id}/sessions/new",
        data={
            "held_on": held_on.isoformat(),
            "starts_at": "14:30",
            "duration_minutes": "90",
            "place": "社区活动室",
            "topic": "相识与破冰",
            "planned_content": "自我介绍",
        },
    )
    session = db.session.scalars(select(GroupSession)).one()
    assert response.headers["Location"] == f"/groups/{group.id}/sessions/{session.id}"
    group = _reload(group)
    client.post(
        f"/groups/{group.id}/sessions/{session.id}/attendance",
        data=_marks(group, "present", "excused"),
    )
    client.post(
        f"/groups/{group.id}/sessions/{session.id}/record",
        data={
            "process_text": "组员自我介绍，订立小组契约",
            "observations": "",
            "goal_progress": "",
        },
    )
    client.post(
        f"/groups/{group.id}/summary",
        data={"summary": "组员之间建立了互助关系", "outcomes": "孤独感得分平均下降 2 分"},
    )
    client.post(f"/groups/{group.id}/steps/request_closure")
    assert _reload(group).status is GroupStatus.CLOSURE_PENDING_APPROVAL
    _switch(client, login, tutor)
    client.post(f"/groups/{group.id}/steps/approve_closure")

    group = _reload(group)
    assert group.status is GroupStatus.CLOSED
    assert group.closed_on == local_today()
    assert sorted(status.value for status in _attendance(session).values()) == [
        "excused",
        "present",
    ]
    assert group.sessions[0].process == "组员自我介绍，订立小组契约"


def test_viewing_a_group_is_audited(client: FlaskClient, login: Login) -> None:
    group = GroupFactory()
    login(group.facilitator)
    client.get(f"/groups/{group.id}")
    assert ("groups", group.id, group.unit_id) in shown_to(group.facilitator.id)


def test_group_page_shows_members_sessions_and_attendance_rates(
    client: FlaskClient, login: Login
) -> None:
    group = running_group(members=2)
    session = _session(group)
    login(group.facilitator)
    client.post(
        f"/groups/{group.id}/sessions/{session.id}/attendance",
        data=_marks(group, "present", "absent"),
    )
    body = _body(client.get(f"/groups/{group.id}"))
    assert group.members[0].service_user.name in body
    assert "相识与破冰" in body
    assert "1/1（100.0%）" in body  # the first member
    assert "0/1（0.0%）" in body  # the second member
    assert "1/2（50.0%）" in body  # the session


def test_report_link_appears_only_when_the_report_exists(
    client: FlaskClient, login: Login, app: Any
) -> None:
    group = GroupFactory()
    login(group.facilitator)
    body = _body(client.get(f"/groups/{group.id}"))
    assert ('id="report-link"' in body) == ("groups.report" in app.view_functions)


# --- members and scores --------------------------------------------------------------------


def test_member_search_finds_people_of_the_groups_unit_only(
    client: FlaskClient, login: Login
) -> None:
    group = running_group(members=0)
    ServiceUserFactory(unit=group.unit, name="王桂兰")
    ServiceUserFactory(name="王桂芝")  # another station
    login(group.facilitator)
    body = _body(client.get(f"/groups/{group.id}/members", query_string={"q": "王桂"}))
    assert "王桂兰" in body
    assert "王桂芝" not in body


def test_person_of_another_unit_cannot_be_added(client: FlaskClient, login: Login) -> None:
    group = running_group(members=0)
    outsider = ServiceUserFactory()
    login(group.facilitator)
    response = client.post(f"/groups/{group.id}/members", data={"person_id": outsider.id})
    assert response.status_code == 404
    assert _reload(group).members == []


def test_adding_a_member_twice_is_refused_with_a_message(client: FlaskClient, login: Login) -> None:
    group = running_group(members=1)
    person = group.members[0].service_user
    login(group.facilitator)
    response = client.post(f"/groups/{group.id}/members", data={"person_id": person.id})
    assert response.status_code == 422
    assert "已是本小组组员" in _body(response)


def test_member_leaves_with_a_date_and_reason(client: FlaskClient, login: Login) -> None:
    group = running_group(members=1)
    member = group.members[0]
    login(group.facilitator)
    client.post(
        f"/groups/{group.id}/members/{member.id}/leave",
        data={"left_on": local_today().isoformat(), "reason": "搬离社区"},
    )
    member = _reload(group).members[0]
    assert (member.left_on, member.leave_reason) == (local_today(), "搬离社区")


def test_leaving_without_a_reason_keeps_the_date(client: FlaskClient, login: Login) -> None:
    group = running_group(members=1)
    member = group.members[0]
    login(group.facilitator)
    response = client.post(
        f"/groups/{group.id}/members/{member.id}/leave",
        data={"left_on": "2026-11-02", "reason": ""},
    )
    assert response.status_code == 422
    assert 'value="2026-11-02"' in _body(response)
    assert _reload(group).members[0].left_on is None


def test_scores_are_saved_per_member(client: FlaskClient, login: Login) -> None:
    group = running_group(members=1)
    member = group.members[0]
    login(group.facilitator)
    client.post(
        f"/groups/{group.id}/scores",
        data={"rows-0-member_id": member.id, "rows-0-pre_score": "8", "rows-0-post_score": "5"},
    )
    member = _reload(group).members[0]
    assert (member.pre_score, member.post_score) == (8, 5)


def test_score_above_the_scale_is_refused_with_input_kept(
    client: FlaskClient, login: Login
) -> None:
    group = running_group(members=1)
    member = group.members[0]
    login(group.facilitator)
    response = client.post(
        f"/groups/{group.id}/scores",
        data={"rows-0-member_id": member.id, "rows-0-pre_score": "11", "rows-0-post_score": ""},
    )
    assert response.status_code == 422
    body = _body(response)
    assert "分数须在 0 到 10 之间" in body
    assert 'value="11"' in body
    assert _reload(group).members[0].pre_score is None


# --- sessions ------------------------------------------------------------------------------


def test_session_time_is_taken_as_local_time(client: FlaskClient, login: Login) -> None:
    group = running_group()
    login(group.facilitator)
    client.post(
        f"/groups/{group.id}/sessions/new",
        data={
            "held_on": "2026-12-03",
            "starts_at": "19:00",
            "duration_minutes": "90",
            "place": "社区活动室",
            "topic": "分享生活",
            "planned_content": "",
        },
    )
    session = db.session.scalars(select(GroupSession)).one()
    starts = (
        session.starts_at if session.starts_at.tzinfo else session.starts_at.replace(tzinfo=UTC)
    )
    assert starts == datetime(2026, 12, 3, 11, 0, tzinfo=UTC)


def test_session_page_shows_the_time_in_local_time(client: FlaskClient, login: Login) -> None:
    group = running_group()
    session = _session(group, days_from_today=3)
    login(group.facilitator)
    body = _body(client.get(f"/groups/{group.id}/sessions/{session.id}"))
    assert f"{(local_today() + timedelta(days=3)).isoformat()} 14:30" in body


def test_session_without_a_topic_keeps_the_input(client: FlaskClient, login: Login) -> None:
    group = running_group()
    login(group.facilitator)
    response = client.post(
        f"/groups/{group.id}/sessions/new",
        data={
            "held_on": "2026-12-03",
            "starts_at": "19:00",
            "duration_minutes": "90",
            "place": "保留的地点",
            "topic": "",
        },
    )
    assert response.status_code == 422
    assert "保留的地点" in _body(response)


def test_attendance_refuses_a_session_in_the_future(client: FlaskClient, login: Login) -> None:
    group = running_group(members=1)
    session = _session(group, days_from_today=2)
    login(group.facilitator)
    response = client.post(
        f"/groups/{group.id}/sessions/{session.id}/attendance",
        data=_marks(group, "present"),
        follow_redirects=True,
    )
    assert "这一节还没有开始，不能点名" in _body(response)
    assert _attendance(session) == {}


def test_attendance_refuses_a_missing_mark_and_keeps_the_others(
    client: FlaskClient, login: Login
) -> None:
    group = running_group(members=3)
    session = _session(group)
    marks = _marks(group, "absent", "excused", "present")
    missing = group.members[2]
    del marks[f"mark-{missing.id}"]
    login(group.facilitator)
    response = client.post(f"/groups/{group.id}/sessions/{session.id}/attendance", data=marks)
    assert response.status_code == 422
    body = _body(response)
    assert "请为每位组员选择出席、缺席或请假" in body
    first = group.members[0]
    assert f'id="mark-{first.id}-absent" value="absent" checked' in body
    assert _attendance(session) == {}


def test_all_present_marks_everyone_present(client: FlaskClient, login: Login) -> None:
    group = running_group(members=3)
    session = _session(group)
    login(group.facilitator)
    response = client.post(
        f"/groups/{group.id}/sessions/{session.id}/attendance", data={"all_present": "全部出席"}
    )
    assert response.headers["Location"].startswith(f"/groups/{group.id}/sessions/{session.id}")
    assert _attendance(session) == {member.id: AttendanceStatus.PRESENT for member in group.members}


def test_attendance_screen_lists_only_members_expected_that_day(
    client: FlaskClient, login: Login
) -> None:
    group = running_group(members=1)
    session = _session(group, days_from_today=-3)
    latecomer = ServiceUserFactory(unit=group.unit, name="后来加入的组员")
    services.add_member(
        actor=group.facilitator, group=group, person=latecomer, joined_on=local_today()
    )
    db.session.commit()
    login(group.facilitator)
    body = _body(client.get(f"/groups/{group.id}/sessions/{session.id}/attendance"))
    assert group.members[0].service_user.name in body
    assert "后来加入的组员" not in body


def test_session_record_needs_the_process(client: FlaskClient, login: Login) -> None:
    group = running_group()
    session = _session(group)
    login(group.facilitator)
    response = client.post(
        f"/groups/{group.id}/sessions/{session.id}/record",
        data={"process_text": "", "observations": "保留的观察"},
    )
    assert response.status_code == 422
    assert "保留的观察" in _body(response)


def test_tutor_comments_on_a_session(client: FlaskClient, login: Login) -> None:
    group = running_group()
    session = _session(group)
    tutor = TutorFactory(supervised_units=[group.unit])
    login(tutor)
    response = client.post(
        f"/groups/{group.id}/sessions/{session.id}/comment",
        data={"comment": "注意引导沉默的组员发言"},
        follow_redirects=True,
    )
    assert "注意引导沉默的组员发言" in _body(response)
    db.session.expire_all()
    assert db.session.get(GroupSession, session.id).tutor_comment_by_id == tutor.id  # type: ignore[union-attr]


# --- the list ------------------------------------------------------------------------------


def test_list_filters_by_status(client: FlaskClient, login: Login) -> None:
    planning = GroupFactory(name="筹备中的小组")
    running_group(unit=planning.unit, facilitator=planning.facilitator, name="进行中的小组")
    login(planning.facilitator)
    body = _body(client.get("/groups/", query_string={"status": "running"}))
    assert "进行中的小组" in body
    assert "筹备中的小组" not in body


def test_my_groups_are_those_i_lead_or_co_lead(client: FlaskClient, login: Login) -> None:
    mine = GroupFactory(name="我带领的小组")
    GroupFactory(unit=mine.unit, name="同事的小组")
    login(mine.facilitator)
    body = _body(client.get("/groups/", query_string={"mine": "1"}))
    assert "我带领的小组" in body
    assert "同事的小组" not in body


# --- the person and the case ---------------------------------------------------------------


def test_case_page_lists_the_members_groups(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    group = running_group(members=0, unit=case.unit, name="健康心理辅导小组")
    services.add_member(actor=group.facilitator, group=group, person=case.service_user)
    db.session.commit()
    login(case.worker)
    body = _body(client.get(f"/cases/{case.id}"))
    assert f'href="/groups/{group.id}"' in body
    assert "健康心理辅导小组" in body


def test_person_page_lists_groups_the_person_left(client: FlaskClient, login: Login) -> None:
    group = running_group(members=1, name="文体活动小组")
    member = group.members[0]
    services.remove_member(
        actor=group.facilitator, member=member, left_on=local_today(), reason="身体原因"
    )
    db.session.commit()
    login(group.facilitator)
    body = _body(client.get(f"/people/{member.service_user_id}"))
    assert f'href="/groups/{group.id}"' in body
    assert f"{local_today().isoformat()} 退出" in body
