"""Demo workforce: personnel files, certificates, posts, continuing education and training.

worker1 (王芳) holds a 社会工作师 certificate registered about two years and ten months
ago, with continuing-education hours well short of 90, so the re-registration warning
shows on her home page and on head1's. Some files belong to workers without an account.
Every change goes through the workforce services; the files are data
(``data/workforce.toml``) and their dates count back from today. The numbers nobody reads
(ID serials, phones, years of employment) follow from each file's place in the list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from casework.accounts.models import User
from casework.core.clock import local_today
from casework.demo.tables import ProfileKey, UnitCode, Username
from casework.extensions import db
from casework.orgs.models import Unit
from casework.people.idcard import check_character
from casework.people.models import Gender
from casework.workforce import posts as post_services
from casework.workforce import services
from casework.workforce import training as training_services
from casework.workforce.models import (
    CertificateLevel,
    CourseFormat,
    CourseKind,
    EducationKind,
    EducationLevel,
    PartnerKind,
    PostKind,
    TrainingSession,
    WorkerProfile,
    add_years,
)


@dataclass(frozen=True)
class CertificateSpec:
    level: CertificateLevel
    number: str
    obtained_days_ago: int | None = None  # None: counted back from the registration
    registered_days_ago: int | None = None
    # Instead of a fixed registration day: registered so that its three-year period ends
    # this many days from today, whatever today is.
    reregistration_due_in_days: int | None = None
    obtained_days_before_registration: int = 0

    def registered(self) -> int | None:
        """Days ago the certificate was registered; None when it never was."""
        if self.reregistration_due_in_days is not None:
            today = local_today()
            period_end = today + timedelta(days=self.reregistration_due_in_days)
            return (today - add_years(period_end, -3)).days
        return self.registered_days_ago

    def obtained(self) -> int:
        """Days ago the certificate was obtained."""
        if self.obtained_days_ago is not None:
            return self.obtained_days_ago
        registered = self.registered()
        if registered is None:
            raise ValueError(f"demo certificate {self.number} needs a day it was obtained")
        return registered + self.obtained_days_before_registration


@dataclass(frozen=True)
class EducationSpec:
    kind: EducationKind
    title: str
    provider: str
    days_ago: int  # when it ended; a degree took the two years before
    hours: int


@dataclass(frozen=True)
class ExamSpec:
    level: CertificateLevel
    subjects_passed: str
    is_passed: bool
    year: int | None = None
    years_ago: int | None = None  # instead of a fixed year: counted back from this year

    def exam_year(self) -> int:
        if self.year is not None:
            return self.year
        return local_today().year - (self.years_ago or 0)


@dataclass(frozen=True)
class AwardSpec:
    title: str
    awarded_by: str
    days_ago: int


@dataclass(frozen=True)
class EmploymentSpec:
    employer: str
    position: str
    started_days_ago: int
    ended_days_ago: int | None = None  # None: still there


@dataclass(frozen=True)
class ProfileSpec:
    key: str
    unit: UnitCode
    kept_by: Username  # who creates the file and adds to it
    name: str
    gender: Gender
    education: EducationLevel
    major: str
    is_social_work_major: bool
    position: str
    username: Username | None = None
    born: date | None = None
    certificates: tuple[CertificateSpec, ...] = ()
    education_entries: tuple[EducationSpec, ...] = ()
    exams: tuple[ExamSpec, ...] = ()
    awards: tuple[AwardSpec, ...] = ()
    employment: tuple[EmploymentSpec, ...] = ()


@dataclass(frozen=True)
class PostSpec:
    unit: UnitCode
    created_by: Username
    title: str
    kind: PostKind
    required_level: CertificateLevel | None = None
    salary_band: str | None = None
    holder: ProfileKey | None = None  # None: vacant


@dataclass(frozen=True)
class TrainingSessionSpec:
    days_from_today: int  # negative: past
    hours: int
    place: str
    present: tuple[ProfileKey, ...] = ()  # the course's trainees who came


@dataclass(frozen=True)
class CourseSpec:
    title: str
    kind: CourseKind
    format: CourseFormat
    trainer: str
    partner_kind: PartnerKind
    partner_name: str
    hours: int
    sessions: tuple[TrainingSessionSpec, ...]
    trainees: tuple[ProfileKey, ...] = ()  # attendance is taken for these at each session


@dataclass(frozen=True)
class TrainingPlanSpec:
    unit: UnitCode
    organiser: Username
    title: str  # "{year}" becomes this year
    notes: str
    courses: tuple[CourseSpec, ...]


@dataclass(frozen=True)
class TargetSpec:
    unit: UnitCode
    set_by: Username
    target: int
    due_years_ahead: int  # due on 31 December, this many years after the current one


@dataclass(frozen=True)
class WorkforceSpec:
    """Everything ``workforce.toml`` holds, in the order it is seeded."""

    profiles: tuple[ProfileSpec, ...]
    posts: tuple[PostSpec, ...]
    training: TrainingPlanSpec
    target: TargetSpec


def seed_workforce(
    workforce: WorkforceSpec, units: Mapping[str, Unit], users: Mapping[str, User]
) -> None:
    """Files, certificates, posts, a training plan with attendance and a target; no commit."""
    profiles: dict[str, WorkerProfile] = {}
    for index, spec in enumerate(workforce.profiles):
        profiles[spec.key] = _seed_profile(spec, index, units, users)
    for post in workforce.posts:
        post_services.create_post(
            unit=units[post.unit],
            details=post_services.PostDetails(
                title=post.title,
                kind=post.kind,
                required_level=post.required_level,
                salary_band=post.salary_band,
                holder=profiles[post.holder] if post.holder else None,
            ),
            actor=users[post.created_by],
        )
    _seed_training(workforce.training, units, users, profiles)
    target = workforce.target
    services.set_target(
        units[target.unit],
        target=target.target,
        due_on=date(local_today().year + target.due_years_ahead, 12, 31),
        actor=users[target.set_by],
    )
    db.session.flush()


def _id_number(born: date, serial: int) -> str:
    first_17 = f"220102{born:%Y%m%d}{serial:03d}"
    return first_17 + check_character(first_17)


def _seed_profile(
    spec: ProfileSpec, index: int, units: Mapping[str, Unit], users: Mapping[str, User]
) -> WorkerProfile:
    today = local_today()
    actor = users[spec.kept_by]
    profile = services.create_profile(
        unit=units[spec.unit],
        name=spec.name,
        actor=actor,
        user=users[spec.username] if spec.username else None,
        gender=spec.gender,
        id_number=_id_number(spec.born, 100 + index * 2) if spec.born else None,
        phone=f"1390431{index:04d}",
        education_level=spec.education,
        major=spec.major,
        is_social_work_major=spec.is_social_work_major,
        position_title=spec.position,
        employed_since=today - timedelta(days=1500 + 200 * index),
    )
    _add_certificates(profile, spec, actor)
    _add_history(profile, spec, actor)
    return profile


def _add_certificates(profile: WorkerProfile, spec: ProfileSpec, actor: User) -> None:
    today = local_today()
    for certificate in spec.certificates:
        registered = certificate.registered()
        services.add_certificate(
            profile,
            level=certificate.level,
            certificate_number=certificate.number,
            obtained_on=today - timedelta(days=certificate.obtained()),
            registration_number=f"DJ{certificate.number[2:]}" if registered is not None else None,
            registered_on=today - timedelta(days=registered) if registered is not None else None,
            actor=actor,
        )


def _add_history(profile: WorkerProfile, spec: ProfileSpec, actor: User) -> None:
    """Continuing education, exams, awards and earlier jobs, in that order."""
    today = local_today()
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
    for exam in spec.exams:
        services.add_exam_record(
            profile,
            actor=actor,
            year=exam.exam_year(),
            level=exam.level,
            subjects_passed=exam.subjects_passed,
            is_passed=exam.is_passed,
        )
    for award in spec.awards:
        services.add_award_record(
            profile,
            actor=actor,
            title=award.title,
            awarded_by=award.awarded_by,
            awarded_on=today - timedelta(days=award.days_ago),
        )
    for job in spec.employment:
        services.add_employment_record(
            profile,
            actor=actor,
            employer=job.employer,
            position=job.position,
            started_on=today - timedelta(days=job.started_days_ago),
            ended_on=(
                today - timedelta(days=job.ended_days_ago)
                if job.ended_days_ago is not None
                else None
            ),
        )


def _seed_training(
    spec: TrainingPlanSpec,
    units: Mapping[str, Unit],
    users: Mapping[str, User],
    profiles: Mapping[str, WorkerProfile],
) -> None:
    """This year's plan and its courses; each session's attendance once all are scheduled."""
    today = local_today()
    organiser = users[spec.organiser]
    unit = units[spec.unit]
    plan = training_services.create_plan(
        unit=unit,
        year=today.year,
        title=spec.title.replace("{year}", str(today.year)),
        notes=spec.notes,
        actor=organiser,
    )
    for course_spec in spec.courses:
        course = training_services.create_course(
            unit=unit,
            details=training_services.CourseDetails(
                title=course_spec.title,
                kind=course_spec.kind,
                format=course_spec.format,
                trainer=course_spec.trainer,
                partner_kind=course_spec.partner_kind,
                partner_name=course_spec.partner_name,
                hours=Decimal(course_spec.hours),
                plan=plan,
            ),
            actor=organiser,
        )
        sessions: list[TrainingSession] = [
            training_services.add_session(
                course,
                held_on=today + timedelta(days=session.days_from_today),
                hours=Decimal(session.hours),
                place=session.place,
                actor=organiser,
            )
            for session in course_spec.sessions
        ]
        for session, session_spec in zip(sessions, course_spec.sessions, strict=True):
            for key in course_spec.trainees:
                training_services.mark_attendance(
                    session,
                    profiles[key],
                    is_present=key in session_spec.present,
                    actor=organiser,
                )
