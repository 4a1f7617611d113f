"""Demo workforce: personnel files, certificates, posts, continuing education and training.

worker1 (王芳) holds a 社会工作师 certificate registered about two years and ten months
ago, with continuing-education hours well short of 90, so the re-registration warning
shows on her home page and on head1's. Some files belong to workers without an account.
Every change goes through the workforce services; dates count back from today.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from casework.accounts.models import User
from casework.core.clock import local_today
from casework.extensions import db
from casework.orgs.models import Unit
from casework.people.idcard import check_character
from casework.people.models import Gender
from casework.workforce import services
from casework.workforce.models import (
    CertificateLevel,
    CourseFormat,
    CourseKind,
    EducationKind,
    EducationLevel,
    PartnerKind,
    PostKind,
    WorkerProfile,
    add_years,
)

ASSISTANT = CertificateLevel.ASSISTANT
INTERMEDIATE = CertificateLevel.INTERMEDIATE
SENIOR = CertificateLevel.SENIOR


def _id_number(born: date, serial: int) -> str:
    first_17 = f"220102{born:%Y%m%d}{serial:03d}"
    return first_17 + check_character(first_17)


@dataclass(frozen=True)
class CertificateSpec:
    level: CertificateLevel
    number: str
    # Days before today.
    obtained_days_ago: int
    registered_days_ago: int | None = None


@dataclass(frozen=True)
class EducationSpec:
    kind: EducationKind
    title: str
    provider: str
    days_ago: int
    hours: int


@dataclass(frozen=True)
class ProfileSpec:
    key: str
    unit: str
    name: str
    gender: Gender
    education: EducationLevel
    major: str
    is_social_work_major: bool
    position: str
    username: str | None = None
    born: date | None = None
    certificates: tuple[CertificateSpec, ...] = ()
    education_entries: tuple[EducationSpec, ...] = ()
    exams: tuple[tuple[int, CertificateLevel, str, bool], ...] = ()
    awards: tuple[tuple[str, str, int], ...] = ()
    employment: tuple[tuple[str, str, int, int | None], ...] = field(default=())


def _reregistration_in(days: int) -> int:
    """Days ago of a registration whose three-year period ends ``days`` from today."""
    today = local_today()
    return (today - add_years(today + timedelta(days=days), -3)).days


CITY_TARGET = 60


def profile_specs() -> tuple[ProfileSpec, ...]:
    """The files to seed; built when seeding, as the dates count back from today."""
    return (
        ProfileSpec(
            key="worker1",
            username="worker1",
            unit="station1",
            name="王芳",
            gender=Gender.FEMALE,
            education=EducationLevel.BACHELOR,
            major="社会工作",
            is_social_work_major=True,
            position="个案社工",
            born=date(1991, 4, 12),
            certificates=(
                CertificateSpec(ASSISTANT, "ZL2016220100318", 3650, 3500),
                CertificateSpec(
                    INTERMEDIATE,
                    "ZJ2019220100452",
                    _reregistration_in(60) + 120,
                    _reregistration_in(60),
                ),
            ),
            education_entries=(
                EducationSpec(
                    EducationKind.SUPERVISION, "个案督导（季度）", "吉林大学哲学社会学院", 700, 12
                ),
                EducationSpec(
                    EducationKind.CONFERENCE, "吉林省社会工作年会", "吉林省社会工作协会", 420, 8
                ),
                EducationSpec(
                    EducationKind.TRAINING, "社区矫正社会工作专题", "长春市民政局", 250, 10
                ),
            ),
            exams=(
                (2015, ASSISTANT, "综合能力、实务", True),
                (2019, INTERMEDIATE, "综合能力、实务", True),
            ),
            awards=(("长春市优秀社会工作者", "长春市民政局", 400),),
            employment=(("朝阳区湖西社区居委会", "社区干事", 3900, 2600),),
        ),
        ProfileSpec(
            key="head1",
            username="head1",
            unit="station1",
            name="李红梅",
            gender=Gender.FEMALE,
            education=EducationLevel.MASTER,
            major="社会工作",
            is_social_work_major=True,
            position="站长",
            born=date(1982, 9, 3),
            certificates=(CertificateSpec(INTERMEDIATE, "ZJ2012220100077", 5000, 400),),
            education_entries=(
                EducationSpec(
                    EducationKind.TRAINING, "社会工作机构管理培训", "吉林省民政厅", 300, 24
                ),
                EducationSpec(EducationKind.SUPERVISION, "督导能力提升", "东北师范大学", 150, 16),
            ),
        ),
        ProfileSpec(
            key="worker2",
            username="worker2",
            unit="station1",
            name="张伟",
            gender=Gender.MALE,
            education=EducationLevel.JUNIOR_COLLEGE,
            major="社区管理",
            is_social_work_major=False,
            position="社区社工",
            born=date(1994, 1, 20),
            certificates=(CertificateSpec(ASSISTANT, "ZL2021220100613", 900, 800),),
            education_entries=(
                EducationSpec(
                    EducationKind.TRAINING, "助理社会工作师继续教育", "长春市民政局", 600, 40
                ),
                EducationSpec(
                    EducationKind.OTHER, "网络课程：社会救助政策", "中国社会工作联合会", 200, 36
                ),
            ),
        ),
        ProfileSpec(
            key="worker3",
            username="worker3",
            unit="station2",
            name="赵丽",
            gender=Gender.FEMALE,
            education=EducationLevel.BACHELOR,
            major="心理学",
            is_social_work_major=False,
            position="个案社工",
            born=date(1996, 7, 8),
            exams=((local_today().year - 1, ASSISTANT, "综合能力", False),),
        ),
        ProfileSpec(
            key="sunmin",
            unit="station1",
            name="孙敏",
            gender=Gender.FEMALE,
            education=EducationLevel.BACHELOR,
            major="社会工作",
            is_social_work_major=True,
            position="社区社工",
            born=date(1998, 11, 2),
            certificates=(CertificateSpec(ASSISTANT, "ZL2025220100907", 320),),
        ),
        ProfileSpec(
            key="zhouqiang",
            unit="station2",
            name="周强",
            gender=Gender.MALE,
            education=EducationLevel.BACHELOR,
            major="社会学",
            is_social_work_major=False,
            position="站长助理",
            born=date(1988, 2, 14),
            certificates=(CertificateSpec(INTERMEDIATE, "ZJ2020220100388", 1500, 1300),),
            education_entries=(
                EducationSpec(EducationKind.DEGREE, "社会工作硕士（MSW）", "长春工业大学", 200, 0),
            ),
        ),
        ProfileSpec(
            key="wuting",
            unit="station2",
            name="吴婷",
            gender=Gender.FEMALE,
            education=EducationLevel.JUNIOR_COLLEGE,
            major="护理",
            is_social_work_major=False,
            position="社区社工",
        ),
        ProfileSpec(
            key="zhenglei",
            unit="station3",
            name="郑磊",
            gender=Gender.MALE,
            education=EducationLevel.DOCTORATE,
            major="社会工作",
            is_social_work_major=True,
            position="站长",
            born=date(1979, 5, 30),
            certificates=(CertificateSpec(SENIOR, "ZG2018220100021", 2600, 2500),),
        ),
        ProfileSpec(
            key="fengxue",
            unit="welfare_home",
            name="冯雪",
            gender=Gender.FEMALE,
            education=EducationLevel.BACHELOR,
            major="社会工作",
            is_social_work_major=True,
            position="院内社工",
            certificates=(CertificateSpec(ASSISTANT, "ZL2022220100550", 1200, 1100),),
        ),
    )


# (unit, title, kind, required level, salary band, holder key)
POSTS: tuple[tuple[str, str, PostKind, CertificateLevel | None, str | None, str | None], ...] = (
    ("station1", "站长", PostKind.FULL_TIME, INTERMEDIATE, "五级", "head1"),
    ("station1", "个案社工", PostKind.FULL_TIME, ASSISTANT, "七级", "worker1"),
    ("station1", "社区社工", PostKind.COMMUNITY, ASSISTANT, "八级", "worker2"),
    ("station1", "社区社工", PostKind.COMMUNITY, None, "八级", "sunmin"),
    ("station2", "个案社工", PostKind.FULL_TIME, ASSISTANT, "七级", "worker3"),
    ("station2", "站长助理", PostKind.CONVERTED, INTERMEDIATE, "六级", "zhouqiang"),
    ("station2", "社区社工", PostKind.COMMUNITY, None, None, None),
    ("station3", "站长", PostKind.FULL_TIME, INTERMEDIATE, "五级", "zhenglei"),
    ("welfare_home", "院内社工", PostKind.CONVERTED, ASSISTANT, "七级", "fengxue"),
)


def seed_workforce(units: Mapping[str, Unit], users: Mapping[str, User]) -> None:
    """Files, certificates, posts and a training course with attendance; no commit."""
    today = local_today()
    admin = users["admin"]
    profiles: dict[str, WorkerProfile] = {}
    for spec in profile_specs():
        actor = users["head1"] if spec.unit == "station1" else admin
        born = spec.born
        profile = services.create_profile(
            unit=units[spec.unit],
            name=spec.name,
            actor=actor,
            user=users[spec.username] if spec.username else None,
            gender=spec.gender,
            id_number=_id_number(born, 100 + len(profiles) * 2) if born else None,
            phone=f"1390431{len(profiles):04d}",
            education_level=spec.education,
            major=spec.major,
            is_social_work_major=spec.is_social_work_major,
            position_title=spec.position,
            employed_since=today - timedelta(days=1500 + 200 * len(profiles)),
        )
        profiles[spec.key] = profile
        for certificate in spec.certificates:
            services.add_certificate(
                profile,
                level=certificate.level,
                certificate_number=certificate.number,
                obtained_on=today - timedelta(days=certificate.obtained_days_ago),
                registration_number=(
                    f"DJ{certificate.number[2:]}"
                    if certificate.registered_days_ago is not None
                    else None
                ),
                registered_on=(
                    today - timedelta(days=certificate.registered_days_ago)
                    if certificate.registered_days_ago is not None
                    else None
                ),
                actor=actor,
            )
        for entry in spec.education_entries:
            day = today - timedelta(days=entry.days_ago)
            is_degree = entry.kind is EducationKind.DEGREE
            services.add_education_entry(
                profile,
                actor=actor,
                kind=entry.kind,
                title=entry.title,
                provider=entry.provider,
                started_on=day - timedelta(days=700 if is_degree else 0),
                ended_on=day,
                hours=None if is_degree else Decimal(entry.hours),
                is_degree_completed=is_degree,
            )
        for year, level, subjects, passed in spec.exams:
            services.add_exam_record(
                profile,
                actor=actor,
                year=year,
                level=level,
                subjects_passed=subjects,
                is_passed=passed,
            )
        for title, by, days_ago in spec.awards:
            services.add_award_record(
                profile,
                actor=actor,
                title=title,
                awarded_by=by,
                awarded_on=today - timedelta(days=days_ago),
            )
        for employer, position, start_ago, end_ago in spec.employment:
            services.add_employment_record(
                profile,
                actor=actor,
                employer=employer,
                position=position,
                started_on=today - timedelta(days=start_ago),
                ended_on=today - timedelta(days=end_ago) if end_ago is not None else None,
            )

    for unit_key, title, kind, required, band, holder in POSTS:
        services.create_post(
            unit=units[unit_key],
            details=services.PostDetails(
                title=title,
                kind=kind,
                required_level=required,
                salary_band=band,
                holder=profiles[holder] if holder else None,
            ),
            actor=users["head1"] if unit_key == "station1" else admin,
        )
    _seed_training(units, users, profiles)
    # The city bureau's own target, with a date to meet it by.
    services.set_target(
        units["city"],
        target=CITY_TARGET,
        due_on=date(today.year + 1, 12, 31),
        actor=users["bureau"],
    )
    db.session.flush()


def _seed_training(
    units: Mapping[str, Unit], users: Mapping[str, User], profiles: Mapping[str, WorkerProfile]
) -> None:
    today = local_today()
    head = users["head1"]
    plan = services.create_plan(
        unit=units["station1"],
        year=today.year,
        title=f"{today.year}年度社会工作人才培训计划",
        notes="一、继续教育：每季度一次专家讲座；二、考前培训：助理社会工作师考试辅导；"
        "三、学习考察：赴先进社区社会工作服务站交流。",
        actor=head,
    )
    course = services.create_course(
        unit=units["station1"],
        details=services.CourseDetails(
            title="个案管理与危机干预",
            kind=CourseKind.CONTINUING_EDUCATION,
            format=CourseFormat.EXPERT_LECTURE,
            trainer="陈静（吉林大学哲学社会学院）",
            partner_kind=PartnerKind.UNIVERSITY,
            partner_name="吉林大学哲学社会学院",
            hours=Decimal(6),
            plan=plan,
        ),
        actor=head,
    )
    first = services.add_session(
        course,
        held_on=today - timedelta(days=30),
        hours=Decimal(3),
        place="湖西社区活动室",
        actor=head,
    )
    second = services.add_session(
        course,
        held_on=today - timedelta(days=14),
        hours=Decimal(3),
        place="湖西社区活动室",
        actor=head,
    )
    for session, present in (
        (first, ("worker1", "head1", "worker2", "sunmin")),
        (second, ("worker1", "head1", "sunmin")),
    ):
        for key in ("worker1", "head1", "worker2", "sunmin"):
            services.mark_attendance(session, profiles[key], is_present=key in present, actor=head)
    exam_course = services.create_course(
        unit=units["station1"],
        details=services.CourseDetails(
            title="助理社会工作师考前辅导",
            kind=CourseKind.EXAM_PREPARATION,
            format=CourseFormat.THEMATIC_TRAINING,
            trainer="长春市委党校社会建设教研室",
            partner_kind=PartnerKind.PARTY_SCHOOL,
            partner_name="中共长春市委党校",
            hours=Decimal(16),
            plan=plan,
        ),
        actor=head,
    )
    services.add_session(
        exam_course,
        held_on=today + timedelta(days=21),
        hours=Decimal(4),
        place="重庆街道社会工作服务中心",
        actor=head,
    )
