"""Demo group work: groups with their sessions, volunteers and community activities.

Stations 1 and 2 each have a running group (sessions held with attendance and records, a
tutor's comment, the next session planned) and a closed one (every session held, scores,
summary, closure approved by the tutor); station 1 also has a plan awaiting approval.
Members are the service users the casework demo registered at each station, joining only
after they were registered. Every change goes through the group services; like the help
requests, the moments the services stamp with "now" (transitions, start and end dates,
plan decisions, session records) are then set back to when they would have happened.
Dates count back from today; phone numbers and scores come from a seeded generator.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from casework.accounts.models import User
from casework.activities import services as activity_services
from casework.activities.models import ActivityType, CommunityActivity
from casework.cases.models import ServiceDomain
from casework.core.clock import local_timezone, local_today
from casework.extensions import db
from casework.groups import services
from casework.groups.models import (
    AttendanceStatus,
    Group,
    GroupMember,
    GroupSession,
    GroupStatus,
    GroupType,
)
from casework.orgs.models import Unit
from casework.people.models import ServiceUser
from casework.volunteers import services as volunteer_services
from casework.volunteers.models import Volunteer, VolunteerCategory

SEED = 20261130
TUTOR = "tutor"
PHONE_PREFIXES = ("130", "131", "135", "138", "139", "150", "155", "158", "186", "188")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
P, A, E = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED


# --- what a group is made of ---------------------------------------------------------------


@dataclass(frozen=True)
class SessionSpec:
    topic: str
    content: str
    # The session record; empty for the session still to come.
    process: str = ""
    observations: str = ""
    progress: str = ""
    comment: str = ""  # the tutor's


@dataclass(frozen=True)
class Helper:
    """A volunteer's hours at one session."""

    volunteer: str
    session: int
    hours: float
    role: str


@dataclass(frozen=True)
class GroupSpec:
    station: str
    name: str
    group_type: GroupType
    domain: ServiceDomain
    status: GroupStatus
    facilitator: str
    purpose: str
    goals: str
    target_members: str
    rationale: str
    session_plan: str
    planned_sessions: int
    measure_name: str
    lower_is_better: bool  # how the measure improves
    weekday: int
    at: time
    duration_minutes: int
    place: str
    co_facilitators: tuple[str, ...] = ()
    observer: str | None = None
    members: tuple[str, ...] = ()
    late_joiners: tuple[tuple[str, int], ...] = ()  # (name, first session attended)
    leavers: tuple[tuple[str, int, str], ...] = ()  # (name, after session, reason)
    sessions: tuple[SessionSpec, ...] = ()  # held, with their records
    upcoming: SessionSpec | None = None
    weeks_since_last: int = 0  # the last held session was this many weeks before the latest
    missed: tuple[tuple[str, int, AttendanceStatus], ...] = ()  # everyone else was present
    stage_after: tuple[int, ...] = ()  # the facilitator moves the stage on after these
    helpers: tuple[Helper, ...] = ()
    summary: str = ""
    outcomes: str = ""
    closure_returned: str = ""  # the tutor's reason for sending the closure back once
    follow_up_note: str = ""  # added to the summary after the closure came back
    measure_max: int = 10


@dataclass(frozen=True)
class VolunteerSpec:
    station: str
    name: str
    category: VolunteerCategory
    skills: str
    availability: str
    active: bool = True


@dataclass(frozen=True)
class ActivitySpec:
    station: str
    organiser: str
    title: str
    days_from_today: int  # negative: past
    at: time
    place: str
    domain: ServiceDomain
    activity_type: ActivityType
    description: str
    participant_count: int
    helpers: tuple[tuple[str, float, str], ...] = ()  # (volunteer, hours, role)
    participants: tuple[str, ...] = ()  # registered service users among them


# --- seeding -------------------------------------------------------------------------------


def seed_groups(units: Mapping[str, Unit], users: Mapping[str, User]) -> None:
    """Volunteers, groups and community activities of stations 1 and 2; no commit."""
    seeder = _Seeder(units, users)
    for volunteer in VOLUNTEERS:
        seeder.register_volunteer(volunteer)
    for group in GROUPS:
        seeder.seed_group(group)
    for activity in ACTIVITIES:
        seeder.seed_activity(activity)
    # 分级分类、动态管理: a volunteer who has moved away is kept, but disabled.
    for volunteer in VOLUNTEERS:
        if not volunteer.active:
            volunteer_services.set_volunteer_active(
                actor=users[_head_or_worker(volunteer.station)],
                volunteer=seeder.volunteers[volunteer.name],
                active=False,
            )
    db.session.flush()


def _head_or_worker(station: str) -> str:
    return "head1" if station == "station1" else "worker3"


def _moment(day: date, at: time) -> datetime:
    """``at`` o'clock Changchun time on ``day``, in UTC as the database keeps it."""
    return datetime.combine(day, at, tzinfo=local_timezone()).astimezone(UTC)


class _Seeder:
    def __init__(self, units: Mapping[str, Unit], users: Mapping[str, User]) -> None:
        self.units = units
        self.users = users
        self.tutor = users[TUTOR]
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
            actor=self.users[_head_or_worker(spec.station)],
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
        for volunteer, hours, role in spec.helpers:
            volunteer_services.assign_volunteer(
                actor=organiser,
                volunteer=self.volunteers[volunteer],
                served_on=held_on,
                hours=hours,
                role=role,
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
        while latest.weekday() != spec.weekday:
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
            for name, first in spec.late_joiners:
                if first > len(spec.sessions):
                    self.join(name, self.seeder.today)
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
        for name, first in group_spec.late_joiners:
            if first == number:
                self.join(name, day - timedelta(days=1))
        session = self.schedule(spec, day)
        missed = {(name, at): status for name, at, status in group_spec.missed}
        names = {member.id: name for name, member in self.members.items()}
        services.take_attendance(
            actor=self.facilitator,
            session=session,
            marks={
                member.id: missed.get((names[member.id], number), P)
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
        for name, after, reason in group_spec.leavers:
            if after == number:
                services.remove_member(
                    actor=self.facilitator,
                    member=self.members[name],
                    left_on=day + timedelta(days=2),
                    reason=reason,
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


# --- the demo's volunteers -----------------------------------------------------------------

VOLUNTEERS: tuple[VolunteerSpec, ...] = (
    VolunteerSpec(
        "station1",
        "孙立新",
        VolunteerCategory.MEDICAL,
        "内科主治医师；测血压血糖、慢病用药指导",
        "周六上午；工作日晚间可电话咨询",
    ),
    VolunteerSpec(
        "station1",
        "王雅琴",
        VolunteerCategory.MEDICAL,
        "社区卫生服务中心护士；健康宣教、急救培训",
        "每月第二、四周周六",
    ),
    VolunteerSpec(
        "station1",
        "刘德明",
        VolunteerCategory.VETERAN,
        "退役士官；楼道安全巡查、应急救援、搬运",
        "工作日白天",
    ),
    VolunteerSpec(
        "station1",
        "赵文博",
        VolunteerCategory.TEACHER,
        "退休中学语文教师；简历与求职文书辅导、书法",
        "周二、周四下午",
    ),
    VolunteerSpec(
        "station1",
        "陈晓东",
        VolunteerCategory.CIVIL_SERVANT,
        "朝阳区人社局就业服务科科员；就业扶持政策解读",
        "工作日，需提前一周预约",
    ),
    VolunteerSpec(
        "station1",
        "李秀云",
        VolunteerCategory.PARTY_LEAGUE,
        "社区党员志愿服务队队长；入户走访、活动组织",
        "随时，提前一天通知",
    ),
    VolunteerSpec(
        "station1",
        "郭玉梅",
        VolunteerCategory.LOW_INCOME,
        "楼院保洁、陪伴看护老人",
        "工作日上午",
    ),
    VolunteerSpec(
        "station1",
        "张浩",
        VolunteerCategory.STUDENT,
        "吉林大学社会工作专业学生；活动记录、摄影、手机使用教学",
        "周末",
        active=False,
    ),
    VolunteerSpec(
        "station2",
        "马国强",
        VolunteerCategory.VETERAN,
        "退伍军人；太极拳、老年健身操教练",
        "每天早上",
    ),
    VolunteerSpec(
        "station2",
        "于春燕",
        VolunteerCategory.TEACHER,
        "退休小学音乐教师；合唱、文艺节目编排",
        "周一、周三上午",
    ),
    VolunteerSpec(
        "station2",
        "何立平",
        VolunteerCategory.MEDICAL,
        "退休心内科医生；健康讲座、慢病咨询",
        "周二、周五上午",
    ),
    VolunteerSpec(
        "station2",
        "吴红霞",
        VolunteerCategory.PARTY_LEAGUE,
        "社区团支部书记；宣传、信息登记、陪同老人",
        "工作日",
    ),
)


# --- the demo's groups ---------------------------------------------------------------------

GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec(
        station="station1",
        name="湖西社区空巢老人健康心理辅导小组",
        group_type=GroupType.HEALTH_COUNSELLING,
        domain=ServiceDomain.COMMUNITY_HEALTH,
        status=GroupStatus.RUNNING,
        facilitator="worker1",
        co_facilitators=("worker2",),
        observer="head1",
        purpose="帮助社区空巢、独居老人了解慢性病自我管理和情绪调适的方法，缓解孤独与焦虑，"
        "建立彼此关照的同伴支持网络。",
        goals="1. 组员能说出至少三种适合自己的情绪放松方法；\n"
        "2. 组员掌握血压自测和按时服药的要点；\n"
        "3. 小组结束时孤独感自评得分平均下降 2 分以上；\n"
        "4. 每位组员结对至少一位可每日互相问候的同伴。",
        target_members="湖西社区 65 岁以上空巢、独居老人 6–8 名，"
        "能自行到站或由家属、志愿者陪同参加",
        rationale="网格排查显示本社区空巢、独居老人超过 300 人，多人患高血压、糖尿病等慢性病，"
        "子女不在身边，情绪低落、与邻里来往少。依据社会支持理论和认知行为理论，以小组形式"
        "提供健康知识和情绪支持，并促进组员之间的互助。",
        session_plan="第一节 相识相知：破冰游戏，订立小组契约，前测\n"
        "第二节 我的身体我做主：血压自测与合理用药\n"
        "第三节 认识情绪：情绪温度计，分享近期的烦恼\n"
        "第四节 放松有方法：呼吸放松与坐姿八段锦\n"
        "第五节 睡个好觉：老年人睡眠卫生\n"
        "第六节 邻里守望：结对互助，交换联系方式\n"
        "第七节 我的支持网络：绘制生态图，认识社区资源\n"
        "第八节 回顾与告别：后测，分享收获",
        planned_sessions=8,
        measure_name="孤独感自评量表",
        lower_is_better=True,
        weekday=THU,
        at=time(9, 30),
        duration_minutes=90,
        place="湖西社区社会工作服务站活动室",
        members=("徐国栋", "高玉珍", "张桂英", "刘淑珍", "黄秀英"),
        late_joiners=(("杨德福", 2),),
        leavers=(("张桂英", 4, "髋关节手术住院，家属代为退出小组"),),
        missed=(("高玉珍", 2, E), ("杨德福", 3, E), ("黄秀英", 4, A), ("刘淑珍", 5, E)),
        stage_after=(2, 4),
        sessions=(
            SessionSpec(
                topic="相识相知",
                content="破冰游戏“名字接龙”；介绍小组目的与安排；共同订立小组契约；"
                "填写孤独感自评量表（前测）",
                process="社工王芳介绍小组目的和八节安排，组员通过“名字接龙”互相认识。共同讨论并"
                "写下小组契约：准时参加、不外传他人分享的内容、有事提前请假。组员在社工协助下"
                "完成孤独感自评量表前测。",
                observations="多数组员初次见面较拘谨。徐国栋主动帮助视力不好的组员填写量表；"
                "刘淑珍很少发言，提到儿子在外地时情绪低落。",
                progress="组员彼此认识，小组契约已订立，前测全部完成。",
                comment="首节契约订立得很好。刘淑珍的低落情绪请在节后电话跟进，必要时评估是否需要"
                "个案服务。",
            ),
            SessionSpec(
                topic="我的身体我做主",
                content="志愿者孙立新医生讲解高血压自我管理；血压自测练习；分享按时服药的小窍门",
                process="志愿者孙立新医生讲解高血压、糖尿病的日常自我管理，组员两人一组练习使用"
                "电子血压计并记录读数。组员分享各自提醒按时服药的办法，如分格药盒、闹钟提醒。"
                "新组员杨德福由邻居陪同第一次参加。",
                observations="组员兴趣很高，提问踊跃；张桂英第一次学会自己测量血压，很有成就感。"
                "杨德福较少说话，但认真做了记录。",
                progress="出席组员都能独立完成一次血压测量；组员之间开始交换用药经验。",
            ),
            SessionSpec(
                topic="认识情绪",
                content="“情绪温度计”活动；分享近期让自己烦恼的一件事；社工示范情绪命名与接纳",
                process="用“情绪温度计”卡片请组员标出本周的心情，并分享一件近期的烦心事。社工引导"
                "组员说出情绪的名称，讨论“难过的时候可以做什么”。",
                observations="刘淑珍第一次较完整地讲述了独居的孤独感，其他组员给予安慰和回应，小组"
                "凝聚力明显增强。黄秀英常打断他人发言，社工进行了温和提醒。",
                progress="组员能用“高兴、担心、孤单”等词描述自己的情绪；小组出现了相互支持的互动。",
                comment="本节是小组的转折点，处理黄秀英打断他人的方式恰当。下一节可多安排两两练习，"
                "让内向的组员有发言机会。",
            ),
            SessionSpec(
                topic="放松有方法",
                content="腹式呼吸与渐进式肌肉放松练习；坐姿八段锦；布置每日放松练习打卡",
                process="社工带领组员练习腹式呼吸和渐进式肌肉放松，随后由张伟带领坐姿八段锦。组员"
                "领取“每日放松打卡表”，约定下节分享练习情况。",
                observations="组员普遍反映呼吸放松后“心里踏实了”。杨德福行动不便，采用坐姿完成全部"
                "动作；张桂英因髋部疼痛提前离开。",
                progress="组员掌握了两种放松方法，多数组员愿意在家坚持练习。",
            ),
            SessionSpec(
                topic="睡个好觉",
                content="分享放松练习打卡情况；老年人睡眠卫生知识；讨论改善睡眠的小办法",
                process="组员分享一周的放松打卡情况，多数坚持每天练习。社工讲解老年人的睡眠特点和"
                "睡眠卫生要点，组员讨论午睡时长、睡前饮茶等习惯的影响。",
                observations="组员之间主动互相提醒打卡，徐国栋和杨德福约定每天早上电话问候。张桂英"
                "已住院，组员提议一起写慰问卡。",
                progress="同伴互助开始自发出现；组员对睡眠问题的焦虑有所缓解。",
            ),
        ),
        upcoming=SessionSpec(
            topic="邻里守望",
            content="结对互助，交换联系方式；制作“邻里守望卡”；讨论遇到紧急情况可以找谁",
        ),
        helpers=(
            Helper("孙立新", 2, 2.0, "讲解高血压自我管理，指导血压自测"),
            Helper("张浩", 4, 2.0, "活动记录与拍照"),
        ),
    ),
    GroupSpec(
        station="station1",
        name="湖西社区失业人员再就业支持小组",
        group_type=GroupType.SUPPORT,
        domain=ServiceDomain.SOCIAL_AID,
        status=GroupStatus.CLOSED,
        facilitator="worker2",
        observer="worker1",
        purpose="为社区失业、低保家庭中有劳动能力的居民提供同伴支持，提升求职信心和技能，"
        "链接就业扶持政策与岗位资源。",
        goals="1. 组员了解本市就业扶持和公益性岗位政策；\n"
        "2. 每位组员完成一份个人简历并进行一次模拟面试；\n"
        "3. 求职自我效能感自评平均提高 2 分；\n"
        "4. 小组结束后三个月内至少两名组员实现就业或参加职业培训。",
        target_members="湖西社区登记失业人员和低保家庭中有劳动能力的居民 5–8 名",
        rationale="社区低保和失业家庭中，有劳动能力的成员长期未就业，普遍自信心不足、信息渠道"
        "少。运用优势视角和增能理论，通过小组互助发现自身优势，并与人社部门的就业服务衔接。",
        session_plan="第一节 相识与期待：分享求职经历，订立契约，前测\n"
        "第二节 政策知多少：区人社局讲解就业扶持政策\n"
        "第三节 发现我的优势：优势清单与简历撰写\n"
        "第四节 面试不紧张：模拟面试与同伴反馈\n"
        "第五节 压力与家庭：应对求职压力，争取家人支持\n"
        "第六节 再出发：制订个人行动计划，后测与告别",
        planned_sessions=6,
        measure_name="求职自我效能感自评",
        lower_is_better=False,
        weekday=WED,
        at=time(14, 0),
        duration_minutes=120,
        place="湖西社区社会工作服务站会议室",
        weeks_since_last=10,
        members=("孙建军", "周海军", "韩冬梅", "赵志刚", "曲凤霞"),
        missed=(("周海军", 2, A), ("曲凤霞", 3, E), ("孙建军", 4, A), ("赵志刚", 5, E)),
        stage_after=(2, 4, 5),
        sessions=(
            SessionSpec(
                topic="相识与期待",
                content="自我介绍；分享求职经历与对小组的期待；订立小组契约；前测",
                process="社工张伟说明小组目的，组员依次介绍自己并分享最近一次求职经历。共同订立小组"
                "契约，完成求职自我效能感自评前测。赵志刚由志愿者刘德明协助上下楼。",
                observations="孙建军和周海军多次提到“岁数大了没人要”，情绪消极；韩冬梅较为积极，"
                "希望找到时间灵活的工作。",
                progress="组员相互认识，对小组目标达成共识。",
            ),
            SessionSpec(
                topic="政策知多少",
                content="区人社局就业服务科讲解灵活就业、公益性岗位和职业培训补贴政策；答疑",
                process="志愿者陈晓东（区人社局）讲解就业困难人员认定、公益性岗位申请、职业技能培训"
                "补贴等政策，现场解答组员问题。社工整理了申请流程清单发给组员。",
                observations="组员最关心公益性岗位和培训补贴，韩冬梅当场表示想报名家政服务培训。",
                progress="组员了解了主要政策和申请渠道。",
                comment="政策讲解与组员需要结合得好。请把政策信息转化为每位组员可执行的下一步，"
                "下节前可逐一电话确认。",
            ),
            SessionSpec(
                topic="发现我的优势",
                content="优势清单游戏；志愿者赵文博老师辅导撰写个人简历",
                process="组员两人一组，互相列出对方的三项优势。退休教师志愿者赵文博讲解简历要点，"
                "逐一辅导组员完成简历初稿。",
                observations="赵志刚在同伴反馈中意识到自己擅长电脑操作，可以尝试居家客服类工作；"
                "周海军对简历中如何说明空白期有顾虑，社工节后单独沟通。",
                progress="出席组员都完成了简历初稿。",
            ),
            SessionSpec(
                topic="面试不紧张",
                content="模拟面试：组员轮流扮演面试官和求职者；同伴反馈",
                process="社工设计了超市理货员、物业保洁员、居家客服三个岗位情境，组员轮流扮演面试官"
                "和求职者，结束后由其他组员给予反馈。",
                observations="组员参与度高，互相鼓励；曲凤霞面试时紧张，第二轮练习后明显放松。",
                progress="出席组员都完成了一次模拟面试。",
            ),
            SessionSpec(
                topic="压力与家庭",
                content="分享求职压力；压力应对方法；如何与家人沟通求职计划",
                process="组员用“压力气球”表达求职中的压力来源并讨论应对办法，通过角色扮演练习与家人"
                "沟通求职计划。",
                observations="韩冬梅分享已报名家政培训，带动了其他组员；孙建军提到家人的不理解，"
                "组员给予支持。",
                progress="组员之间形成互助氛围，建立了互通招聘信息的微信群。",
            ),
            SessionSpec(
                topic="再出发",
                content="制订个人行动计划；后测；回顾与告别",
                process="组员各自制订未来三个月的求职行动计划并在组内分享，完成后测。社工回顾六节"
                "活动，组员互赠祝福卡。",
                observations="组员普遍表示信心增强，希望小组结束后微信群继续保持联系。",
                progress="全部组员完成个人行动计划和后测。",
                comment="小组目标基本达成。结束后请在一个月和三个月时跟进组员的就业情况，并写入总结"
                "报告。",
            ),
        ),
        helpers=(
            Helper("刘德明", 1, 1.0, "协助赵志刚上下楼"),
            Helper("陈晓东", 2, 2.0, "讲解就业扶持政策"),
            Helper("赵文博", 3, 2.5, "辅导撰写个人简历"),
            Helper("刘德明", 4, 1.0, "协助赵志刚上下楼"),
        ),
        summary="本小组共开展 6 节活动，5 名组员参加。小组经历了从拘谨、消极到相互鼓励的过程："
        "组员了解了就业扶持政策，都完成了个人简历和模拟面试，并建立了互通招聘信息的微信群。",
        outcomes="求职自我效能感自评平均有所提高；韩冬梅参加家政服务培训，赵志刚经区残联推荐参加"
        "居家客服岗位培训；孙建军、周海军已向人社部门申请公益性岗位。",
        closure_returned="请补充小组结束后对组员的跟进安排。",
        follow_up_note="结束后的跟进：社工将在一个月和三个月时电话回访每位组员的就业情况；"
        "孙建军、周海军的公益性岗位申请由社工协助跟进，需要时转为个案服务。",
    ),
    GroupSpec(
        station="station1",
        name="湖西社区楼院矛盾纠纷调解小组",
        group_type=GroupType.MEDIATION,
        domain=ServiceDomain.COMMUNITY_CORRECTION,
        status=GroupStatus.PLAN_PENDING_APPROVAL,
        facilitator="worker2",
        purpose="培养楼院调解骨干，及时化解楼上楼下噪音、漏水、占用公共空间等邻里纠纷，"
        "促进楼院和谐。",
        goals="1. 组员掌握倾听、澄清、协商等基本调解技巧；\n"
        "2. 每个楼院至少有一名调解骨干；\n"
        "3. 小组期间由组员参与调解的纠纷不少于 5 件。",
        target_members="湖西社区楼长、热心居民和党员志愿者 8–10 名",
        rationale="今年以来社工站接到的邻里纠纷求助明显增多，多为噪音、漏水和楼道堆物。依据人民"
        "调解的工作方法和小组工作的互助模式，培养居民自己的调解力量。",
        session_plan="第一节 认识邻里纠纷\n第二节 倾听与澄清\n第三节 协商与达成协议\n"
        "第四节 案例演练\n第五节 调解中的情绪处理\n第六节 总结与骨干分工",
        planned_sessions=6,
        measure_name="调解技巧自评",
        lower_is_better=False,
        weekday=TUE,
        at=time(14, 30),
        duration_minutes=90,
        place="湖西社区社会工作服务站会议室",
    ),
    GroupSpec(
        station="station2",
        name="西解放社区照顾者减压支持小组",
        group_type=GroupType.HEALTH_COUNSELLING,
        domain=ServiceDomain.COMMUNITY_HEALTH,
        status=GroupStatus.PLANNING,
        facilitator="worker3",
        purpose="为长期照顾失能、失智家人的居民提供情绪疏导和同伴支持，减轻照顾压力。",
        goals="1. 组员学会两种简单的减压方法；\n"
        "2. 组员了解社区可用的喘息服务和照护资源；\n"
        "3. 组员之间建立互助联系。",
        target_members="家中有失能、失智老人或残疾人需要长期照顾的居民 6–8 名",
        rationale="社工在入户中发现多位照顾者长期疲惫、焦虑，缺少倾诉和喘息的机会。"
        "小组以支持性小组的方式，让照顾者相互倾诉、交流经验。",
        session_plan="第一节 相识与分享照顾经历\n第二节 认识照顾压力\n第三节 减压方法练习\n"
        "第四节 社区照护资源介绍\n第五节 同伴互助与告别",
        planned_sessions=5,
        measure_name="照顾压力自评",
        lower_is_better=True,
        weekday=THU,
        at=time(14, 0),
        duration_minutes=90,
        place="西解放社区社会工作服务站活动室",
    ),
    GroupSpec(
        station="station2",
        name="西解放社区银龄健身文体小组",
        group_type=GroupType.CULTURE_SPORTS,
        domain=ServiceDomain.COMMUNITY_SERVICE,
        status=GroupStatus.CLOSED,
        facilitator="worker3",
        purpose="以健身操、太极拳和合唱等文体活动为载体，丰富社区老年人的精神文化生活，"
        "促进身心健康，培养社区文体骨干。",
        goals="1. 组员学会一套适合老年人的健身操和简化太极拳基本动作；\n"
        "2. 组员每周自主锻炼不少于三次；\n"
        "3. 生活满意度自评平均提高 1 分以上；\n"
        "4. 培养 1–2 名能带领楼院居民锻炼的文体骨干。",
        target_members="西解放社区 55 岁以上、身体状况适合轻度运动的居民 4–8 名",
        rationale="社区老年居民多，日间缺少有组织的文体活动，部分老人病后或丧偶后长期独处、活动"
        "量不足。依据积极老龄化理念，以文体活动促进老年人的社会参与和自我效能。",
        session_plan="第一节 相识与热身：健康状况询问、安全须知、前测\n"
        "第二节 健身操（一）：基本动作\n"
        "第三节 简化太极拳入门\n"
        "第四节 健身操（二）与合唱练习\n"
        "第五节 骨干带练\n"
        "第六节 汇报展示与告别：后测",
        planned_sessions=6,
        measure_name="生活满意度自评",
        lower_is_better=False,
        weekday=MON,
        at=time(9, 0),
        duration_minutes=60,
        place="西解放社区文化活动室",
        weeks_since_last=4,
        members=("钱玉林", "冯志强", "于海波"),
        late_joiners=(("潘淑华", 5),),
        missed=(("于海波", 2, E), ("钱玉林", 5, A)),
        stage_after=(2, 4, 5),
        sessions=(
            SessionSpec(
                topic="相识与热身",
                content="自我介绍；运动前健康状况询问与安全须知；热身操；前测",
                process="社工赵丽介绍小组目的与安排，逐一询问组员的血压、关节等健康状况并讲解运动"
                "安全须知。志愿者马国强带领热身操，组员完成生活满意度自评前测。",
                observations="钱玉林左侧偏瘫，担心跟不上，经协商采用坐姿完成上肢动作；于海波术后"
                "体力较弱，以舒缓动作为主；冯志强学得很快。",
                progress="组员相互认识，运动安全须知已落实。",
            ),
            SessionSpec(
                topic="健身操（一）",
                content="志愿者马国强教授老年健身操基本动作；分组练习",
                process="马国强分解教授健身操前四节动作，组员分组练习，社工和志愿者逐一纠正动作。",
                observations="冯志强主动帮助钱玉林调整坐姿动作；钱玉林说“好久没这么出汗了，心情"
                "也好”。",
                progress="组员掌握了健身操前四节。",
                comment="请把每位组员的身体状况和运动强度记在每节记录中，钱玉林和于海波尤其要注意，"
                "安全第一。",
            ),
            SessionSpec(
                topic="简化太极拳入门",
                content="太极拳起势、云手、收势等基本动作；呼吸配合",
                process="马国强讲解太极拳基本要领，带领组员练习起势、云手和收势，并讲解呼吸配合。",
                observations="组员对太极拳兴趣浓厚；于海波与冯志强约好课后一起到广场练习。",
                progress="组员能完成三个基本动作；开始出现课后自主练习。",
            ),
            SessionSpec(
                topic="健身操（二）与合唱练习",
                content="健身操后四节；志愿者于春燕带领合唱练习",
                process="学习健身操后四节并完整串联。志愿者于春燕带领组员练习合唱，为结业展示做准备。",
                observations="组员在合唱中非常投入，钱玉林担任领唱，自信心明显提升。",
                progress="组员能完整完成健身操；合唱初步成形。",
            ),
            SessionSpec(
                topic="骨干带练",
                content="组员轮流带领健身操；讨论如何带动楼院邻居一起锻炼；欢迎新组员",
                process="冯志强带领全体组员做健身操，其他组员给予反馈。讨论在楼院成立晨练点。"
                "新组员潘淑华第一次参加。",
                observations="冯志强带领能力突出，愿意在楼院组织晨练；于海波表示可以负责播放音乐和"
                "通知邻居。潘淑华起初拘谨，在大家的带动下逐渐放松。",
                progress="培养出一名文体骨干，楼院晨练点筹备中。",
            ),
            SessionSpec(
                topic="汇报展示与告别",
                content="健身操与合唱汇报展示；后测；回顾与告别",
                process="组员在社区文化活动室为邻居和家属进行健身操和合唱展示，完成后测，回顾六节"
                "活动的收获并合影留念。",
                observations="组员表现自信；钱玉林的老伴说他在家练习康复动作更积极了。组员希望小组"
                "结束后继续一起锻炼。",
                progress="小组目标基本达成，楼院晨练点已由冯志强牵头启动。",
                comment="小组效果很好。建议把晨练点纳入社区文体活动指导小组的常态工作，并在总结中"
                "记录骨干的培养过程。",
            ),
        ),
        helpers=(
            Helper("马国强", 1, 1.5, "带领热身操"),
            Helper("马国强", 2, 1.5, "教授健身操"),
            Helper("马国强", 3, 1.5, "教授太极拳"),
            Helper("于春燕", 4, 1.5, "带领合唱练习"),
            Helper("于春燕", 6, 2.0, "汇报展示排练与主持"),
        ),
        summary="本小组共开展 6 节活动，组员学会了一套老年健身操和简化太极拳基本动作，并在结业时"
        "为邻居和家属进行了汇报展示。组员从互不相识到结伴锻炼，冯志强成长为楼院文体骨干，"
        "潘淑华在第五节加入后也很快融入。",
        outcomes="生活满意度自评平均有所提高；组员每周自主锻炼三次以上；冯志强牵头在楼院成立"
        "晨练点，已有十余名居民参加；钱玉林的居家康复锻炼更加积极。",
    ),
    GroupSpec(
        station="station2",
        name="西解放社区老年人情绪支持小组",
        group_type=GroupType.SUPPORT,
        domain=ServiceDomain.COMMUNITY_HEALTH,
        status=GroupStatus.RUNNING,
        facilitator="worker3",
        purpose="为经历丧偶、疾病或家庭变故的社区老年人提供情绪支持，帮助组员表达和调适情绪，"
        "减轻孤独和低落情绪，建立同伴支持关系。",
        goals="1. 组员能识别并说出自己的情绪，掌握至少两种情绪调适方法；\n"
        "2. 每位组员结对至少一位可以倾诉的同伴；\n"
        "3. 孤独感自评平均下降 2 分。",
        target_members="西解放社区近期经历丧偶、重病或家庭变故、情绪低落的 60 岁以上居民 5–7 名"
        "（有严重抑郁或自伤风险者转介专业机构）",
        rationale="社工在个案服务中发现，多位老年服务对象在丧偶、患病或家庭变故后情绪低落、与外界"
        "来往减少。依据社会支持理论和认知行为理论，以支持小组让组员在同伴中获得理解和力量。",
        session_plan="第一节 相识：我的一天，订立契约，前测\n"
        "第二节 说出心里话：情绪卡片\n"
        "第三节 换个想法看问题：认识自动思维\n"
        "第四节 身体放松，心也放松：放松训练\n"
        "第五节 我的支持网：绘制社会支持图\n"
        "第六节 回顾与展望：后测与告别",
        planned_sessions=6,
        measure_name="孤独感自评量表",
        lower_is_better=True,
        weekday=WED,
        at=time(14, 30),
        duration_minutes=90,
        place="西解放社区社会工作服务站活动室",
        members=("冯志强", "钱玉林", "于海波", "潘淑华", "马桂芝"),
        late_joiners=(("白秀芝", 4),),
        missed=(("潘淑华", 3, E),),
        stage_after=(2,),
        sessions=(
            SessionSpec(
                topic="相识：我的一天",
                content="自我介绍；用时间轴分享“我的一天”；说明保密原则，订立契约；前测",
                process="社工赵丽介绍小组目的和保密原则，组员用“我的一天”时间轴分享日常生活，共同"
                "订立小组契约，并完成孤独感自评前测。",
                observations="组员一天中大部分时间独处或只与家人相处；冯志强在健身小组中与钱玉林、"
                "于海波相识，主动带动气氛。马桂芝听力较差，社工安排她坐在身边。",
                progress="组员相互认识，明确了保密原则，前测完成。",
                comment="保密原则讲得清楚很重要。潘淑华的家庭情况不要在小组中引导她公开，个别支持"
                "放在个案中处理。",
            ),
            SessionSpec(
                topic="说出心里话",
                content="情绪卡片：选一张最像自己这一周的卡片并分享；同伴回应练习",
                process="组员从情绪卡片中选出最能代表本周心情的一张并说明原因，社工示范如何倾听和回应，"
                "组员两人一组练习。",
                observations="钱玉林谈到中风后“成了家里的负担”时落泪，组员纷纷安慰；于海波分享了"
                "术后复查前的担忧，小组气氛真诚。",
                progress="组员开始表达内心感受，出现了相互安慰和鼓励。",
            ),
            SessionSpec(
                topic="换个想法看问题",
                content="认识“自动思维”；用“想法—心情”记录表练习换个角度看问题",
                process="社工用生活中的例子讲解想法如何影响心情，组员用“想法—心情”记录表分析一件"
                "近期的烦心事，并在同伴帮助下找出另一种看法。",
                observations="冯志强能很快找到替代想法并帮助他人；马桂芝对记录表理解有困难，社工"
                "改用口述方式。潘淑华请假。",
                progress="多数组员理解了想法与情绪的关系，能在提示下换个角度看问题。",
            ),
        ),
        upcoming=SessionSpec(
            topic="身体放松，心也放松",
            content="腹式呼吸和渐进式肌肉放松练习；布置每日放松打卡；欢迎新组员白秀芝",
        ),
        helpers=(Helper("吴红霞", 2, 2.0, "签到、茶歇，陪同马桂芝往返"),),
    ),
)


# --- the demo's community activities -------------------------------------------------------

ACTIVITIES: tuple[ActivitySpec, ...] = (
    ActivitySpec(
        station="station1",
        organiser="worker1",
        title="防范电信网络诈骗宣传进楼院",
        days_from_today=-84,
        at=time(9, 0),
        place="湖西社区各楼院及湖西广场",
        domain=ServiceDomain.COMMUNITY_EDUCATION,
        activity_type=ActivityType.PUBLICITY,
        description="联合重庆派出所社区民警，在各楼院张贴防诈骗海报、发放宣传册，为老年居民讲解"
        "冒充公检法、保健品推销等常见骗局，现场帮助居民安装国家反诈中心 App。",
        participant_count=126,
        helpers=(
            ("李秀云", 3.0, "楼院宣传、发放宣传册"),
            ("张浩", 3.0, "拍照记录，帮助居民安装反诈 App"),
            ("刘德明", 2.5, "维持现场秩序"),
        ),
    ),
    ActivitySpec(
        station="station1",
        organiser="worker1",
        title="“健康进社区”免费义诊",
        days_from_today=-56,
        at=time(8, 30),
        place="湖西社区广场",
        domain=ServiceDomain.COMMUNITY_HEALTH,
        activity_type=ActivityType.FREE_CLINIC,
        description="邀请社区卫生服务中心医护人员和志愿医生为居民免费测量血压、血糖，提供慢病用药"
        "咨询；为行动不便的老人上门测量。",
        participant_count=86,
        helpers=(
            ("孙立新", 4.0, "内科义诊、用药咨询"),
            ("王雅琴", 4.0, "测量血压血糖"),
            ("李秀云", 4.0, "引导登记"),
            ("郭玉梅", 3.0, "陪同行动不便的老人"),
        ),
        participants=("徐国栋", "高玉珍", "张桂英", "刘淑珍", "黄秀英", "杨德福"),
    ),
    ActivitySpec(
        station="station2",
        organiser="worker3",
        title="西解放社区邻里文化节文艺汇演",
        days_from_today=-60,
        at=time(18, 30),
        place="西解放社区文化广场",
        domain=ServiceDomain.COMMUNITY_SERVICE,
        activity_type=ActivityType.CULTURE_SPORTS,
        description="居民自编自演歌舞、快板、太极拳等节目 14 个，社区老年合唱队、少儿舞蹈队参演，"
        "驻区单位提供音响和场地支持。",
        participant_count=150,
        helpers=(
            ("于春燕", 5.0, "节目编排与主持"),
            ("马国强", 3.0, "太极拳节目带队"),
            ("吴红霞", 4.0, "现场组织与宣传"),
        ),
    ),
    ActivitySpec(
        station="station1",
        organiser="worker2",
        title="楼道堆物清理和绿化带环境整治",
        days_from_today=-35,
        at=time(8, 0),
        place="湖西小区 1–12 栋",
        domain=ServiceDomain.COMMUNITY_HEALTH,
        activity_type=ActivityType.CLEAN_UP,
        description="组织志愿者和居民清理楼道堆放的杂物和小广告，清理绿化带垃圾，检查楼道消防"
        "通道，共清运杂物约 3 车。",
        participant_count=45,
        helpers=(
            ("刘德明", 3.0, "检查消防通道、搬运杂物"),
            ("郭玉梅", 3.0, "楼道保洁"),
            ("李秀云", 2.0, "入户动员居民"),
        ),
    ),
    ActivitySpec(
        station="station1",
        organiser="head1",
        title="“单位+楼院”共建互助日：供电所进楼院",
        days_from_today=-21,
        at=time(9, 0),
        place="湖西小区 5 栋、6 栋楼院",
        domain=ServiceDomain.COMMUNITY_SERVICE,
        activity_type=ActivityType.MUTUAL_HELP,
        description="与结对共建单位湖西供电所开展“单位+楼院”互助活动：电工师傅为高龄、独居老人"
        "免费检修室内线路和插座，更换老化灯具；党员与居民结对，登记需要长期帮扶的困难家庭 8 户。",
        participant_count=38,
        helpers=(
            ("李秀云", 3.0, "入户登记困难家庭"),
            ("陈晓东", 2.0, "结对帮扶登记"),
            ("刘德明", 3.0, "陪同电工入户"),
        ),
    ),
    ActivitySpec(
        station="station2",
        organiser="worker3",
        title="心脑血管疾病预防健康讲座",
        days_from_today=-12,
        at=time(9, 30),
        place="西解放社区社会工作服务站活动室",
        domain=ServiceDomain.COMMUNITY_HEALTH,
        activity_type=ActivityType.PUBLICITY,
        description="退休心内科医生志愿者讲解高血压、脑卒中的早期信号和预防方法，教居民用“中风"
        "120”口诀识别中风，并免费测量血压。",
        participant_count=52,
        helpers=(
            ("何立平", 2.5, "主讲、答疑"),
            ("吴红霞", 2.0, "签到与血压登记"),
        ),
        participants=("钱玉林", "冯志强", "于海波", "潘淑华", "马桂芝"),
    ),
    ActivitySpec(
        station="station1",
        organiser="worker1",
        title="社区应急救护知识培训",
        days_from_today=9,
        at=time(9, 0),
        place="湖西社区社会工作服务站会议室",
        domain=ServiceDomain.COMMUNITY_HEALTH,
        activity_type=ActivityType.PUBLICITY,
        description="邀请红十字会救护培训师讲解心肺复苏、海姆立克急救法和 AED 的使用，计划招募"
        "居民 40 人，楼长和独居老人家属优先。",
        participant_count=0,
    ),
)
