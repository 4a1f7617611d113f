"""Demo group work: groups with their sessions, volunteers and community activities.

Stations 1 and 2 each have a running group (sessions held with attendance and records, a
tutor's comment, the next session planned) and a closed one (every session held, scores,
summary, closure approved by the tutor); station 1 also has a plan awaiting approval.
Members are the service users the casework demo registered at each station, joining only
after they were registered. Every change goes through the group services; like the help
requests, the moments the services stamp with "now" (transitions, start and end dates,
plan decisions, session records) are then set back to when they would have happened.
The groups are data (``data/groups.toml``); dates count back from today, and phone
numbers and scores come from a seeded generator.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from casework.accounts.models import User
from casework.activities import services as activity_services
from casework.activities.models import CommunityActivity
from casework.attachments import services as attachment_services
from casework.core.clock import local_timezone, local_today
from casework.demo.group_specs import (
    WEEKDAYS,
    ActivitySpec,
    GroupSpec,
    GroupWorkSpec,
    SessionSpec,
    VolunteerSpec,
)
from casework.extensions import db
from casework.groups import services
from casework.groups.models import AttendanceStatus, Group, GroupMember, GroupSession, GroupStatus
from casework.orgs.models import Unit
from casework.people.models import ServiceUser
from casework.volunteers import services as volunteer_services
from casework.volunteers.models import Volunteer

SEED = 20261130
# Activity photos (data/photos): plain drawings, nobody in them can be recognised.
PHOTOS = Path(__file__).parent / "data" / "photos"
PHONE_PREFIXES = ("130", "131", "135", "138", "139", "150", "155", "158", "186", "188")


def seed_groups(
    group_work: GroupWorkSpec, units: Mapping[str, Unit], users: Mapping[str, User]
) -> None:
    """The volunteers, groups and community activities of the data file; no commit."""
    seeder = _Seeder(units, users, tutor=users[group_work.tutor])
    for volunteer in group_work.volunteers:
        seeder.register_volunteer(volunteer)
    for group in group_work.groups:
        seeder.seed_group(group)
    for activity in group_work.activities:
        seeder.seed_activity(activity)
    # 分级分类、动态管理: a volunteer who has moved away is kept, but disabled.
    for volunteer in group_work.volunteers:
        if not volunteer.active:
            volunteer_services.set_volunteer_active(
                actor=users[volunteer.registered_by],
                volunteer=seeder.volunteers[volunteer.name],
                active=False,
            )
    db.session.flush()


def _moment(day: date, at: time) -> datetime:
    """``at`` o'clock Changchun time on ``day``, in UTC as the database keeps it."""
    return datetime.combine(day, at, tzinfo=local_timezone()).astimezone(UTC)


class _Seeder:
    def __init__(self, units: Mapping[str, Unit], users: Mapping[str, User], tutor: User) -> None:
        self.units = units
        self.users = users
        self.tutor = tutor
        self.today = local_today()
        self.rng = random.Random(SEED)  # noqa: S311 (repeatable demo data, not secrets)
        self.volunteers: dict[str, Volunteer] = {}
        self.people: dict[str, dict[str, ServiceUser]] = {}

    def person(self, station: str, name: str) -> ServiceUser:
        """A service user the casework demo registered at ``station``."""
        if station not in self.people:
            unit_id = self.units[station].id
            self.people[station] = {
                person.name: person
                for person in db.session.scalars(
                    select(ServiceUser).where(ServiceUser.unit_id == unit_id)
                )
            }
        return self.people[station][name]

    def phone(self) -> str:
        return f"{self.rng.choice(PHONE_PREFIXES)}{self.rng.randrange(10**8):08d}"

    # volunteers and activities

    def register_volunteer(self, spec: VolunteerSpec) -> None:
        self.volunteers[spec.name] = volunteer_services.register_volunteer(
            actor=self.users[spec.registered_by],
            unit=self.units[spec.station],
            details=volunteer_services.VolunteerDetails(
                name=spec.name,
                phone=self.phone(),
                category=spec.category,
                skills=spec.skills,
                availability=spec.availability,
            ),
        )

    def seed_activity(self, spec: ActivitySpec) -> CommunityActivity:
        organiser = self.users[spec.organiser]
        held_on = self.today + timedelta(days=spec.days_from_today)
        activity = activity_services.create_activity(
            actor=organiser,
            unit=self.units[spec.station],
            organiser=organiser,
            details=activity_services.ActivityDetails(
                title=spec.title,
                held_on=held_on,
                starts_at=_moment(held_on, spec.at),
                place=spec.place,
                domain=spec.domain,
                activity_type=spec.activity_type,
                description=spec.description,
                participant_count=spec.participant_count,
            ),
        )
        if spec.participants:
            activity_services.set_participants(
                actor=organiser,
                activity=activity,
                people=[self.person(spec.station, name) for name in spec.participants],
            )
        for photo in spec.photos:
            with (PHOTOS / photo).open("rb") as stream:
                attachment_services.store_attachment(
                    actor=organiser,
                    file_storage=FileStorage(stream=stream, filename=photo),
                    activity=activity,
                    description=spec.title[:100],
                )
        for helper in spec.helpers:
            volunteer_services.assign_volunteer(
                actor=organiser,
                volunteer=self.volunteers[helper.volunteer],
                served_on=held_on,
                hours=helper.hours,
                role=helper.role,
                activity=activity,
            )
        return activity

    # groups

    def seed_group(self, spec: GroupSpec) -> Group:
        return _GroupWalk(self, spec).run()


class _GroupWalk:
    """One group's way from its plan to its demo status, session by session."""

    def __init__(self, seeder: _Seeder, spec: GroupSpec) -> None:
        self.seeder = seeder
        self.spec = spec
        self.facilitator = seeder.users[spec.facilitator]
        today = seeder.today
        latest = today - timedelta(days=1)
        while latest.weekday() != WEEKDAYS.index(spec.weekday):
            latest -= timedelta(days=1)
        last = latest - timedelta(weeks=spec.weeks_since_last)
        count = len(spec.sessions)
        self.days = [last - timedelta(weeks=count - 1 - index) for index in range(count)]
        first = self.days[0] if self.days else today + timedelta(days=21)
        self.next_day = latest + timedelta(weeks=1)
        if self.next_day <= today:  # today is the group's day: the next one is next week
            self.next_day += timedelta(weeks=1)
        self.created_on = first - timedelta(days=35)
        self.recruitment = (first - timedelta(days=30), first - timedelta(days=3))
        self.members: dict[str, GroupMember] = {}
        self.group: Group | None = None

    def run(self) -> Group:
        spec = self.spec
        planning = (GroupStatus.PLANNING, GroupStatus.PLAN_PENDING_APPROVAL)
        if spec.status in planning:
            # Still being planned: drafted last week, recruiting from next week.
            self.created_on = self.seeder.today - timedelta(days=6)
            self.recruitment = (
                self.seeder.today + timedelta(days=3),
                self.seeder.today + timedelta(days=20),
            )
        group = self.create()
        self.stamp(self.created_on, time(10, 0))
        if spec.status is GroupStatus.PLANNING:
            return group
        self.step("submit_plan", self.created_on + timedelta(days=2))
        if spec.status is GroupStatus.PLAN_PENDING_APPROVAL:
            return group
        approved = self.created_on + timedelta(days=4)
        self.step("approve_plan", approved, by_tutor=True)
        group.started_on = approved
        group.plan_decided_at = _moment(approved, time(16, 0))
        for name in spec.members:
            self.join(name, self.recruitment[1])
        for number, (session_spec, day) in enumerate(
            zip(spec.sessions, self.days, strict=True), start=1
        ):
            self.hold(number, session_spec, day)
        if spec.upcoming is not None:
            self.schedule(spec.upcoming, self.next_day)
            for joiner in spec.late_joiners:
                if joiner.first_session > len(spec.sessions):
                    self.join(joiner.name, self.seeder.today)
        self.score()
        if spec.status is GroupStatus.CLOSED:
            self.close()
        if group.status is not spec.status:
            raise RuntimeError(f"demo group {group.name} ended {group.status}, not {spec.status}")
        return group

    # the plan and the steps

    def create(self) -> Group:
        spec = self.spec
        users = self.seeder.users
        self.group = services.create_group(
            actor=self.facilitator,
            unit=self.seeder.units[spec.station],
            plan=services.GroupPlan(
                name=spec.name,
                group_type=spec.group_type,
                domain=spec.domain,
                purpose=spec.purpose,
                goals=spec.goals,
                target_members=spec.target_members,
                rationale=spec.rationale,
                session_plan=spec.session_plan,
                planned_sessions=spec.planned_sessions,
                recruitment_from=self.recruitment[0],
                recruitment_until=self.recruitment[1],
                measure_name=spec.measure_name,
                measure_max=spec.measure_max,
            ),
            facilitator=self.facilitator,
            co_facilitators=[users[name] for name in spec.co_facilitators],
            observer=users[spec.observer] if spec.observer else None,
            tutor=self.seeder.tutor,
        )
        return self.group

    @property
    def current(self) -> Group:
        if self.group is None:
            raise RuntimeError("create the group first")
        return self.group

    def stamp(self, day: date, at: time) -> None:
        """Set the latest transition back to when it happened."""
        self.current.transitions[-1].at = _moment(day, at)

    def step(
        self, action: str, day: date, *, by_tutor: bool = False, reason: str | None = None
    ) -> None:
        actor = self.seeder.tutor if by_tutor else self.facilitator
        services.take_step(self.current, action, actor=actor, reason=reason)
        self.stamp(day, time(16, 0) if by_tutor else time(11, 0))

    def advance(self, day: date) -> None:
        services.advance_stage(actor=self.facilitator, group=self.current)
        self.stamp(day, time(17, 0))

    # members and sessions

    def join(self, name: str, on: date) -> None:
        person = self.seeder.person(self.spec.station, name)
        self.members[name] = services.add_member(
            actor=self.facilitator, group=self.current, person=person, joined_on=on
        )

    def schedule(self, spec: SessionSpec, day: date) -> GroupSession:
        return services.schedule_session(
            actor=self.facilitator,
            group=self.current,
            plan=services.SessionPlan(
                starts_at=_moment(day, self.spec.at),
                duration_minutes=self.spec.duration_minutes,
                place=self.spec.place,
                topic=spec.topic,
                planned_content=spec.content,
            ),
        )

    def hold(self, number: int, spec: SessionSpec, day: date) -> None:
        group_spec = self.spec
        for joiner in group_spec.late_joiners:
            if joiner.first_session == number:
                self.join(joiner.name, day - timedelta(days=1))
        session = self.schedule(spec, day)
        missed = {
            (absence.name, absence.session): absence.status for absence in group_spec.absences
        }
        names = {member.id: name for name, member in self.members.items()}
        services.take_attendance(
            actor=self.facilitator,
            session=session,
            marks={
                member.id: missed.get((names[member.id], number), AttendanceStatus.PRESENT)
                for member in services.members_expected_at(session)
            },
        )
        services.record_session(
            actor=self.facilitator,
            session=session,
            record=services.SessionRecord(
                process=spec.process, observations=spec.observations, goal_progress=spec.progress
            ),
        )
        ends = session.starts_at + timedelta(minutes=group_spec.duration_minutes)
        session.recorded_at = ends + timedelta(hours=2)
        if spec.comment:
            services.comment_on_session(
                actor=self.seeder.tutor, session=session, comment=spec.comment
            )
        for helper in group_spec.helpers:
            if helper.session == number:
                volunteer_services.assign_volunteer(
                    actor=self.facilitator,
                    volunteer=self.seeder.volunteers[helper.volunteer],
                    served_on=day,
                    hours=helper.hours,
                    role=helper.role,
                    group=self.current,
                )
        for leaver in group_spec.leavers:
            if leaver.after_session == number:
                services.remove_member(
                    actor=self.facilitator,
                    member=self.members[leaver.name],
                    left_on=day + timedelta(days=2),
                    reason=leaver.reason,
                )
        if number in group_spec.stage_after:
            self.advance(day + timedelta(days=1))

    def score(self) -> None:
        """Pre-tests when members join; post-tests at the last session of a closed group."""
        spec = self.spec
        closed = spec.status is GroupStatus.CLOSED
        rng = self.seeder.rng
        scores: dict[int, tuple[int | None, int | None]] = {}
        for member in self.current.members:
            if member.left_on is None and member.joined_on >= self.seeder.today:
                continue  # joins at the next session: the pre-test is taken there
            pre = rng.randint(5, 9) if spec.lower_is_better else rng.randint(2, 6)
            change = rng.choice((0, 1, 2, 2, 3, 3))
            post = pre - change if spec.lower_is_better else pre + change
            scores[member.id] = (pre, post if closed else None)
        services.set_scores(actor=self.facilitator, group=self.current, scores=scores)

    def close(self) -> None:
        spec = self.spec
        last = self.days[-1]
        services.save_summary(
            actor=self.facilitator, group=self.current, summary=spec.summary, outcomes=spec.outcomes
        )
        self.step("request_closure", last + timedelta(days=3))
        approved = last + timedelta(days=5)
        if spec.closure_returned:
            self.step(
                "return_closure",
                last + timedelta(days=5),
                by_tutor=True,
                reason=spec.closure_returned,
            )
            services.save_summary(
                actor=self.facilitator,
                group=self.current,
                summary=f"{spec.summary}\n{spec.follow_up_note}",
                outcomes=spec.outcomes,
            )
            self.step("request_closure", last + timedelta(days=7))
            approved = last + timedelta(days=8)
        self.step("approve_closure", approved, by_tutor=True)
        self.current.closed_on = approved
