"""Changing personnel files, certificates, posts, continuing education and training."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.accounts.models import User
from casework.core import audit
from casework.core.clock import local_date, local_today
from casework.core.rules import RuleError
from casework.extensions import db
from casework.orgs.models import Unit
from casework.people import idcard
from casework.workforce.models import (
    DEFAULT_TARGET,
    DEFAULT_TARGET_DUE,
    DEGREE_HOURS,
    AwardRecord,
    Certificate,
    CertificateLevel,
    ContinuingEducationEntry,
    EducationKind,
    EmploymentRecord,
    ExamRecord,
    WorkerProfile,
    WorkforceTarget,
)

MAX_ENTRY_HOURS = Decimal(999)

PROFILE_FIELDS = frozenset(
    {
        "gender",
        "id_number",
        "phone",
        "education_level",
        "major",
        "is_social_work_major",
        "position_title",
        "employed_since",
        "is_active",
    }
)


# What a WorkforceError code means, in the user's language.
ERROR_MESSAGES: dict[str, Any] = {
    "name_required": _l("请填写姓名。"),
    "user_has_profile": _l("该账号已有人员档案。"),
    "invalid_id_number": _l("身份证号无效，请核对。"),
    "certificate_number_required": _l("请填写证书编号。"),
    "duplicate_certificate_number": _l("该证书编号已登记在其他档案中。"),
    "obtained_in_future": _l("取得日期不能晚于今天。"),
    "registered_before_obtained": _l("登记日期不能早于取得证书的日期。"),
    "reregistered_before_registered": _l("再登记日期须晚于首次登记日期。"),
    "date_in_future": _l("日期不能晚于今天。"),
    "ends_before_start": _l("结束日期不能早于开始日期。"),
    "invalid_exam_year": _l("考试年度应在 2008 年至今之间。"),
    "degree_needs_end": _l("已毕业的学历教育请填写毕业（结束）日期。"),
    "invalid_hours": _l("学时应大于 0 且不超过 999。"),
    "entry_from_attendance": _l("该学时由培训签到自动记入，请在签到表中修改。"),
    "holder_other_unit": _l("在岗人员须是本单位的人员。"),
    "holder_has_post": _l("此人已在其他岗位上。"),
    "plan_other_unit": _l("培训计划须属于同一单位。"),
    "invalid_session_hours": _l("每次培训的学时应大于 0 且不超过 24。"),
    "session_in_future": _l("培训尚未举行，不能登记出席。"),
    "invalid_target": _l("目标人数无效。"),
}


class WorkforceError(RuleError):
    """A workforce rule forbids the change; ``code`` names the rule."""

    def __init__(self, code: str) -> None:
        super().__init__(ERROR_MESSAGES.get(code, _l("提交的内容无效，请检查后重试。")), code=code)


def clean_text(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _apply_profile_fields(profile: WorkerProfile, fields: dict[str, Any]) -> None:
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    if "id_number" in fields:
        number = idcard.normalise(fields["id_number"] or "") or None
        if number and not idcard.is_valid(number):
            raise WorkforceError("invalid_id_number")
        fields = {**fields, "id_number": number}
    for name, value in fields.items():
        setattr(profile, name, clean_text(value))
    if profile.is_social_work_major is None:
        profile.is_social_work_major = False
    if profile.is_active is None:
        profile.is_active = True


def create_profile(
    *, unit: Unit, name: str, actor: User, user: User | None = None, **fields: Any
) -> WorkerProfile:
    """Open a personnel file in ``unit``, optionally for a staff account that has none yet."""
    name = (name or "").strip()
    if not name:
        raise WorkforceError("name_required")
    if user is not None and profile_of(user) is not None:
        raise WorkforceError("user_has_profile")
    profile = WorkerProfile(
        unit_id=unit.id,
        user_id=user.id if user is not None else None,
        name=name,
        is_social_work_major=False,
        is_active=True,
        created_by_id=actor.id,
    )
    _apply_profile_fields(profile, fields)
    db.session.add(profile)
    db.session.flush()
    audit.record("worker_profile.create", profile, actor_id=actor.id)
    return profile


def update_profile(profile: WorkerProfile, *, actor: User, name: str, **fields: Any) -> None:
    name = (name or "").strip()
    if not name:
        raise WorkforceError("name_required")
    profile.name = name
    _apply_profile_fields(profile, fields)
    audit.record("worker_profile.update", profile, actor_id=actor.id)


def profile_of(user: User) -> WorkerProfile | None:
    return db.session.scalars(select(WorkerProfile).where(WorkerProfile.user_id == user.id)).first()


def add_certificate(
    profile: WorkerProfile,
    *,
    level: CertificateLevel,
    certificate_number: str,
    obtained_on: date,
    actor: User,
    registration_number: str | None = None,
    registered_on: date | None = None,
) -> Certificate:
    """Record a certificate; its number is unique across the system."""
    number = (certificate_number or "").strip()
    if not number:
        raise WorkforceError("certificate_number_required")
    if obtained_on > local_today():
        raise WorkforceError("obtained_in_future")
    if registered_on is not None and registered_on < obtained_on:
        raise WorkforceError("registered_before_obtained")
    exists = db.session.scalar(
        select(Certificate.id).where(Certificate.certificate_number == number)
    )
    if exists is not None:
        raise WorkforceError("duplicate_certificate_number")
    certificate = Certificate(
        profile=profile,
        level=level,
        certificate_number=number,
        obtained_on=obtained_on,
        registration_number=clean_text(registration_number),
        registered_on=registered_on,
    )
    db.session.add(certificate)
    db.session.flush()
    audit.record(
        "worker_certificate.create", certificate, actor_id=actor.id, unit_id=profile.unit_id
    )
    return certificate


def record_registration(
    certificate: Certificate,
    *,
    actor: User,
    registration_number: str | None,
    registered_on: date | None,
    last_reregistered_on: date | None,
) -> None:
    """Set the registration (登记) and latest re-registration (再登记) of a certificate."""
    if registered_on is not None and registered_on < certificate.obtained_on:
        raise WorkforceError("registered_before_obtained")
    if last_reregistered_on is not None and (
        registered_on is None or last_reregistered_on <= registered_on
    ):
        raise WorkforceError("reregistered_before_registered")
    today = local_today()
    if (registered_on and registered_on > today) or (
        last_reregistered_on and last_reregistered_on > today
    ):
        raise WorkforceError("date_in_future")
    certificate.registration_number = clean_text(registration_number)
    certificate.registered_on = registered_on
    certificate.last_reregistered_on = last_reregistered_on
    audit.record(
        "worker_certificate.register",
        certificate,
        actor_id=actor.id,
        unit_id=certificate.profile.unit_id,
    )


def remove_certificate(certificate: Certificate, *, actor: User) -> None:
    audit.record(
        "worker_certificate.delete",
        certificate,
        actor_id=actor.id,
        unit_id=certificate.profile.unit_id,
    )
    db.session.delete(certificate)


def add_employment_record(
    profile: WorkerProfile,
    *,
    actor: User,
    employer: str,
    position: str | None,
    started_on: date,
    ended_on: date | None,
) -> EmploymentRecord:
    if ended_on is not None and ended_on < started_on:
        raise WorkforceError("ends_before_start")
    record = EmploymentRecord(
        profile=profile,
        employer=employer.strip(),
        position=clean_text(position),
        started_on=started_on,
        ended_on=ended_on,
    )
    db.session.add(record)
    db.session.flush()
    audit.record("employment_record.create", record, actor_id=actor.id, unit_id=profile.unit_id)
    return record


def add_exam_record(
    profile: WorkerProfile,
    *,
    actor: User,
    year: int,
    level: CertificateLevel,
    subjects_passed: str | None,
    is_passed: bool,
) -> ExamRecord:
    if year < 2008 or year > local_today().year:
        # The national examination was first held in 2008.
        raise WorkforceError("invalid_exam_year")
    record = ExamRecord(
        profile=profile,
        year=year,
        level=level,
        subjects_passed=clean_text(subjects_passed),
        is_passed=is_passed,
    )
    db.session.add(record)
    db.session.flush()
    audit.record("exam_record.create", record, actor_id=actor.id, unit_id=profile.unit_id)
    return record


def add_award_record(
    profile: WorkerProfile,
    *,
    actor: User,
    title: str,
    awarded_by: str | None,
    awarded_on: date,
) -> AwardRecord:
    record = AwardRecord(
        profile=profile,
        title=title.strip(),
        awarded_by=clean_text(awarded_by),
        awarded_on=awarded_on,
    )
    db.session.add(record)
    db.session.flush()
    audit.record("award_record.create", record, actor_id=actor.id, unit_id=profile.unit_id)
    return record


def remove_profile_record(
    record: EmploymentRecord | ExamRecord | AwardRecord, *, actor: User
) -> None:
    """Remove an employment, exam or award row of a personnel file."""
    audit.record(
        f"{record.__tablename__.removesuffix('s')}.delete",
        record,
        actor_id=actor.id,
        unit_id=record.profile.unit_id,
    )
    db.session.delete(record)


# Continuing education ---------------------------------------------------------------------------


def add_education_entry(
    profile: WorkerProfile,
    *,
    actor: User,
    kind: EducationKind,
    title: str,
    started_on: date,
    ended_on: date | None = None,
    hours: Decimal | None = None,
    provider: str | None = None,
    is_degree_completed: bool = False,
    evidence: str | None = None,
) -> ContinuingEducationEntry:
    """Record continuing education; a degree counts only once completed, as 90 hours."""
    if ended_on is not None and ended_on < started_on:
        raise WorkforceError("ends_before_start")
    if started_on > local_today():
        raise WorkforceError("date_in_future")
    if kind is EducationKind.DEGREE:
        if is_degree_completed and ended_on is None:
            raise WorkforceError("degree_needs_end")
        hours = DEGREE_HOURS if is_degree_completed else Decimal(0)
    else:
        is_degree_completed = False
        if hours is None or hours <= 0 or hours > MAX_ENTRY_HOURS:
            raise WorkforceError("invalid_hours")
    entry = ContinuingEducationEntry(
        profile=profile,
        kind=kind,
        title=title.strip(),
        provider=clean_text(provider),
        started_on=started_on,
        ended_on=ended_on,
        hours=hours,
        is_degree_completed=is_degree_completed,
        evidence=clean_text(evidence),
        created_by_id=actor.id,
    )
    db.session.add(entry)
    db.session.flush()
    audit.record("continuing_education.create", entry, actor_id=actor.id, unit_id=profile.unit_id)
    return entry


def remove_education_entry(entry: ContinuingEducationEntry, *, actor: User) -> None:
    """Entries credited from training attendance go away only by un-marking the attendance."""
    if entry.is_automatic:
        raise WorkforceError("entry_from_attendance")
    audit.record(
        "continuing_education.delete", entry, actor_id=actor.id, unit_id=entry.profile.unit_id
    )
    db.session.delete(entry)


# Posts ------------------------------------------------------------------------------------------


# Training ---------------------------------------------------------------------------------------


# Targets ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """How many certified workers a bureau aims for, and by when (None: no date set);
    ``set_on``: the day the bureau last set it (None for the plan's)."""

    target: int
    due_on: date | None
    is_default: bool = False
    set_on: date | None = field(default=None, compare=False)


def targets_for(units: Sequence[Unit]) -> dict[int, Target]:
    """Each bureau's target by unit id, in one query: its own, or the plan's 2,000 by the end
    of 2015 when it has set none."""
    rows = {
        row.unit_id: row
        for row in db.session.scalars(
            select(WorkforceTarget).where(WorkforceTarget.unit_id.in_([u.id for u in units]))
        )
    }
    targets = {}
    for unit in units:
        row = rows.get(unit.id)
        targets[unit.id] = (
            Target(DEFAULT_TARGET, DEFAULT_TARGET_DUE, is_default=True)
            if row is None
            else Target(row.target, row.due_on, set_on=local_date(row.updated_at))
        )
    return targets


def target_for(unit: Unit) -> Target:
    """The bureau's own target, or the plan's 2,000 by the end of 2015 when it has set none."""
    return targets_for([unit])[unit.id]


def set_target(unit: Unit, *, target: int, due_on: date | None, actor: User) -> WorkforceTarget:
    if target < 0 or target > 1_000_000:
        raise WorkforceError("invalid_target")
    row = db.session.scalars(
        select(WorkforceTarget).where(WorkforceTarget.unit_id == unit.id)
    ).first()
    if row is None:
        row = WorkforceTarget(unit_id=unit.id, target=target, set_by_id=actor.id)
        db.session.add(row)
    row.target = target
    row.due_on = due_on
    row.set_by_id = actor.id
    db.session.flush()
    audit.record(
        "workforce_target.set",
        row,
        actor_id=actor.id,
        details={"target": target, "due_on": due_on.isoformat() if due_on else None},
    )
    return row


# Bulk creation (spreadsheet imports) ------------------------------------------------------------


@dataclass
class NewProfile:
    """One personnel file to create, with at most one certificate (keyword arguments as above)."""

    unit: Unit
    name: str
    fields: dict[str, Any]
    certificate: dict[str, Any] | None = None


def create_profiles(entries: list[NewProfile], *, actor: User) -> list[WorkerProfile]:
    """``create_profile`` and ``add_certificate`` for many rows with one flush (audited each).

    The caller has checked certificate numbers for duplicates in bulk; the unique constraint
    still refuses a number that appeared since, failing the whole flush.
    """
    profiles: list[WorkerProfile] = []
    certificates: list[Certificate] = []
    for entry in entries:
        name = (entry.name or "").strip()
        if not name:
            raise WorkforceError("name_required")
        profile = WorkerProfile(
            unit_id=entry.unit.id,
            name=name,
            is_social_work_major=False,
            is_active=True,
            created_by_id=actor.id,
        )
        _apply_profile_fields(profile, entry.fields)
        profiles.append(profile)
        if entry.certificate is not None:
            details = entry.certificate
            number = (details["certificate_number"] or "").strip()
            if not number:
                raise WorkforceError("certificate_number_required")
            obtained_on: date = details["obtained_on"]
            registered_on: date | None = details.get("registered_on")
            if obtained_on > local_today():
                raise WorkforceError("obtained_in_future")
            if registered_on is not None and registered_on < obtained_on:
                raise WorkforceError("registered_before_obtained")
            certificates.append(
                Certificate(
                    profile=profile,
                    level=details["level"],
                    certificate_number=number,
                    obtained_on=obtained_on,
                    registration_number=clean_text(details.get("registration_number")),
                    registered_on=registered_on,
                )
            )
    db.session.add_all(profiles)
    db.session.add_all(certificates)
    db.session.flush()
    for profile in profiles:
        audit.record("worker_profile.create", profile, actor_id=actor.id)
    for certificate in certificates:
        audit.record(
            "worker_certificate.create",
            certificate,
            actor_id=actor.id,
            unit_id=certificate.profile.unit_id,
        )
    return profiles
