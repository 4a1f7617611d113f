"""Group services: the plan, members, sessions, attendance and its rates, scores, feeds."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest
from flask import Flask
from sqlalchemy import select, text

from casework.calendar import services as calendar_services
from casework.core.clock import local_timezone, local_today
from casework.extensions import db
from casework.groups import services
from casework.groups.models import (
    Attendance,
    AttendanceStatus,
    Group,
    GroupMember,
    GroupSession,
    GroupStatus,
)
from tests.factories import (
    GroupFactory,
    ServiceUserFactory,
    StationFactory,
    TutorFactory,
    WorkerFactory,
    group_plan,
    running_group,
)

P, A, E = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED


@pytest.fixture(autouse=True)
def request_context(app: Flask) -> Iterator[None]:
    """Services run inside a request: outside one, rendering a GroupRuleError message fails."""
    with app.test_request_context():
        yield


def session_on(group: Group, days_from_today: int, topic: str = "分享生活") -> GroupSession:
    """A session at 14:30 Changchun time, ``days_from_today`` days away (negative: past)."""
    day = local_today() + timedelta(days=days_from_today)
    starts = datetime.combine(day, time(14, 30), local_timezone())
    return services.schedule_session(
        actor=group.facilitator,
        group=group,
        plan=services.SessionPlan(
            starts_at=starts.astimezone(UTC),
            duration_minutes=90,
            place="社区活动室",
            topic=topic,
            planned_content="",
        ),
    )


def mark_all(session: GroupSession, status: AttendanceStatus = P) -> None:
    marks = {member.id: status for member in services.members_expected_at(session)}
    services.take_attendance(actor=session.group.facilitator, session=session, marks=marks)


def record(session: GroupSession) -> None:
    services.record_session(
        actor=session.group.facilitator,
        session=session,
        record=services.SessionRecord(process="分享近况", observations="", goal_progress=""),
    )


def close(group: Group) -> None:
    session = session_on(group, -7)
    record(session)
    services.save_summary(actor=group.facilitator, group=group, summary="总结", outcomes="")
    tutor = TutorFactory(unit=group.unit, supervised_units=[group.unit])
    services.take_step(group, "request_closure", actor=group.facilitator)
    services.take_step(group, "approve_closure", actor=tutor)


# --- creating a group and its plan ---------------------------------------------------------


def test_create_group_keeps_the_plan_trimmed() -> None:
    station = StationFactory()
    worker = WorkerFactory(unit=station)
    group = services.create_group(
        actor=worker,
        unit=station,
        plan=group_plan(name="  独居老人互助小组 ", purpose=" 减轻孤独感\n"),
        facilitator=worker,
        co_facilitators=[],
        observer=None,
        tutor=None,
    )
    assert (group.name, group.purpose, group.status) == (
        "独居老人互助小组",
        "减轻孤独感",
        GroupStatus.PLANNING,
    )


def test_facilitator_from_another_unit_is_refused() -> None:
    station = StationFactory()
    outsider = WorkerFactory()
    with pytest.raises(services.GroupRuleError, match="本单位"):
        services.create_group(
            actor=outsider,
            unit=station,
            plan=group_plan(),
            facilitator=outsider,
            co_facilitators=[],
            observer=None,
            tutor=None,
        )


def test_a_tutor_cannot_be_a_co_facilitator() -> None:
    station = StationFactory()
    worker = WorkerFactory(unit=station)
    tutor = TutorFactory(unit=station, supervised_units=[station])
    with pytest.raises(services.GroupRuleError, match="本单位的社工"):
        services.create_group(
            actor=worker,
            unit=station,
            plan=group_plan(),
            facilitator=worker,
            co_facilitators=[tutor],
            observer=None,
            tutor=None,
        )


def test_tutor_who_does_not_supervise_the_unit_is_refused() -> None:
    station = StationFactory()
    worker = WorkerFactory(unit=station)
    elsewhere = TutorFactory(supervised_units=[StationFactory()])
    with pytest.raises(services.GroupRuleError, match="督导"):
        services.create_group(
            actor=worker,
            unit=station,
            plan=group_plan(),
            facilitator=worker,
            co_facilitators=[],
            observer=None,
            tutor=elsewhere,
        )


def test_plan_with_no_sessions_is_refused() -> None:
    group = GroupFactory()
    with pytest.raises(services.GroupRuleError, match="计划节数"):
        services.update_plan(
            actor=group.facilitator, group=group, plan=group_plan(planned_sessions=0)
        )
    assert group.planned_sessions == 4


def test_recruitment_ending_before_it_starts_is_refused() -> None:
    group = GroupFactory()
    today = local_today()
    with pytest.raises(services.GroupRuleError, match="招募"):
        services.update_plan(
            actor=group.facilitator,
            group=group,
            plan=group_plan(recruitment_from=today, recruitment_until=today - timedelta(days=1)),
        )


def test_plan_cannot_change_once_submitted() -> None:
    group = GroupFactory()
    services.take_step(group, "submit_plan", actor=group.facilitator)
    with pytest.raises(services.GroupRuleError, match="筹备阶段"):
        services.update_plan(actor=group.facilitator, group=group, plan=group_plan(goals="新目标"))
    assert group.goals != "新目标"


def test_summary_cannot_change_while_closure_awaits_approval() -> None:
    group = running_group(members=1)
    record(session_on(group, -7))
    services.save_summary(actor=group.facilitator, group=group, summary="初稿", outcomes="")
    services.take_step(group, "request_closure", actor=group.facilitator)
    with pytest.raises(services.GroupRuleError, match="总结报告"):
        services.save_summary(actor=group.facilitator, group=group, summary="改稿", outcomes="")
    assert group.summary == "初稿"


# --- members -------------------------------------------------------------------------------


def test_member_from_another_unit_is_refused() -> None:
    group = running_group(members=0)
    outsider = ServiceUserFactory()
    with pytest.raises(services.GroupRuleError, match="本单位"):
        services.add_member(actor=group.facilitator, group=group, person=outsider)
    assert group.members == []


def test_a_person_cannot_be_added_twice() -> None:
    group = running_group(members=0)
    person = ServiceUserFactory(unit=group.unit)
    services.add_member(actor=group.facilitator, group=group, person=person)
    with pytest.raises(services.GroupRuleError, match="已是本小组组员"):
        services.add_member(actor=group.facilitator, group=group, person=person)
    assert len(group.members) == 1


def test_rejoining_reuses_the_membership_record() -> None:
    group = running_group(members=1)
    member = group.members[0]
    today = local_today()
    services.remove_member(actor=group.facilitator, member=member, left_on=today, reason="住院")
    again = services.add_member(
        actor=group.facilitator, group=group, person=member.service_user, joined_on=today
    )
    count = db.session.scalar(
        select(db.func.count(GroupMember.id)).where(GroupMember.group_id == group.id)
    )
    assert (again.id, again.left_on, again.leave_reason, count) == (member.id, None, None, 1)


def test_leaving_before_joining_is_refused() -> None:
    group = running_group(members=1)
    member = group.members[0]
    with pytest.raises(services.GroupRuleError, match="早于加入日期"):
        services.remove_member(
            actor=group.facilitator,
            member=member,
            left_on=member.joined_on - timedelta(days=1),
            reason="",
        )
    assert member.left_on is None


def test_leaving_twice_is_refused() -> None:
    group = running_group(members=1)
    member = group.members[0]
    services.remove_member(actor=group.facilitator, member=member, left_on=local_today(), reason="")
    with pytest.raises(services.GroupRuleError, match="已退出"):
        services.remove_member(
            actor=group.facilitator, member=member, left_on=local_today(), reason=""
        )


def test_a_member_who_left_is_not_a_current_member() -> None:
    group = running_group(members=2)
    leaver = group.members[0]
    services.remove_member(actor=group.facilitator, member=leaver, left_on=local_today(), reason="")
    assert group.current_members == [group.members[1]]


def test_members_cannot_be_added_to_a_closed_group() -> None:
    group = running_group(members=1)
    close(group)
    with pytest.raises(services.GroupRuleError, match="已结束"):
        services.add_member(
            actor=group.facilitator, group=group, person=ServiceUserFactory(unit=group.unit)
        )


# --- sessions and their records ------------------------------------------------------------


def test_sessions_are_numbered_in_the_order_they_are_scheduled() -> None:
    group = running_group(members=0)
    numbers = [session_on(group, days).number for days in (7, -7, 14)]
    assert numbers == [1, 2, 3]


def test_a_session_cannot_be_scheduled_for_a_closed_group() -> None:
    group = running_group(members=0)
    close(group)
    with pytest.raises(services.GroupRuleError, match="已结束"):
        session_on(group, 7)


def test_a_session_time_given_in_changchun_time_keeps_its_hour() -> None:
    group = running_group(members=0)
    starts = datetime.combine(local_today(), time(7, 30), local_timezone())
    session = services.schedule_session(
        actor=group.facilitator,
        group=group,
        plan=services.SessionPlan(
            starts_at=starts, duration_minutes=60, place="活动室", topic="晨练", planned_content=""
        ),
    )
    db.session.commit()
    db.session.expire(session)
    stored = session.starts_at
    aware = stored if stored.tzinfo else stored.replace(tzinfo=UTC)
    assert aware.astimezone(local_timezone()) == starts


@pytest.mark.parametrize("minutes", [0, 601])
def test_session_duration_out_of_range_is_refused(minutes: int) -> None:
    group = running_group(members=0)
    with pytest.raises(services.GroupRuleError, match="时长"):
        services.schedule_session(
            actor=group.facilitator,
            group=group,
            plan=services.SessionPlan(
                starts_at=datetime.now(UTC),
                duration_minutes=minutes,
                place="活动室",
                topic="相识",
                planned_content="",
            ),
        )


def test_session_record_notes_who_wrote_it() -> None:
    group = running_group(members=0)
    session = session_on(group, -1)
    record(session)
    assert (session.is_recorded, session.recorded_by_id) == (True, group.facilitator_id)


def test_session_record_without_a_process_is_refused() -> None:
    group = running_group(members=0)
    session = session_on(group, -1)
    with pytest.raises(services.GroupRuleError, match="活动过程"):
        services.record_session(
            actor=group.facilitator,
            session=session,
            record=services.SessionRecord(process="  ", observations="x", goal_progress=""),
        )
    assert not session.is_recorded


def test_session_record_of_a_group_in_planning_is_refused() -> None:
    group = GroupFactory()
    session = session_on(group, -1)
    with pytest.raises(services.GroupRuleError, match="进行中"):
        record(session)


def test_tutor_comment_is_kept_with_its_author() -> None:
    group = running_group(members=0)
    session = session_on(group, -1)
    tutor = TutorFactory(unit=group.unit, supervised_units=[group.unit])
    services.comment_on_session(actor=tutor, session=session, comment=" 注意沉默组员的参与 ")
    assert (session.tutor_comment, session.tutor_comment_by_id) == ("注意沉默组员的参与", tutor.id)


def test_empty_tutor_comment_is_refused() -> None:
    group = running_group(members=0)
    session = session_on(group, -1)
    tutor = TutorFactory(unit=group.unit, supervised_units=[group.unit])
    with pytest.raises(services.GroupRuleError, match="督导意见"):
        services.comment_on_session(actor=tutor, session=session, comment=" ")


# --- attendance ----------------------------------------------------------------------------


def test_attendance_is_recorded_for_every_expected_member() -> None:
    group = running_group(members=3)
    session = session_on(group, -1)
    mark_all(session, P)
    db.session.commit()
    rows = db.session.scalars(select(Attendance).where(Attendance.session_id == session.id)).all()
    assert sorted(row.member_id for row in rows) == sorted(member.id for member in group.members)


def test_attendance_of_a_group_that_is_not_running_is_refused() -> None:
    group = GroupFactory()
    services.add_member(
        actor=group.facilitator,
        group=group,
        person=ServiceUserFactory(unit=group.unit),
        joined_on=local_today() - timedelta(days=10),
    )
    session = session_on(group, -1)
    with pytest.raises(services.GroupRuleError, match="进行中"):
        mark_all(session)
    assert session.attendance == []


def test_attendance_for_a_future_session_is_refused() -> None:
    group = running_group(members=2)
    session = session_on(group, 1)
    marks = {member.id: P for member in group.members}
    with pytest.raises(services.GroupRuleError, match="还没有开始"):
        services.take_attendance(actor=group.facilitator, session=session, marks=marks)
    assert session.attendance == []


def test_attendance_missing_a_member_is_refused() -> None:
    group = running_group(members=3)
    session = session_on(group, -1)
    marks = {member.id: P for member in group.members[:2]}
    with pytest.raises(services.GroupRuleError, match="每位组员"):
        services.take_attendance(actor=group.facilitator, session=session, marks=marks)
    assert session.attendance == []


def test_a_member_who_joined_after_the_session_is_not_expected() -> None:
    group = running_group(members=2)
    session = session_on(group, -5)
    late = services.add_member(
        actor=group.facilitator,
        group=group,
        person=ServiceUserFactory(unit=group.unit),
        joined_on=local_today() - timedelta(days=2),
    )
    expected = services.members_expected_at(session)
    assert late not in expected
    assert len(expected) == 2


def test_marking_a_member_who_was_not_expected_is_refused() -> None:
    group = running_group(members=1)
    session = session_on(group, -5)
    late = services.add_member(
        actor=group.facilitator,
        group=group,
        person=ServiceUserFactory(unit=group.unit),
        joined_on=local_today(),
    )
    marks = {group.members[0].id: P, late.id: P}
    with pytest.raises(services.GroupRuleError, match="每位组员"):
        services.take_attendance(actor=group.facilitator, session=session, marks=marks)


def test_a_member_who_left_before_the_session_is_not_expected() -> None:
    group = running_group(members=2)
    leaver = group.members[0]
    services.remove_member(
        actor=group.facilitator,
        member=leaver,
        left_on=local_today() - timedelta(days=10),
        reason="搬家",
    )
    session = session_on(group, -5)
    assert services.members_expected_at(session) == [group.members[1]]


def test_taking_attendance_again_updates_the_marks() -> None:
    group = running_group(members=2)
    session = session_on(group, -1)
    mark_all(session, P)
    mark_all(session, E)
    db.session.commit()
    rows = db.session.scalars(select(Attendance).where(Attendance.session_id == session.id)).all()
    assert [row.status for row in rows] == [E, E]


# Four members, three held sessions and one not yet held; worked out by hand:
#               S1  S2  S3    member rate
#   member 0    P   P   P     3/3 = 100.0
#   member 1    P   E   P     2/3 =  66.7
#   member 2    P   A   A     1/3 =  33.3
#   member 3    E   A   A     0/3 =   0.0
#   present     3   1   2
#   rate       75  25  50
PATTERN = [[P, P, P, E], [P, E, A, A], [P, P, A, A]]


@pytest.fixture
def attended() -> tuple[Group, list[GroupSession], list[GroupMember]]:
    group = running_group(members=4)
    members = list(group.members)
    sessions = [session_on(group, days) for days in (-21, -14, -7)]
    for session, marks in zip(sessions, PATTERN, strict=True):
        services.take_attendance(
            actor=group.facilitator,
            session=session,
            marks={member.id: mark for member, mark in zip(members, marks, strict=True)},
        )
    session_on(group, 7)  # scheduled, not held: it counts for nobody
    db.session.commit()
    return group, sessions, members


def test_attendance_rate_per_member(
    attended: tuple[Group, list[GroupSession], list[GroupMember]],
) -> None:
    group, _sessions, members = attended
    rates = services.member_attendance(group)
    assert [rates[member.id].percent for member in members] == [100.0, 66.7, 33.3, 0.0]


def test_attendance_counts_per_member(
    attended: tuple[Group, list[GroupSession], list[GroupMember]],
) -> None:
    group, _sessions, members = attended
    rates = services.member_attendance(group)
    assert [(rates[m.id].present, rates[m.id].expected) for m in members] == [
        (3, 3),
        (2, 3),
        (1, 3),
        (0, 3),
    ]


def test_attendance_rate_per_session(
    attended: tuple[Group, list[GroupSession], list[GroupMember]],
) -> None:
    group, sessions, _members = attended
    rates = services.session_attendance(group)
    assert [rates[session.id].percent for session in sessions] == [75.0, 25.0, 50.0]


def test_a_session_without_attendance_has_no_rate(
    attended: tuple[Group, list[GroupSession], list[GroupMember]],
) -> None:
    group, sessions, _members = attended
    assert set(services.session_attendance(group)) == {session.id for session in sessions}


def test_a_late_joiner_is_rated_only_on_the_sessions_after_joining(
    attended: tuple[Group, list[GroupSession], list[GroupMember]],
) -> None:
    group, _sessions, members = attended
    late = services.add_member(
        actor=group.facilitator,
        group=group,
        person=ServiceUserFactory(unit=group.unit),
        joined_on=local_today() - timedelta(days=3),
    )
    newest = session_on(group, -1)
    marks = {member.id: P for member in members} | {late.id: P}
    services.take_attendance(actor=group.facilitator, session=newest, marks=marks)
    rate = services.member_attendance(group)[late.id]
    assert (rate.present, rate.expected, rate.percent) == (1, 1, 100.0)


def test_a_member_with_no_held_session_has_no_rate() -> None:
    group = running_group(members=1)
    assert services.member_attendance(group)[group.members[0].id].percent is None


# --- scores --------------------------------------------------------------------------------


@pytest.mark.parametrize("score", [0, 10])
def test_scores_at_the_ends_of_the_scale_are_kept(score: int) -> None:
    group = running_group(members=1)
    member = group.members[0]
    services.set_scores(actor=group.facilitator, group=group, scores={member.id: (score, score)})
    assert (member.pre_score, member.post_score) == (score, score)


@pytest.mark.parametrize(("pre", "post"), [(-1, 5), (5, 11), (11, None)])
def test_scores_outside_the_scale_are_refused(pre: int, post: int | None) -> None:
    group = running_group(members=1)
    member = group.members[0]
    with pytest.raises(services.GroupRuleError, match="0 到 10"):
        services.set_scores(actor=group.facilitator, group=group, scores={member.id: (pre, post)})
    assert (member.pre_score, member.post_score) == (None, None)


def test_a_refused_score_changes_no_other_member() -> None:
    group = running_group(members=2)
    first, second = group.members
    with pytest.raises(services.GroupRuleError):
        services.set_scores(
            actor=group.facilitator, group=group, scores={first.id: (3, 7), second.id: (3, 12)}
        )
    assert first.pre_score is None


def test_scores_of_another_groups_member_are_refused() -> None:
    group = running_group(members=1)
    other = running_group(members=1)
    with pytest.raises(services.GroupRuleError, match="不属于本小组"):
        services.set_scores(
            actor=group.facilitator, group=group, scores={other.members[0].id: (3, 5)}
        )


def test_a_score_may_be_left_empty() -> None:
    group = running_group(members=1)
    member = group.members[0]
    services.set_scores(actor=group.facilitator, group=group, scores={member.id: (4, None)})
    assert (member.pre_score, member.post_score) == (4, None)


# --- calendar feeds ------------------------------------------------------------------------


def test_a_new_feed_token_resolves_to_its_user() -> None:
    worker = WorkerFactory()
    token = calendar_services.create_calendar_feed(actor=worker)
    db.session.commit()
    assert calendar_services.user_for_feed_token(token) == worker


def test_a_second_feed_revokes_the_first() -> None:
    worker = WorkerFactory()
    first = calendar_services.create_calendar_feed(actor=worker)
    second = calendar_services.create_calendar_feed(actor=worker)
    db.session.commit()
    assert (
        calendar_services.user_for_feed_token(first),
        calendar_services.user_for_feed_token(second),
    ) == (
        None,
        worker,
    )


def test_a_revoked_feed_no_longer_resolves() -> None:
    worker = WorkerFactory()
    token = calendar_services.create_calendar_feed(actor=worker)
    calendar_services.revoke_calendar_feeds(actor=worker)
    db.session.commit()
    assert calendar_services.user_for_feed_token(token) is None
    assert not calendar_services.has_calendar_feed(worker)


def test_the_database_stores_only_a_hash_of_the_feed_token() -> None:
    worker = WorkerFactory()
    token = calendar_services.create_calendar_feed(actor=worker)
    db.session.commit()
    rows = db.session.execute(text("SELECT * FROM calendar_feeds")).all()
    stored = [str(value) for row in rows for value in row]
    assert not any(token in value for value in stored)
    assert hashlib.sha256(token.encode()).hexdigest() in stored


def test_a_disabled_users_feed_does_not_resolve() -> None:
    worker = WorkerFactory()
    token = calendar_services.create_calendar_feed(actor=worker)
    worker.is_active = False
    db.session.commit()
    assert calendar_services.user_for_feed_token(token) is None


@pytest.mark.parametrize("token", ["", "x" * 101, "not-a-token"])
def test_an_unknown_feed_token_does_not_resolve(token: str) -> None:
    calendar_services.create_calendar_feed(actor=WorkerFactory())
    db.session.commit()
    assert calendar_services.user_for_feed_token(token) is None


def test_session_record_for_a_future_session_is_refused(app: Flask) -> None:
    group = running_group(members=1)
    upcoming = session_on(group, 3)
    with pytest.raises(services.GroupRuleError, match="还没有开始"):
        services.record_session(
            actor=group.facilitator,
            session=upcoming,
            record=services.SessionRecord("过程", "", ""),
        )


def test_summary_cannot_be_written_while_planning(app: Flask) -> None:
    group = GroupFactory()
    with pytest.raises(services.GroupRuleError, match="总结报告"):
        services.save_summary(actor=group.facilitator, group=group, summary="总结", outcomes="")


def test_a_password_change_voids_the_feed() -> None:
    from casework.accounts import services as accounts
    from tests.factories import PASSWORD

    worker = WorkerFactory()
    token = calendar_services.create_calendar_feed(actor=worker)
    accounts.change_password(
        user=worker, current_password=PASSWORD, new_password="another-password-1", keep_session=None
    )
    db.session.commit()
    assert calendar_services.user_for_feed_token(token) is None
