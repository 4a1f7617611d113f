"""What an evidence pack holds, as plain data: the sections of its PDF and the files of its
ZIP, gathered one section at a time so that the build can report its progress.

A full pack (station heads, tutors) covers the records of the units the requester works
with; an aggregate pack (bureau viewers) holds only figures, small counts suppressed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from casework.activities.models import CommunityActivity
from casework.attachments.models import Attachment
from casework.attachments.services import AttachmentFileMissing, open_attachment
from casework.cases.casefile import case_file_data
from casework.cases.models import Case, Evaluation
from casework.core.clock import local_timezone
from casework.core.numbers import format_number
from casework.core.pdf import INLINE_IMAGE_TYPES, data_url
from casework.extensions import db
from casework.groups.models import AttendanceStatus, Group, GroupSession
from casework.helpdesk.models import HelpRequest
from casework.orgs.models import Unit
from casework.reports import monthly
from casework.reports.periods import Period
from casework.reports.sections import NOT_SHOWN, Shown
from casework.supervision.models import SupervisionSession
from casework.workforce.models import ContinuingEducationEntry, WorkerProfile

Record = dict[str, Any]

# Photos larger than this stay in the ZIP only: the PDF would grow past what an
# evaluator's reader opens comfortably.
PHOTO_MAX_BYTES = 3 * 1024 * 1024
SATISFACTION_SCORES = (5, 4, 3, 2, 1)


@dataclass(frozen=True)
class Scope:
    """Which units and days a pack covers, and for whom it is made."""

    unit_id: int
    unit_name: str
    # Every unit whose figures the pack shows (the chosen unit's subtree in reach).
    unit_ids: list[int]
    # The units whose records (cases, groups, …) the pack may show: those the requester
    # works with; empty for an aggregate pack.
    record_unit_ids: list[int]
    start: date
    end: date
    today: date
    is_aggregate_only: bool

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time(), local_timezone()).astimezone(UTC)

    @property
    def ends_before(self) -> datetime:
        """The first moment after the period (midnight, local time)."""
        next_day = self.end + timedelta(days=1)
        return datetime.combine(next_day, time(), local_timezone()).astimezone(UTC)


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    gather: Callable[[Scope], Record]


@dataclass
class PackFile:
    """An original for the ZIP: where it goes and where it is read from."""

    section: str
    record: str
    attachment_id: int
    original_name: str
    content_type: str


@dataclass
class Gathered:
    data: dict[str, Record] = field(default_factory=dict)
    files: list[PackFile] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)


# --- the sections ---------------------------------------------------------------------------


def _overview(scope: Scope) -> Record:
    unit = db.session.get(Unit, scope.unit_id)
    if unit is None:  # pragma: no cover  (units are never deleted)
        raise LookupError(scope.unit_id)
    return monthly.report_data(
        unit,
        scope.unit_ids,
        Period(scope.start, scope.end),
        aggregate_only=scope.is_aggregate_only,
        today=scope.today,
        font_family=monthly.PDF_FONT_FAMILY,
    )


def _period_cases(scope: Scope) -> list[Case]:
    query = (
        select(Case)
        .where(
            Case.unit_id.in_(scope.record_unit_ids),
            Case.opened_on <= scope.end,
            or_(Case.closed_on.is_(None), Case.closed_on >= scope.start),
        )
        .options(selectinload(Case.worker), selectinload(Case.service_user))
        .order_by(Case.number)
    )
    return list(db.session.scalars(query))


def _case_list(scope: Scope) -> Record:
    return {
        "rows": [
            {
                "id": case.id,
                "number": case.number,
                "person": case.service_user.name,
                "worker": case.worker.display_name,
                "domain": case.domain.label,
                "status": case.status.label,
                "opened_on": case.opened_on,
                "closed_on": case.closed_on,
            }
            for case in _period_cases(scope)
        ]
    }


def _case_files(scope: Scope) -> Record:
    files = []
    for case in _period_cases(scope):
        data = case_file_data(case)
        data["id"] = case.id
        files.append(data)
    return {"files": files}


def _groups(scope: Scope) -> Record:
    in_period = and_(
        GroupSession.starts_at >= scope.starts_at, GroupSession.starts_at < scope.ends_before
    )
    query = (
        select(Group)
        .where(
            Group.unit_id.in_(scope.record_unit_ids),
            or_(
                exists().where(GroupSession.group_id == Group.id, in_period),
                and_(Group.started_on >= scope.start, Group.started_on <= scope.end),
            ),
        )
        .options(selectinload(Group.facilitator))
        .order_by(Group.started_on, Group.id)
    )
    groups = []
    for group in db.session.scalars(query):
        sessions = db.session.scalars(
            select(GroupSession)
            .where(GroupSession.group_id == group.id, in_period)
            .order_by(GroupSession.number)
        )
        groups.append(
            {
                "name": group.name,
                "type": group.group_type.label,
                "status": group.status.label,
                "facilitator": group.facilitator.display_name,
                "purpose": group.purpose,
                "goals": group.goals,
                "target_members": group.target_members,
                "planned_sessions": group.planned_sessions,
                "session_plan": group.session_plan,
                "sessions": [
                    {
                        "number": session.number,
                        "starts_at": session.starts_at,
                        "place": session.place,
                        "topic": session.topic,
                        "process": session.process,
                        "observations": session.observations,
                        "goal_progress": session.goal_progress,
                        "attended": sum(
                            row.status is AttendanceStatus.PRESENT for row in session.attendance
                        ),
                    }
                    for session in sessions
                ],
            }
        )
    return {"groups": groups}


def _period_activities(scope: Scope) -> list[CommunityActivity]:
    query = (
        select(CommunityActivity)
        .where(
            CommunityActivity.unit_id.in_(scope.record_unit_ids),
            CommunityActivity.held_on >= scope.start,
            CommunityActivity.held_on <= scope.end,
        )
        .options(selectinload(CommunityActivity.organiser))
        .order_by(CommunityActivity.held_on, CommunityActivity.id)
    )
    return list(db.session.scalars(query))


def _activities(scope: Scope) -> Record:
    activities = _period_activities(scope)
    photos: dict[int, list[Record]] = {}
    for attachment in _attachments(Attachment.activity_id, [a.id for a in activities]):
        if attachment.content_type not in INLINE_IMAGE_TYPES or attachment.size > PHOTO_MAX_BYTES:
            continue
        try:
            content = open_attachment(attachment).read_bytes()
        except AttachmentFileMissing:
            continue
        photos.setdefault(attachment.activity_id or 0, []).append(
            {"src": data_url(content, attachment.content_type), "caption": attachment.description}
        )
    return {
        "activities": [
            {
                "title": activity.title,
                "held_on": activity.held_on,
                "place": activity.place,
                "type": activity.activity_type.label,
                "domain": activity.domain.label,
                "organiser": activity.organiser.display_name,
                "participant_count": activity.participant_count,
                "description": activity.description,
                "photos": photos.get(activity.id, []),
            }
            for activity in activities
        ]
    }


def _supervision(scope: Scope) -> Record:
    query = (
        select(SupervisionSession)
        .where(
            SupervisionSession.unit_id.in_(scope.record_unit_ids),
            SupervisionSession.held_on >= scope.start,
            SupervisionSession.held_on <= scope.end,
        )
        .options(selectinload(SupervisionSession.workers), selectinload(SupervisionSession.cases))
        .order_by(SupervisionSession.held_on, SupervisionSession.id)
    )
    return {
        "records": [
            {
                "held_on": record.held_on,
                "form": record.form.label,
                "tutor": record.tutor.display_name,
                "duration_minutes": record.duration_minutes,
                "workers": [worker.display_name for worker in record.workers],
                "cases": [case.number for case in record.cases],
                "topics": record.topics,
                "advice": record.advice,
                "follow_up": record.follow_up,
            }
            for record in db.session.scalars(query)
        ]
    }


def _training(scope: Scope) -> Record:
    query = (
        select(ContinuingEducationEntry, WorkerProfile.name)
        .join(WorkerProfile, ContinuingEducationEntry.profile_id == WorkerProfile.id)
        .where(
            WorkerProfile.unit_id.in_(scope.record_unit_ids),
            ContinuingEducationEntry.started_on >= scope.start,
            ContinuingEducationEntry.started_on <= scope.end,
        )
        .order_by(WorkerProfile.name, ContinuingEducationEntry.started_on)
    )
    rows = []
    hours: dict[str, Decimal] = {}
    for entry, name in db.session.execute(query):
        rows.append(
            {
                "worker": name,
                "kind": entry.kind.label,
                "title": entry.title,
                "provider": entry.provider or "",
                "started_on": entry.started_on,
                "ended_on": entry.ended_on,
                "hours": format_number(float(entry.hours)),
            }
        )
        hours[name] = hours.get(name, Decimal(0)) + entry.hours
    return {
        "rows": rows,
        "hours": [
            {"worker": name, "hours": format_number(float(total))} for name, total in hours.items()
        ],
    }


def _requests(scope: Scope) -> Record:
    query = (
        select(HelpRequest)
        .where(
            HelpRequest.unit_id.in_(scope.record_unit_ids),
            HelpRequest.submitted_at >= scope.starts_at,
            HelpRequest.submitted_at < scope.ends_before,
        )
        .options(selectinload(HelpRequest.assigned_to))
        .order_by(HelpRequest.submitted_at, HelpRequest.id)
    )
    # The tracking code, never the resident's name, phone or words: the evaluator asks
    # how requests were handled, not who asked.
    return {
        "rows": [
            {
                "tracking_code": help_request.tracking_code,
                "category": help_request.category.label,
                "channel": help_request.channel.label,
                "status": help_request.status.label,
                "submitted_at": help_request.submitted_at,
                "answered_at": help_request.answered_at,
                "handler": help_request.assigned_to.display_name
                if help_request.assigned_to
                else "",
            }
            for help_request in db.session.scalars(query)
        ]
    }


def _satisfaction(scope: Scope) -> Record:
    """Scores of the period's evaluations (1 to 5), small counts suppressed when aggregate."""
    query = (
        select(Evaluation.satisfaction, func.count())
        .join(Case, Evaluation.case_id == Case.id)
        .where(
            Case.unit_id.in_(scope.unit_ids),
            Evaluation.is_superseded.is_(False),
            Evaluation.created_at >= scope.starts_at,
            Evaluation.created_at < scope.ends_before,
        )
        .group_by(Evaluation.satisfaction)
    )
    counts = dict.fromkeys(SATISFACTION_SCORES, 0)
    for score, count in db.session.execute(query):
        if score in counts:
            counts[score] = count
    total = sum(counts.values())
    # The statistics page's rules: "<5" for a small count, "—" for a count hidden so that
    # none can be worked out from the total.
    shown = Shown(scope.is_aggregate_only)
    shown.breakdown("satisfaction", counts, SATISFACTION_SCORES, "satisfaction.total", total)
    shown.seal()
    cells = [f"satisfaction.{score}" for score in SATISFACTION_SCORES]
    withheld = any(shown.cell_hidden(cell) for cell in cells)
    satisfied = counts[5] + counts[4]
    average = sum(score * count for score, count in counts.items()) / total if total else None
    return {
        "rows": [
            {"score": score, "count": shown.cell_text(cell)}
            for score, cell in zip(SATISFACTION_SCORES, cells, strict=True)
        ],
        "total": shown.cell_text("satisfaction.total"),
        "average": NOT_SHOWN if average is None or withheld else format_number(round(average, 2)),
        "satisfied_share": NOT_SHOWN
        if not total or withheld
        else f"{format_number(round(100 * satisfied / total, 1))}%",
    }


OVERVIEW = Section("overview", _l("统计概览"), _overview)
FULL_SECTIONS = (
    OVERVIEW,
    Section("cases", _l("个案清单"), _case_list),
    Section("case_files", _l("个案档案"), _case_files),
    Section("groups", _l("小组工作：计划与活动记录"), _groups),
    Section("activities", _l("社区活动"), _activities),
    Section("supervision", _l("督导记录"), _supervision),
    Section("training", _l("培训与继续教育"), _training),
    Section("requests", _l("求助办理"), _requests),
    Section("satisfaction", _l("服务满意度"), _satisfaction),
)
AGGREGATE_SECTIONS = (OVERVIEW, Section("satisfaction", _l("服务满意度"), _satisfaction))


def sections_for(scope: Scope) -> tuple[Section, ...]:
    return AGGREGATE_SECTIONS if scope.is_aggregate_only else FULL_SECTIONS


# --- the originals for the ZIP --------------------------------------------------------------


def _attachments(column: Any, ids: list[int]) -> list[Attachment]:
    if not ids:
        return []
    query = (
        select(Attachment)
        .where(column.in_(ids), Attachment.is_archived.is_(False))
        .order_by(Attachment.id)
    )
    return list(db.session.scalars(query))


def pack_files(scope: Scope) -> list[PackFile]:
    """The attachments of the period's cases (their whole files, as the PDF shows them), of
    their service users' own files (一人一档: beside the person's first case of the period)
    and of its community activities; none for an aggregate pack."""
    if scope.is_aggregate_only:
        return []
    files: list[PackFile] = []
    period_cases = _period_cases(scope)
    cases = {case.id: case.number for case in period_cases}
    for attachment in _attachments(Attachment.case_id, list(cases)):
        files.append(_pack_file("case_files", cases[attachment.case_id or 0], attachment))
    first_case_of: dict[int, str] = {}
    for case in period_cases:  # in case-number order
        first_case_of.setdefault(case.service_user_id, case.number)
    for attachment in _attachments(Attachment.service_user_id, list(first_case_of)):
        record = first_case_of[attachment.service_user_id or 0]
        files.append(_pack_file("case_files", record, attachment))
    for activity in _period_activities(scope):
        label = f"{activity.held_on.isoformat()} {activity.title}"
        for attachment in _attachments(Attachment.activity_id, [activity.id]):
            files.append(_pack_file("activities", label, attachment))
    return files


def _pack_file(section: str, record: str, attachment: Attachment) -> PackFile:
    return PackFile(
        section=section,
        record=record,
        attachment_id=attachment.id,
        original_name=attachment.original_name,
        content_type=attachment.content_type,
    )
