"""The demo group work: running and closed groups, volunteers with hours, activities."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from casework.accounts.models import Role
from casework.activities.models import ActivityType, CommunityActivity
from casework.core.clock import local_date, local_timezone, local_today
from casework.extensions import db
from casework.groups import services
from casework.groups.models import Group, GroupStatus, GroupType
from casework.groups.report import render_group_report
from casework.orgs.models import Unit
from casework.volunteers import services as volunteer_services
from casework.volunteers.models import Volunteer, VolunteerCategory
from tests.demo.conftest import Seeded

STATIONS = ("CC-CQ-HX", "CC-CQ-XJ")
STANDING_TYPES = {
    GroupType.MEDIATION,
    GroupType.CULTURE_SPORTS,
    GroupType.HARDSHIP_RELIEF,
    GroupType.ENVIRONMENT,
    GroupType.HEALTH_COUNSELLING,
}


def _groups(code: str | None = None) -> list[Group]:
    query = select(Group).order_by(Group.id)
    if code is not None:
        query = query.join(Unit, Unit.id == Group.unit_id).where(Unit.code == code)
    return list(db.session.scalars(query))


def _in(status: GroupStatus) -> list[Group]:
    return [group for group in _groups() if group.status is status]


def test_seeding_succeeds(seeded: Seeded) -> None:
    assert seeded.result.exit_code == 0, seeded.result.output


@pytest.mark.parametrize("code", STATIONS)
def test_each_station_has_a_running_and_a_closed_group(seeded: Seeded, code: str) -> None:
    statuses = {group.status for group in _groups(code)}
    assert {GroupStatus.RUNNING, GroupStatus.CLOSED} <= statuses


@pytest.mark.parametrize("code", STATIONS)
def test_each_station_runs_a_standing_group_and_a_support_group(seeded: Seeded, code: str) -> None:
    worked = [group.group_type for group in _groups(code) if group.started_on is not None]
    assert STANDING_TYPES & set(worked)
    assert {GroupType.SUPPORT, GroupType.THERAPEUTIC} & set(worked)


def test_closed_groups_have_attendance_for_every_session(seeded: Seeded) -> None:
    for group in _in(GroupStatus.CLOSED):
        assert group.sessions
        for session in group.sessions:
            expected = {member.id for member in services.members_expected_at(session)}
            assert {row.member_id for row in session.attendance} == expected, session.topic


def test_closed_groups_have_every_planned_session_recorded(seeded: Seeded) -> None:
    for group in _in(GroupStatus.CLOSED):
        assert len(group.sessions) == group.planned_sessions
        assert all(session.is_recorded for session in group.sessions)


def test_closed_groups_have_scores_summary_and_the_tutors_approval(seeded: Seeded) -> None:
    for group in _in(GroupStatus.CLOSED):
        assert all(
            member.pre_score is not None and member.post_score is not None
            for member in group.members
        )
        assert all(
            0 <= score <= group.measure_max
            for member in group.members
            for score in (member.pre_score, member.post_score)
            if score is not None
        )
        assert group.summary
        assert group.outcomes
        last = group.transitions[-1]
        assert (last.action, last.actor.role) == ("approve_closure", Role.TUTOR)
        assert group.closed_on is not None
        assert group.closed_on < local_today()


def test_running_groups_have_held_recorded_sessions_and_one_to_come(seeded: Seeded) -> None:
    today = local_today()
    for group in _in(GroupStatus.RUNNING):
        held = [session for session in group.sessions if session.attendance]
        coming = [s for s in group.sessions if local_date(s.starts_at) > today]
        assert len(held) >= 3
        assert all(session.is_recorded for session in held)
        assert len(coming) == 1
        assert any(session.tutor_comment for session in group.sessions)


def test_no_attendance_is_taken_for_a_future_session(seeded: Seeded) -> None:
    today = local_today()
    for group in _groups():
        for session in group.sessions:
            if session.attendance:
                assert local_date(session.starts_at) <= today


def test_members_belong_to_the_groups_station(seeded: Seeded) -> None:
    for group in _groups():
        assert all(member.service_user.unit_id == group.unit_id for member in group.members)


def test_no_member_joins_before_being_registered(seeded: Seeded) -> None:
    for group in _groups():
        for member in group.members:
            consent = member.service_user.consent_given_on
            assert consent is not None
            assert consent <= member.joined_on, member.service_user.name


def test_sessions_start_in_the_daytime_in_changchun(seeded: Seeded) -> None:
    def local_hour(moment: datetime) -> int:
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return aware.astimezone(local_timezone()).hour

    hours = {local_hour(session.starts_at) for group in _groups() for session in group.sessions}
    assert min(hours) >= 8
    assert max(hours) <= 17


def test_about_a_dozen_volunteers_across_categories(seeded: Seeded) -> None:
    volunteers = list(db.session.scalars(select(Volunteer)))
    assert 10 <= len(volunteers) <= 15
    assert {
        VolunteerCategory.CIVIL_SERVANT,
        VolunteerCategory.PARTY_LEAGUE,
        VolunteerCategory.MEDICAL,
        VolunteerCategory.TEACHER,
        VolunteerCategory.VETERAN,
        VolunteerCategory.LOW_INCOME,
    } <= {volunteer.category for volunteer in volunteers}


def test_every_volunteer_has_hours(seeded: Seeded) -> None:
    for volunteer in db.session.scalars(select(Volunteer)):
        assert volunteer_services.volunteer_hours(volunteer) > 0, volunteer.name


def test_one_activity_is_still_to_come(seeded: Seeded) -> None:
    today = local_today()
    activities = list(db.session.scalars(select(CommunityActivity)))
    upcoming = [activity for activity in activities if activity.held_on > today]
    assert len(upcoming) == 1
    assert not upcoming[0].assignments


def test_past_activities_cover_every_kind_of_community_work(seeded: Seeded) -> None:
    today = local_today()
    past = [a for a in db.session.scalars(select(CommunityActivity)) if a.held_on <= today]
    assert 5 <= len(past) <= 6
    assert {activity.activity_type for activity in past} >= {
        ActivityType.PUBLICITY,
        ActivityType.FREE_CLINIC,
        ActivityType.CLEAN_UP,
        ActivityType.CULTURE_SPORTS,
        ActivityType.MUTUAL_HELP,
    }
    assert all(activity.participant_count > 0 and activity.assignments for activity in past)


def test_the_closed_groups_report_renders(seeded: Seeded) -> None:
    group = _in(GroupStatus.CLOSED)[0]
    with seeded.app.test_request_context():
        pdf = render_group_report(group)
    assert pdf.startswith(b"%PDF")
