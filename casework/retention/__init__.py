"""Retention: nothing kept longer than the law allows, and counted facts never deleted.

``flask casework retention`` (a dry run unless ``--apply``) applies three rules:

- **People** whose cases all ended (closed or declined) more than ``RETENTION_CASE_YEARS``
  ago — or who never had a case and were registered that long ago — are *anonymised*: name,
  ID and phone numbers, address, notes and household members go, and the name and numbers
  are struck from the narrative text of their cases. The rows stay, so every statistic of a
  past period (cases opened, closed, by domain, source, risk, age group, tag) is unchanged.
  A person with a legal hold (``legal_hold``, set by the station head) or a case with a
  referral still waiting for an answer is never touched.
- **Help requests** ended more than ``HELP_RETENTION_YEARS`` ago (the period the public
  privacy notice promises) lose the caller's name and phone, the description and the
  messages; dates, category, channel and status stay for the statistics.
- **Audit entries** older than ``AUDIT_RETENTION_DAYS`` are pruned from the start of the
  hash chain (``core.audit_chain.prune``; never under 180 days).

The same ``anonymise_person`` serves a resident's deletion request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Select, event, exists, func, or_, select
from sqlalchemy.orm import Session

from casework.attachments.models import Attachment
from casework.attachments.services import upload_folder
from casework.cases.enums import CaseStatus, ReferralOutcome
from casework.cases.models import Case, Referral
from casework.core import audit, audit_chain
from casework.core.clock import local_today
from casework.core.models import utcnow
from casework.core.retention_policy import current_policy
from casework.extensions import db
from casework.helpdesk.models import ACTIVE_STATUSES, HelpRequest, HelpRequestEvent
from casework.people.models import HouseholdMember, ServiceUser
from casework.rights.models import RightsRequest
from casework.search.index import SOURCES, Section

ANONYMOUS_NAME = "（已匿名）"
STRUCK = "某某"
REMOVED_TEXT = "（已按保存期限删除）"
BATCH = 200

ENDED_CASE_STATUSES = (CaseStatus.CLOSED, CaseStatus.DECLINED)


@dataclass
class RetentionReport:
    people: int = 0
    people_held: int = 0
    help_requests: int = 0
    audit_entries: int = 0
    applied: bool = False
    cutoffs: dict[str, date] = field(default_factory=dict)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def people_due(cutoff: date, *, held: bool = False) -> Select[ServiceUser]:
    """People whose every case ended before ``cutoff`` (or who have none and were registered
    before it), with no referral waiting; with ``held``, those a legal hold keeps."""
    still_needed = exists().where(
        Case.service_user_id == ServiceUser.id,
        or_(
            Case.status.not_in(ENDED_CASE_STATUSES),
            Case.closed_on.is_(None),
            Case.closed_on >= cutoff,
        ),
    )
    waiting_referral = exists().where(
        Referral.case_id == Case.id,
        Case.service_user_id == ServiceUser.id,
        Referral.outcome == ReferralOutcome.PENDING,
    )
    return select(ServiceUser).where(
        ServiceUser.anonymised_at.is_(None),
        ServiceUser.legal_hold.is_(held),
        ServiceUser.created_at < _start_of(cutoff),
        ~still_needed,
        ~waiting_referral,
    )


def help_requests_due(cutoff: date) -> Select[HelpRequest]:
    return select(HelpRequest).where(
        HelpRequest.anonymised_at.is_(None),
        HelpRequest.status.not_in(ACTIVE_STATUSES),
        HelpRequest.updated_at < _start_of(cutoff),
    )


def _count(query: Select[ServiceUser] | Select[HelpRequest]) -> int:
    return int(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def run(*, apply: bool, today: date | None = None) -> RetentionReport:
    periods = current_policy()
    periods.check()
    today = today or local_today()
    case_cutoff = _years_before(today, periods.case_years)
    help_cutoff = _years_before(today, periods.help_years)
    report = RetentionReport(
        applied=apply,
        cutoffs={"cases": case_cutoff, "help_requests": help_cutoff},
        people_held=_count(people_due(case_cutoff, held=True)),
    )
    if not apply:
        report.people = _count(people_due(case_cutoff))
        report.help_requests = _count(help_requests_due(help_cutoff))
        return report
    while people := db.session.scalars(people_due(case_cutoff).limit(BATCH)).all():
        for person in people:
            anonymise_person(person, reason="retention", actor_id=None)
        db.session.commit()
        report.people += len(people)
    while requests := db.session.scalars(help_requests_due(help_cutoff).limit(BATCH)).all():
        for request in requests:
            anonymise_help_request(request)
        db.session.commit()
        report.help_requests += len(requests)
    audit_chain.seal_pending()
    report.audit_entries = audit_chain.prune(periods.audit_days)
    return report


# --- anonymising ------------------------------------------------------------------------------

_CASE_TEXT = [source for source in SOURCES if source.section is not Section.PERSON]


def anonymise_person(person: ServiceUser, *, reason: str, actor_id: int | None) -> None:
    """Remove what identifies ``person``, keep what is counted; the search index follows
    through the ORM's events. Audited with ``reason`` ("retention" or "request")."""
    identifiers = [value for value in (person.name, person.id_number, person.phone) if value]
    case_ids = list(db.session.scalars(select(Case.id).where(Case.service_user_id == person.id)))
    if case_ids and identifiers:
        for source in _CASE_TEXT:
            column = Case.id if source.model is Case else source.model.case_id
            for row in db.session.scalars(select(source.model).where(column.in_(case_ids))):
                for name in source.fields:
                    text_ = getattr(row, name)
                    if not isinstance(text_, str) or not text_:
                        continue
                    struck = text_
                    for identifier in identifiers:
                        struck = struck.replace(identifier, STRUCK)
                    if struck != text_:
                        setattr(row, name, struck)
    # The person's own rights requests stay as the record of how they were answered, with
    # the name and numbers struck from what staff wrote.
    for request in db.session.scalars(
        select(RightsRequest).where(RightsRequest.service_user_id == person.id)
    ):
        for name in ("details", "outcome"):
            written = getattr(request, name)
            if written:
                for identifier in identifiers:
                    written = written.replace(identifier, STRUCK)
                setattr(request, name, written)
    for member in db.session.scalars(
        select(HouseholdMember).where(HouseholdMember.service_user_id == person.id)
    ):
        db.session.delete(member)
    # Scans of documents identify the person by their content: the files go too, once the
    # transaction that removes their rows has committed.
    attachments = select(Attachment).where(
        or_(Attachment.service_user_id == person.id, Attachment.case_id.in_(case_ids))
    )
    for attachment in db.session.scalars(attachments):
        _unlink_after_commit(upload_folder() / attachment.stored_name)
        db.session.delete(attachment)
    person.name = ANONYMOUS_NAME
    person.id_number = None
    person.phone = None
    person.address = None
    person.notes = None
    person.anonymised_at = utcnow()
    audit.record(
        "service_user.anonymised",
        person,
        actor_id=actor_id,
        details={"reason": reason, "cases": len(case_ids)},
    )


_UNLINK = "casework.retention.unlink"


def _unlink_after_commit(path: Path) -> None:
    db.session.info.setdefault(_UNLINK, []).append(path)


@event.listens_for(Session, "after_commit")
def _unlink_files(session: Session) -> None:
    for path in session.info.pop(_UNLINK, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _keep_files(session: Session) -> None:
    session.info.pop(_UNLINK, None)


def anonymise_help_request(request: HelpRequest) -> None:
    request.name = None
    request.phone = None
    request.description = REMOVED_TEXT
    request.anonymised_at = utcnow()
    for message in db.session.scalars(
        select(HelpRequestEvent).where(HelpRequestEvent.request_id == request.id)
    ):
        if message.body:
            message.body = ""
    audit.record("help_request.anonymised", request, actor_id=None, details={"reason": "retention"})
