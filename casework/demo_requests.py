"""Demo help requests: what residents of two Changchun stations ask, in every state.

Everything goes through the help-desk services. The services stamp each request and
event with the present moment, so each request's times are then set back to when it
would have happened (counted in working days from today), so the overdue ones stay
overdue whenever the demo is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from casework.accounts.models import User
from casework.cases import services as case_services
from casework.cases.models import ProblemCategory, RiskLevel, ServiceDomain
from casework.core.clock import local_timezone, local_today
from casework.core.models import utcnow
from casework.extensions import db
from casework.helpdesk import services
from casework.helpdesk.models import Channel, ContactPreference, HelpRequest, RequestCategory
from casework.helpdesk.queries import working_days_before
from casework.orgs.models import Unit
from casework.people.models import ServiceUser

TUTOR = "tutor"


@dataclass(frozen=True)
class CaseSpec:
    """The case a request becomes, for a person the station has already registered."""

    person: str
    domain: ServiceDomain
    problems: tuple[ProblemCategory, ...]
    risk: RiskLevel
    summary: str


@dataclass(frozen=True)
class Action:
    """One triage step, ``hours`` after the request came in (never later than now)."""

    # acknowledge, assign, start, reply, note, refer_unit, refer_agency, decline, convert, close
    kind: str
    by: str
    hours: float
    text: str = ""
    target: str = ""  # assign: username; refer_unit: station key; refer_agency: the agency
    case: CaseSpec | None = None


@dataclass(frozen=True)
class RequestSpec:
    station: str
    channel: Channel
    category: RequestCategory
    description: str
    name: str | None
    phone: str | None
    contact: ContactPreference
    working_days_ago: int
    at: time
    logged_by: str | None = None  # None: the resident submitted it on the web
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class NoticeBoard:
    station: str
    head: str
    opening_hours: str
    hotline: str
    address: str
    services: str
    acknowledge_within_days: int
    answer_within_days: int


NOTICE_BOARDS = (
    NoticeBoard(
        station="station1",
        head="head1",
        opening_hours="周一至周五 8:30–11:30，13:30–17:00；周六上午 8:30–11:30",
        hotline="0431-85671234",
        address="朝阳区湖西路1280号湖西社区党群服务中心一楼",
        services="\n".join(
            (
                "居家养老、助餐和上门服务咨询",
                "低保、特困供养申请协助",
                "心理疏导与情绪支持",
                "家庭关系和邻里纠纷调解",
                "青少年课业辅导、网络成瘾干预",
                "残疾人康复与辅具申请协助",
            )
        ),
        acknowledge_within_days=1,
        answer_within_days=5,
    ),
    # Station 2 has no head among the demo accounts: its only worker keeps the board.
    NoticeBoard(
        station="station2",
        head="worker3",
        opening_hours="周一至周五 8:30–16:30",
        hotline="0431-85679876",
        address="朝阳区解放大路2396号西解放社区党群服务中心二楼",
        services="\n".join(
            (
                "独居、空巢老人关爱探访",
                "流动人口子女入学与托管咨询",
                "社区健康讲座和免费体检组织",
                "困难家庭帮扶与资源链接",
            )
        ),
        acknowledge_within_days=2,
        answer_within_days=7,
    ),
)


REQUESTS: tuple[RequestSpec, ...] = (
    # New, past the one-day limit to acknowledge: shows 逾期未受理.
    RequestSpec(
        station="station1",
        channel=Channel.WEB,
        category=RequestCategory.LIVELIHOOD,
        description=(
            "我母亲今年82岁，一个人住在湖西小区，最近腿脚越来越不方便，买菜做饭都困难。"
            "我在外地工作照顾不上，听说社区有助餐和上门服务，想了解怎么申请。"
        ),
        name="孙丽娟",
        phone="13804315678",
        contact=ContactPreference.PHONE,
        working_days_ago=4,
        at=time(20, 15),
    ),
    # New today, from the hotline, anonymous.
    RequestSpec(
        station="station1",
        channel=Channel.HOTLINE,
        category=RequestCategory.HEALTH,
        description=(
            "来电人称丈夫去年中风后一直卧床，自己一个人照顾，压力很大，晚上睡不着，"
            "经常想哭，想找社工聊一聊，也想了解有没有喘息服务。"
        ),
        name=None,
        phone="15543218876",
        contact=ContactPreference.PHONE,
        working_days_ago=0,
        at=time(9, 40),
        logged_by="worker2",
    ),
    # Acknowledged by being assigned.
    RequestSpec(
        station="station1",
        channel=Channel.WEB,
        category=RequestCategory.EDUCATION,
        description=(
            "孩子上初二，最近总是逃课去网吧，晚上玩手机到两三点，说他也不听，家里天天吵。"
            "想请社工帮忙和孩子谈谈。"
        ),
        name="周建军",
        phone="13943127755",
        contact=ContactPreference.PHONE,
        working_days_ago=1,
        at=time(21, 5),
        actions=(Action("assign", by="head1", hours=12, target="worker2"),),
    ),
    # In progress, past the five-day limit to answer: shows 逾期未答复.
    RequestSpec(
        station="station1",
        channel=Channel.WALK_IN,
        category=RequestCategory.LIVELIHOOD,
        description=(
            "居民到站反映：去年厂子停产后一直没找到稳定工作，妻子患糖尿病需要长期用药，"
            "孩子上小学三年级。想申请低保，不知道需要准备哪些材料。"
        ),
        name="刘志强",
        phone="13596043321",
        contact=ContactPreference.VISIT,
        working_days_ago=7,
        at=time(9, 30),
        logged_by="head1",
        actions=(
            Action("acknowledge", by="head1", hours=0.2),
            Action("assign", by="head1", hours=0.5, target="worker1"),
            Action("start", by="worker1", hours=24),
            Action(
                "note",
                by="worker1",
                hours=30,
                text="已联系街道低保专干，材料清单待确认；约居民下周二到站填写申请表。"
                "另可链接街道劳动保障所的再就业培训。",
            ),
        ),
    ),
    # Answered with a public reply.
    RequestSpec(
        station="station1",
        channel=Channel.WEB,
        category=RequestCategory.OTHER,
        description="社区活动室周末开放吗？我们几位老人想一起练太极拳，需要一块场地。",
        name="赵凤芝",
        phone=None,
        contact=ContactPreference.ONLINE_ONLY,
        working_days_ago=3,
        at=time(16, 20),
        actions=(
            Action("acknowledge", by="worker1", hours=17),
            Action(
                "reply",
                by="worker1",
                hours=18,
                text="您好！社区活动室周六上午 8:30–11:30 开放，可提前一天到站登记使用。"
                "站里正在组建文体活动指导小组，欢迎您和几位老人报名参加。",
            ),
        ),
    ),
    # Answered, then closed (办结) once the matter was done.
    RequestSpec(
        station="station2",
        channel=Channel.HOTLINE,
        category=RequestCategory.LIVELIHOOD,
        description="家里老人八十多岁，想申请高龄津贴，不知道去哪里办、要带什么材料。",
        name="孙桂香",
        phone="13804316688",
        contact=ContactPreference.PHONE,
        working_days_ago=8,
        at=time(10, 15),
        logged_by="worker3",
        actions=(
            Action("acknowledge", by="worker3", hours=0.1),
            Action(
                "reply",
                by="worker3",
                hours=3,
                text="高龄津贴在街道便民服务中心受理，请携带老人身份证、户口簿和银行卡，"
                "本人行动不便的可由家属代办。",
            ),
            Action(
                "close",
                by="worker3",
                hours=80,
                text="家属已回电告知申请已受理，本求助办结。",
            ),
        ),
    ),
    # Referred to an outside agency, with an internal note first.
    RequestSpec(
        station="station1",
        channel=Channel.HOTLINE,
        category=RequestCategory.DISPUTE,
        description=(
            "来电人称与丈夫经常争吵，昨晚被推倒在地，手臂擦伤，不敢报警，"
            "担心孩子受影响，询问能否获得帮助。"
        ),
        name=None,
        phone="18643107789",
        contact=ContactPreference.SMS,
        working_days_ago=2,
        at=time(10, 10),
        logged_by="worker1",
        actions=(
            Action(
                "note",
                by="worker1",
                hours=0.2,
                text="来电人情绪激动，有人身安全风险；已告知紧急情况下立即拨打110。"
                "只接受短信联系，切勿致电。",
            ),
            Action(
                "refer_agency",
                by="worker1",
                hours=1,
                target="朝阳区妇联反家暴维权服务站",
                text="已为您联系朝阳区妇联反家暴维权服务站，工作人员将通过短信与您约定时间。"
                "如遇紧急情况请立即拨打110。",
            ),
        ),
    ),
    # Declined with a reason the resident reads.
    RequestSpec(
        station="station1",
        channel=Channel.WEB,
        category=RequestCategory.OTHER,
        description="楼上邻居家装修噪音太大，物业也不管，要求社工站马上让他们停工并赔偿我的损失。",
        name="钱伟",
        phone="13756781234",
        contact=ContactPreference.PHONE,
        working_days_ago=5,
        at=time(13, 0),
        actions=(
            Action("acknowledge", by="worker2", hours=20),
            Action(
                "decline",
                by="worker2",
                hours=26,
                text="您好，装修噪音的处理和赔偿属于物业管理和民事纠纷，社工站无权责令停工或裁定赔偿。"
                "建议联系湖西小区物业服务中心，或到社区居委会申请人民调解。",
            ),
        ),
    ),
    # Converted to a case for a person the station registered earlier.
    RequestSpec(
        station="station1",
        channel=Channel.WALK_IN,
        category=RequestCategory.LIVELIHOOD,
        description=(
            "吴秀云到站求助：肢体残疾，独自在家洗澡、上下楼都很困难，儿子在外地工作。"
            "希望申请居家照护服务，并了解卫生间适老化改造的补贴。"
        ),
        name="吴秀云",
        phone=None,
        contact=ContactPreference.VISIT,
        working_days_ago=2,
        at=time(14, 30),
        logged_by="worker1",
        actions=(
            Action("acknowledge", by="worker1", hours=0.2),
            Action(
                "convert",
                by="worker1",
                hours=2,
                case=CaseSpec(
                    person="吴秀云",
                    domain=ServiceDomain.SOCIAL_AID,
                    problems=(ProblemCategory.DISABILITY, ProblemCategory.HEALTH_CARE),
                    risk=RiskLevel.MEDIUM,
                    summary="肢体残疾低保对象，居家照护与适老化改造需求",
                ),
            ),
        ),
    ),
    # Sent to station 1 by mistake, passed on to station 2 and acknowledged there.
    RequestSpec(
        station="station1",
        channel=Channel.WEB,
        category=RequestCategory.HEALTH,
        description=(
            "我住在西解放小区，父亲有阿尔茨海默病，这个月已经走失两次。"
            "想了解有没有防走失手环，或者家属互助小组。"
        ),
        name="马丽",
        phone="13009876543",
        contact=ContactPreference.PHONE,
        working_days_ago=1,
        at=time(8, 50),
        actions=(
            Action(
                "refer_unit",
                by="worker1",
                hours=1,
                target="station2",
                text="您住在西解放社区，已转至西解放社区社会工作服务站办理，该站社工会与您联系。",
            ),
            Action("acknowledge", by="worker3", hours=3),
        ),
    ),
    # Station 2: a letter, past its two-day limit to acknowledge.
    RequestSpec(
        station="station2",
        channel=Channel.LETTER,
        category=RequestCategory.HEALTH,
        description=(
            "来信反映：西解放小区健身器材有两处损坏，老人锻炼时容易受伤，"
            "希望社工站协调维修，并组织一次老年人防跌倒健康讲座。"
        ),
        name="高玉兰",
        phone="13174302288",
        contact=ContactPreference.PHONE,
        working_days_ago=3,
        at=time(10, 0),
        logged_by="worker3",
    ),
    RequestSpec(
        station="station2",
        channel=Channel.WEB,
        category=RequestCategory.EDUCATION,
        description=(
            "我们是外来务工人员，孩子今年该上小学了，户口不在本地，不知道怎么办入学手续，"
            "也想给孩子找个放学后的托管。"
        ),
        name="陈刚",
        phone="15804326677",
        contact=ContactPreference.PHONE,
        working_days_ago=2,
        at=time(19, 45),
        actions=(
            Action("acknowledge", by="worker3", hours=14),
            Action("start", by="worker3", hours=16),
            Action(
                "note",
                by="worker3",
                hours=17,
                text="已咨询街道教育办：需居住证和务工证明；周四电话告知家长。",
            ),
        ),
    ),
    RequestSpec(
        station="station2",
        channel=Channel.HOTLINE,
        category=RequestCategory.HEALTH,
        description="来电询问社区免费体检的时间、地点和需要带的证件。",
        name="黄秀珍",
        phone="13180906655",
        contact=ContactPreference.PHONE,
        working_days_ago=4,
        at=time(15, 10),
        logged_by="worker3",
        actions=(
            Action(
                "reply",
                by="worker3",
                hours=0.5,
                text="本季度免费体检安排在每月第二个周三上午，地点为西解放社区卫生服务站，"
                "请携带身份证和医保卡，空腹前往。",
            ),
        ),
    ),
)


def seed_requests(units: Mapping[str, Unit], users: Mapping[str, User]) -> None:
    """The notice boards of stations 1 and 2 and their residents' requests; no commit."""
    for board in NOTICE_BOARDS:
        services.save_profile(
            actor=users[board.head],
            unit=units[board.station],
            details=services.ProfileDetails(
                opening_hours=board.opening_hours,
                hotline=board.hotline,
                address=board.address,
                services=board.services,
                acknowledge_within_days=board.acknowledge_within_days,
                answer_within_days=board.answer_within_days,
            ),
        )
    now = utcnow()
    for spec in REQUESTS:
        _Request(spec, units, users, now).run()
    db.session.flush()


class _Request:
    """One request's way through the services, with its moments set back in time."""

    def __init__(
        self, spec: RequestSpec, units: Mapping[str, Unit], users: Mapping[str, User], now: datetime
    ) -> None:
        self.spec = spec
        self.units = units
        self.users = users
        # One minute per step before now at the latest, so no moment lies in the future.
        self.latest = now - timedelta(minutes=len(spec.actions) + 1)
        day = working_days_before(local_today(), spec.working_days_ago)
        local = datetime.combine(day, spec.at, tzinfo=local_timezone()).astimezone(UTC)
        self.submitted = min(local, self.latest)

    def run(self) -> HelpRequest:
        spec = self.spec
        details = services.RequestDetails(
            category=spec.category,
            description=spec.description,
            name=spec.name,
            phone=spec.phone,
            contact_preference=spec.contact,
        )
        if spec.logged_by:
            request = services.log_request(
                actor=self.users[spec.logged_by],
                unit=self.units[spec.station],
                channel=spec.channel,
                details=details,
                consent_given=True,
            )
        else:
            request = services.submit_request(unit=self.units[spec.station], details=details)
        request.submitted_at = self.submitted
        request.consent_at = self.submitted
        for event in request.events:
            event.at = self.submitted
        moment = self.submitted
        for step, action in enumerate(spec.actions):
            ceiling = self.latest + timedelta(minutes=step + 1)
            moment = max(moment, min(self.submitted + timedelta(hours=action.hours), ceiling))
            self._take(request, action, moment)
        return request

    def _take(self, request: HelpRequest, action: Action, moment: datetime) -> None:
        seen = len(request.events)
        acknowledged, answered = request.acknowledged_at, request.answered_at
        actor = self.users[action.by]
        if action.kind == "acknowledge":
            services.acknowledge(actor=actor, request=request)
        elif action.kind == "assign":
            services.assign(actor=actor, request=request, worker=self.users[action.target])
        elif action.kind == "start":
            services.start(actor=actor, request=request)
        elif action.kind == "reply":
            services.reply(actor=actor, request=request, body=action.text)
        elif action.kind == "note":
            services.add_note(actor=actor, request=request, body=action.text)
        elif action.kind == "refer_unit":
            services.refer_to_unit(
                actor=actor, request=request, unit=self.units[action.target], note=action.text
            )
        elif action.kind == "refer_agency":
            services.refer_to_agency(
                actor=actor, request=request, agency=action.target, note=action.text
            )
        elif action.kind == "decline":
            services.decline(actor=actor, request=request, reason=action.text)
        elif action.kind == "convert":
            self._convert(request, action, actor)
        elif action.kind == "close":
            services.close(actor=actor, request=request, note=action.text)
        else:
            raise ValueError(f"unknown demo action {action.kind}")
        for event in request.events[seen:]:
            event.at = moment
        if acknowledged is None and request.acknowledged_at is not None:
            request.acknowledged_at = moment
        if answered is None and request.answered_at is not None:
            request.answered_at = moment

    def _convert(self, request: HelpRequest, action: Action, actor: User) -> None:
        spec = action.case
        if spec is None:
            raise ValueError("a demo conversion needs its case")
        person = db.session.scalars(
            select(ServiceUser).where(
                ServiceUser.unit_id == request.unit_id, ServiceUser.name == spec.person
            )
        ).one()
        services.convert_to_case(
            actor=actor,
            request=request,
            person=person,
            details=case_services.CaseDetails(
                domain=spec.domain,
                source=services.case_source_for(request),
                risk_level=spec.risk,
                summary=spec.summary,
                problems=list(spec.problems),
            ),
            worker=actor,
            tutor=self.users[TUTOR],
        )
