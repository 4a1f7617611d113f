"""factory_boy factories that go through the services, so invariants hold."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import factory
from argon2 import PasswordHasher, profiles

from casework.accounts.models import Role, User
from casework.activities import services as activity_services
from casework.activities.models import ActivityType, CommunityActivity
from casework.cases import records as case_records
from casework.cases import services as case_services
from casework.cases.enums import (
    AssessmentArea,
    Attainment,
    CaseSource,
    CaseStatus,
    ClosureType,
    NeedLevel,
    ProblemCategory,
    RiskLevel,
    ServiceDomain,
    ServiceForm,
)
from casework.cases.models import Case
from casework.core.clock import local_today
from casework.extensions import db
from casework.groups import services as group_services
from casework.groups.models import Group, GroupType
from casework.helpdesk import services as helpdesk_services
from casework.helpdesk.models import (
    ContactPreference,
    HelpRequest,
    RequestCategory,
)
from casework.orgs.models import Unit, UnitKind
from casework.orgs.services import create_unit
from casework.people.idcard import check_character
from casework.people.models import Gender, ServiceUser, VulnerabilityTag
from casework.projects import credit_code
from casework.projects import services as project_services
from casework.projects.models import Agency, Project, QualificationLevel
from casework.volunteers.models import Volunteer, VolunteerCategory
from casework.workforce import posts as post_services
from casework.workforce import services as workforce_services
from casework.workforce import training as training_services
from casework.workforce.models import (
    Certificate,
    CertificateLevel,
    ContinuingEducationEntry,
    CourseFormat,
    CourseKind,
    EducationKind,
    PartnerKind,
    Post,
    PostKind,
    TrainingCourse,
    TrainingSession,
    WorkerProfile,
)

PASSWORD = "correct-horse-battery"
# Hashing is slow on purpose: the shared test password is hashed once, with the cheap
# profile the test configuration names (PASSWORD_HASH_PROFILE).
_PASSWORD_HASH = PasswordHasher.from_parameters(profiles.CHEAPEST).hash(PASSWORD)


class UnitFactory(factory.Factory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.CITY_BUREAU
    parent = None

    @classmethod
    def _create(cls, model_class: type[Unit], **kwargs: Any) -> Unit:
        unit = create_unit(actor_id=None, **kwargs)
        db.session.commit()
        return unit


class BureauFactory(UnitFactory):
    kind = UnitKind.CITY_BUREAU
    name = factory.Sequence(lambda n: f"测试市民政局{n}")


class CentreFactory(UnitFactory):
    kind = UnitKind.CENTRE
    name = factory.Sequence(lambda n: f"测试街道社会工作服务中心{n}")
    parent = factory.SubFactory(BureauFactory)


class StationFactory(UnitFactory):
    kind = UnitKind.STATION
    name = factory.Sequence(lambda n: f"测试社区社会工作服务站{n}")
    parent = factory.SubFactory(CentreFactory)


class UserFactory(factory.Factory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = Role.SOCIAL_WORKER
    unit = factory.SubFactory(StationFactory)
    is_active = True

    @classmethod
    def _create(cls, model_class: type[User], **kwargs: Any) -> User:
        supervised = kwargs.pop("supervised_units", [])
        user = model_class(password_hash=_PASSWORD_HASH, **kwargs)
        user.supervised_units = list(supervised)
        db.session.add(user)
        db.session.commit()
        return user


class WorkerFactory(UserFactory):
    role = Role.SOCIAL_WORKER


class StationHeadFactory(UserFactory):
    role = Role.STATION_HEAD


class TutorFactory(UserFactory):
    role = Role.TUTOR


class BureauViewerFactory(UserFactory):
    role = Role.BUREAU_VIEWER
    unit = factory.SubFactory(BureauFactory)


class AdminFactory(UserFactory):
    role = Role.SYSADMIN
    unit = factory.SubFactory(BureauFactory)


# --- service users and cases -------------------------------------------------------------


def make_id_number(born: date, serial: int = 123, region: str = "220102") -> str:
    """A valid 18-character ID number for ``born`` (odd serial: male, even: female)."""
    first_17 = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    return first_17 + check_character(first_17)


class TagFactory(factory.Factory):
    class Meta:
        model = VulnerabilityTag

    name = factory.Sequence(lambda n: f"标签{n}")
    position = factory.Sequence(lambda n: n)

    @classmethod
    def _create(cls, model_class: type[VulnerabilityTag], **kwargs: Any) -> VulnerabilityTag:
        tag = model_class(**kwargs)
        db.session.add(tag)
        db.session.commit()
        return tag


class ServiceUserFactory(factory.Factory):
    class Meta:
        model = ServiceUser

    unit = factory.SubFactory(StationFactory)
    name = factory.Sequence(lambda n: f"居民{n}")
    gender = Gender.FEMALE
    birth_date = date(1956, 3, 14)
    id_number = factory.Sequence(lambda n: make_id_number(date(1956, 3, 14), serial=n * 2))
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    address = "朝阳区湖西路 1 号"
    consent_given_on = date(2026, 11, 1)

    @classmethod
    def _create(cls, model_class: type[ServiceUser], **kwargs: Any) -> ServiceUser:
        from casework.people.models import ConsentBasis

        unit = kwargs.pop("unit")
        person = model_class(unit_id=unit.id, consent_basis=ConsentBasis.WRITTEN, **kwargs)
        db.session.add(person)
        db.session.commit()
        return person


class CaseFactory(factory.Factory):
    """A case opened at intake through the service, with its worker in the person's unit."""

    class Meta:
        model = Case

    service_user = factory.SubFactory(ServiceUserFactory)
    domain = ServiceDomain.SOCIAL_AID
    source = CaseSource.WALK_IN
    risk_level = RiskLevel.LOW
    summary = "独居老人生活困难"
    problems = factory.LazyFunction(lambda: [ProblemCategory.LIVELIHOOD])
    worker = None
    tutor = None
    opened_on = None
    # The person's unit unless another one is given (one that may serve the person).
    unit = None

    @classmethod
    def _create(cls, model_class: type[Case], **kwargs: Any) -> Case:
        person = kwargs["service_user"]
        worker = kwargs["worker"] or WorkerFactory(unit=person.unit)
        tutor = kwargs["tutor"]
        case = case_services.open_case(
            actor=worker,
            person=person,
            details=case_services.CaseDetails(
                domain=kwargs["domain"],
                source=kwargs["source"],
                risk_level=kwargs["risk_level"],
                summary=kwargs["summary"],
                problems=kwargs["problems"],
            ),
            worker=worker,
            tutor=tutor,
            opened_on=kwargs["opened_on"],
            unit=kwargs["unit"],
        )
        db.session.commit()
        return case


def assessment_details(**overrides: Any) -> case_records.AssessmentDetails:
    """A 预估表 with every area rated (family and support described), overridable."""
    notes = {
        AssessmentArea.FAMILY: "丧偶，一子在外地工作",
        AssessmentArea.SOCIAL_SUPPORT: "邻居偶尔照看",
    }
    fields: dict[str, Any] = {
        "areas": {
            area: case_records.AreaFinding(NeedLevel.MILD, notes.get(area, ""))
            for area in AssessmentArea
        },
        "needs": "日常照料、情绪支持",
        "strengths": "性格开朗，愿意与邻居来往",
        "risks": "再次跌倒",
        "summary": "需要链接居家养老服务",
    }
    return case_records.AssessmentDetails(**(fields | overrides))


# The order in which a case passes the states, and how to get from each to the next.
PATH = [
    CaseStatus.INTAKE,
    CaseStatus.ASSESSMENT,
    CaseStatus.PLANNING,
    CaseStatus.PLAN_PENDING_APPROVAL,
    CaseStatus.INTERVENTION,
    CaseStatus.EVALUATION,
    CaseStatus.CLOSURE_PENDING_APPROVAL,
    CaseStatus.CLOSED,
    CaseStatus.FOLLOW_UP,
]


def advance_case(case: Case, to_status: CaseStatus, tutor: User | None = None) -> Case:
    """Walk ``case`` along the normal path to ``to_status``, writing each needed record."""
    worker = case.worker
    tutor = tutor or TutorFactory(unit=case.unit, supervised_units=[case.unit])
    today = local_today()
    s = case_services
    while case.status is not to_status:
        status = case.status
        if status is CaseStatus.INTAKE:
            case_records.save_intake(
                actor=worker,
                case=case,
                presenting_problem="独居，子女在外地，近期摔倒后生活自理困难",
                arrival="社区网格员陪同来访",
                first_judgement="符合接案条件",
                agreement_signed=True,
                agreement_signed_on=today,
            )
            s.take_step(case, "accept", actor=worker)
        elif status is CaseStatus.ASSESSMENT:
            case_records.save_assessment(
                actor=worker,
                case=case,
                details=assessment_details(),
            )
            s.take_step(case, "finish_assessment", actor=worker)
        elif status is CaseStatus.PLANNING:
            case_records.save_plan(
                actor=worker,
                case=case,
                overall_goal="恢复基本生活自理，建立邻里支持网络",
                review_due=today + timedelta(days=60),
                goals=[
                    case_records.GoalDetails(
                        description="链接居家养老助餐服务",
                        indicator="每周至少 5 次助餐",
                        actions="联系街道养老服务中心",
                        responsible=worker.display_name,
                        due_on=today + timedelta(days=30),
                    )
                ],
            )
            s.take_step(case, "submit_plan", actor=worker)
        elif status is CaseStatus.PLAN_PENDING_APPROVAL:
            s.take_step(case, "approve_plan", actor=tutor)
        elif status is CaseStatus.INTERVENTION:
            case_records.add_service_record(
                actor=worker,
                case=case,
                served_on=today,
                form=ServiceForm.HOME_VISIT,
                duration_minutes=60,
                content="家访，了解助餐服务使用情况",
                response="服务对象表示满意",
                next_step="两周后电话回访",
            )
            s.take_step(case, "start_evaluation", actor=worker)
        elif status is CaseStatus.EVALUATION:
            plan = case.approved_plan
            assert plan is not None
            case_records.save_evaluation(
                actor=worker,
                case=case,
                client_view="生活比以前方便多了",
                satisfaction=5,
                summary="目标基本达成",
                results={goal.id: (Attainment.FULLY_MET, "") for goal in plan.goals},
            )
            case_records.save_closure_report(
                actor=worker,
                case=case,
                closure_type=ClosureType.GOALS_MET,
                summary="服务目标达成，结案",
                follow_up_plan="结案后一个月电话回访",
                follow_up_due=today + timedelta(days=30),
            )
            s.take_step(case, "request_closure", actor=worker)
        elif status is CaseStatus.CLOSURE_PENDING_APPROVAL:
            s.take_step(case, "approve_closure", actor=tutor)
        elif status is CaseStatus.CLOSED:
            case_records.add_follow_up(
                actor=worker,
                case=case,
                followed_on=today,
                form=ServiceForm.PHONE,
                content="电话回访，情况稳定",
                next_due=None,
            )
        else:
            raise AssertionError(f"advance_case cannot leave {status}")
        db.session.commit()
    return case


# --- help requests -----------------------------------------------------------------------


class HelpRequestFactory(factory.Factory):
    """A resident's web request to a station, submitted through the service."""

    class Meta:
        model = HelpRequest

    unit = factory.SubFactory(StationFactory)
    category = RequestCategory.LIVELIHOOD
    description = "家里老人行动不便，想申请上门服务"
    name = "李桂芝"
    phone = "13804310000"
    contact_preference = ContactPreference.PHONE

    @classmethod
    def _create(cls, model_class: type[HelpRequest], **kwargs: Any) -> HelpRequest:
        request = helpdesk_services.submit_request(
            unit=kwargs["unit"],
            details=helpdesk_services.RequestDetails(
                category=kwargs["category"],
                description=kwargs["description"],
                name=kwargs["name"],
                phone=kwargs["phone"],
                contact_preference=kwargs["contact_preference"],
            ),
        )
        db.session.commit()
        return request


# --- groups, activities and volunteers ---------------------------------------------------


def group_plan(**overrides: Any) -> group_services.GroupPlan:
    values: dict[str, Any] = {
        "name": "独居老人互助小组",
        "group_type": GroupType.MUTUAL_AID,
        "domain": ServiceDomain.SOCIAL_AID,
        "purpose": "减轻独居老人的孤独感，建立邻里互助网络",
        "goals": "组员孤独感量表得分下降；每位组员结识至少两位可互相照应的邻居",
        "target_members": "社区 70 岁以上独居老人 8-10 名",
        "rationale": "社区独居老人多，缺少社会支持",
        "session_plan": "第一节 相识；第二节 分享生活；第三节 互助约定；第四节 回顾与告别",
        "planned_sessions": 4,
        "recruitment_from": None,
        "recruitment_until": None,
        "measure_name": "孤独感量表",
        "measure_max": 10,
    }
    values.update(overrides)
    return group_services.GroupPlan(**values)


class GroupFactory(factory.Factory):
    """A group in planning at a station, led by a worker of that station."""

    class Meta:
        model = Group

    unit = factory.SubFactory(StationFactory)
    facilitator = None
    tutor = None
    name = "独居老人互助小组"

    @classmethod
    def _create(cls, model_class: type[Group], **kwargs: Any) -> Group:
        unit = kwargs["unit"]
        facilitator = kwargs["facilitator"] or WorkerFactory(unit=unit)
        group = group_services.create_group(
            actor=facilitator,
            unit=unit,
            plan=group_plan(name=kwargs["name"]),
            facilitator=facilitator,
            co_facilitators=[],
            observer=None,
            tutor=kwargs["tutor"],
        )
        db.session.commit()
        return group


def running_group(members: int = 3, **kwargs: Any) -> Group:
    """A group whose plan the tutor approved, with ``members`` service users of its unit."""
    group = GroupFactory(**kwargs)
    tutor = TutorFactory(unit=group.unit, supervised_units=[group.unit])
    group_services.take_step(group, "submit_plan", actor=group.facilitator)
    group_services.take_step(group, "approve_plan", actor=tutor)
    for _index in range(members):
        group_services.add_member(
            actor=group.facilitator,
            group=group,
            person=ServiceUserFactory(unit=group.unit),
            joined_on=local_today() - timedelta(days=30),
        )
    db.session.commit()
    return group


class VolunteerFactory(factory.Factory):
    class Meta:
        model = Volunteer

    unit = factory.SubFactory(StationFactory)
    name = factory.Sequence(lambda n: f"志愿者{n}")
    phone = "13600000000"
    category = VolunteerCategory.PARTY_LEAGUE

    @classmethod
    def _create(cls, model_class: type[Volunteer], **kwargs: Any) -> Volunteer:
        unit = kwargs.pop("unit")
        volunteer = model_class(unit_id=unit.id, skills="", availability="", **kwargs)
        db.session.add(volunteer)
        db.session.commit()
        return volunteer


class ActivityFactory(factory.Factory):
    class Meta:
        model = CommunityActivity

    unit = factory.SubFactory(StationFactory)
    organiser = None
    title = "社区义诊"
    held_on = factory.LazyFunction(local_today)
    activity_type = ActivityType.FREE_CLINIC

    @classmethod
    def _create(cls, model_class: type[CommunityActivity], **kwargs: Any) -> CommunityActivity:
        unit = kwargs["unit"]
        organiser = kwargs["organiser"] or WorkerFactory(unit=unit)
        activity = activity_services.create_activity(
            actor=organiser,
            unit=unit,
            organiser=organiser,
            details=activity_services.ActivityDetails(
                title=kwargs["title"],
                held_on=kwargs["held_on"],
                starts_at=None,
                place="社区活动室",
                domain=ServiceDomain.COMMUNITY_HEALTH,
                activity_type=kwargs["activity_type"],
                description="为老年居民测量血压、血糖",
                participant_count=40,
            ),
        )
        db.session.commit()
        return activity


# --- workforce: personnel files, certificates, posts, training ---------------------------------


def _workforce_actor() -> User:
    """The administrator the workforce factories act as (one per test database)."""
    actor = db.session.scalars(
        db.select(User).where(User.username == "workforce-factory-admin")
    ).first()
    return actor or AdminFactory(username="workforce-factory-admin")


class WorkerProfileFactory(factory.Factory):
    class Meta:
        model = WorkerProfile

    unit = factory.SubFactory(StationFactory)
    name = factory.Sequence(lambda n: f"社工{n}")
    user = None

    @classmethod
    def _create(cls, model_class: type[WorkerProfile], **kwargs: Any) -> WorkerProfile:
        profile = workforce_services.create_profile(actor=_workforce_actor(), **kwargs)
        db.session.commit()
        return profile


class CertificateFactory(factory.Factory):
    """A certificate; ``registered_on`` and ``last_reregistered_on`` may be given."""

    class Meta:
        model = Certificate

    profile = factory.SubFactory(WorkerProfileFactory)
    level = CertificateLevel.INTERMEDIATE
    certificate_number = factory.Sequence(lambda n: f"Z{n:08d}")
    obtained_on = factory.LazyFunction(lambda: local_today() - timedelta(days=800))
    registered_on = None
    last_reregistered_on = None

    @classmethod
    def _create(cls, model_class: type[Certificate], **kwargs: Any) -> Certificate:
        reregistered = kwargs.pop("last_reregistered_on")
        profile = kwargs.pop("profile")
        actor = _workforce_actor()
        certificate = workforce_services.add_certificate(profile, actor=actor, **kwargs)
        if reregistered is not None:
            workforce_services.record_registration(
                certificate,
                actor=actor,
                registration_number=certificate.registration_number,
                registered_on=certificate.registered_on,
                last_reregistered_on=reregistered,
            )
        db.session.commit()
        return certificate


class EducationEntryFactory(factory.Factory):
    class Meta:
        model = ContinuingEducationEntry

    profile = factory.SubFactory(WorkerProfileFactory)
    kind = EducationKind.TRAINING
    title = "社会工作实务培训"
    started_on = factory.LazyFunction(lambda: local_today() - timedelta(days=30))
    ended_on = None
    hours = Decimal(10)
    is_degree_completed = False

    @classmethod
    def _create(
        cls, model_class: type[ContinuingEducationEntry], **kwargs: Any
    ) -> ContinuingEducationEntry:
        profile = kwargs.pop("profile")
        entry = workforce_services.add_education_entry(profile, actor=_workforce_actor(), **kwargs)
        db.session.commit()
        return entry


class PostFactory(factory.Factory):
    class Meta:
        model = Post

    unit = factory.SubFactory(StationFactory)
    title = factory.Sequence(lambda n: f"社会工作岗位{n}")
    kind = PostKind.FULL_TIME
    required_level = CertificateLevel.ASSISTANT
    salary_band = None
    holder = None

    @classmethod
    def _create(cls, model_class: type[Post], **kwargs: Any) -> Post:
        unit = kwargs.pop("unit")
        post = post_services.create_post(
            unit=unit, details=post_services.PostDetails(**kwargs), actor=_workforce_actor()
        )
        db.session.commit()
        return post


class TrainingCourseFactory(factory.Factory):
    class Meta:
        model = TrainingCourse

    unit = factory.SubFactory(StationFactory)
    title = factory.Sequence(lambda n: f"继续教育课程{n}")
    kind = CourseKind.CONTINUING_EDUCATION
    format = CourseFormat.EXPERT_LECTURE
    trainer = "王教授"
    partner_kind = PartnerKind.UNIVERSITY
    partner_name = "长春某大学社会工作系"
    hours = Decimal(6)
    plan = None

    @classmethod
    def _create(cls, model_class: type[TrainingCourse], **kwargs: Any) -> TrainingCourse:
        unit = kwargs.pop("unit")
        course = training_services.create_course(
            unit=unit,
            details=training_services.CourseDetails(**kwargs),
            actor=_workforce_actor(),
        )
        db.session.commit()
        return course


class TrainingSessionFactory(factory.Factory):
    class Meta:
        model = TrainingSession

    course = factory.SubFactory(TrainingCourseFactory)
    held_on = factory.LazyFunction(lambda: local_today() - timedelta(days=7))
    hours = Decimal(3)
    place = "街道会议室"

    @classmethod
    def _create(cls, model_class: type[TrainingSession], **kwargs: Any) -> TrainingSession:
        course = kwargs.pop("course")
        session = training_services.add_session(course, actor=_workforce_actor(), **kwargs)
        db.session.commit()
        return session


# --- government-purchased services: agencies and projects --------------------------------


def credit_code_for(serial: int) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015) numbered by ``serial``."""
    first17 = f"52220102MJ{serial:07d}"
    return first17 + credit_code.check_character(first17)


class AgencyFactory(factory.Factory):
    """An agency registered by a viewer of its bureau, with a new agency unit."""

    class Meta:
        model = Agency

    bureau = factory.SubFactory(BureauFactory)
    name = factory.Sequence(lambda n: f"测试社会工作服务中心{n}")
    code = factory.Sequence(lambda n: f"AG{n:04d}")
    credit_code = factory.Sequence(credit_code_for)
    qualification = QualificationLevel.A3

    @classmethod
    def _create(cls, model_class: type[Agency], **kwargs: Any) -> Agency:
        bureau = kwargs["bureau"]
        agency = project_services.create_agency(
            actor=BureauViewerFactory(unit=bureau),
            details=project_services.AgencyDetails(
                credit_code=kwargs["credit_code"],
                registration_authority="长春市民政局",
                legal_representative="王明",
                founded_on=date(2015, 3, 1),
                qualification=kwargs["qualification"],
            ),
            new_unit_parent=bureau,
            new_unit_name=kwargs["name"],
            new_unit_code=kwargs["code"],
        )
        db.session.commit()
        return agency


class ProjectFactory(factory.Factory):
    """A project bought by the agency's bureau for ``units`` (a new station by default)."""

    class Meta:
        model = Project

    agency = factory.SubFactory(AgencyFactory)
    units = None
    name = factory.Sequence(lambda n: f"社区社会工作服务项目{n}")
    contract_number = factory.Sequence(lambda n: f"HT-{n:05d}")
    starts_on = factory.LazyFunction(lambda: local_today() - timedelta(days=90))
    ends_on = factory.LazyFunction(lambda: local_today() + timedelta(days=275))
    budget_fen = 50_000_000
    targets = None

    @classmethod
    def _create(cls, model_class: type[Project], **kwargs: Any) -> Project:
        agency = kwargs["agency"]
        bureau = agency.unit.parent
        units = kwargs["units"] or [StationFactory(parent=CentreFactory(parent=bureau))]
        actor = BureauViewerFactory(unit=bureau)
        project = project_services.create_project(
            actor=actor,
            details=project_services.ProjectDetails(
                name=kwargs["name"],
                purchaser=bureau,
                agency=agency,
                units=units,
                contract_number=kwargs["contract_number"],
                starts_on=kwargs["starts_on"],
                ends_on=kwargs["ends_on"],
                budget_fen=kwargs["budget_fen"],
            ),
        )
        if kwargs["targets"]:
            project_services.set_targets(actor=actor, project=project, targets=kwargs["targets"])
        db.session.commit()
        return project
