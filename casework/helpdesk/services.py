"""Every change to a help request: submission, triage actions, referral, conversion."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from casework.accounts.models import Role, User
from casework.cases import records as case_records
from casework.cases import services as case_services
from casework.cases.enums import CaseSource
from casework.cases.models import Case
from casework.core import audit
from casework.core.clock import add_working_days, local_date, local_today
from casework.core.models import utcnow
from casework.core.rules import RuleError
from casework.extensions import db
from casework.helpdesk.models import (
    OPEN_STATUSES,
    Channel,
    ContactPreference,
    EventKind,
    HelpRequest,
    HelpRequestEvent,
    RequestCategory,
    RequestStatus,
    StationProfile,
)
from casework.notifications.sms import SmsError, SmsProvider
from casework.orgs.models import Unit
from casework.people.models import ServiceUser

# No 0/O, 1/I/L: a code read out over the phone or copied by hand stays unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12  # 31**12 ≈ 7.9e17 codes: guessing one is hopeless even without rate limits
CODE_GROUP = 4

CHANNEL_TO_CASE_SOURCE = {
    Channel.WEB: CaseSource.WEB,
    Channel.HOTLINE: CaseSource.HOTLINE,
    Channel.LETTER: CaseSource.OTHER,
    Channel.WALK_IN: CaseSource.WALK_IN,
    Channel.HOTLINE_12345: CaseSource.HOTLINE,
}


class RequestRuleError(RuleError):
    """A rule about help requests forbids the action."""


def stored_text(message: Any) -> str:
    """Text the system writes into a record is kept in Chinese, whoever's screen is English."""
    with force_locale("zh_CN"):
        return str(message)


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_tracking_code(raw: str) -> str:
    """Accept what people type: lower case, spaces and hyphens between the groups."""
    return re.sub(r"[\s\-]", "", raw or "").upper()[:32]


def format_tracking_code(code: str) -> str:
    """``ABCD-EFGH-JKMN``: easier to read out and copy."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def find_by_tracking_code(raw: str) -> HelpRequest | None:
    code = normalise_tracking_code(raw)
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return db.session.scalar(select(HelpRequest).where(HelpRequest.tracking_code == code))


@dataclass
class RequestDetails:
    category: RequestCategory
    description: str
    name: str | None
    phone: str | None
    contact_preference: ContactPreference


def _event(
    request: HelpRequest,
    kind: EventKind,
    actor: User | None,
    *,
    body: str = "",
    is_public: bool = False,
    from_unit: Unit | None = None,
    to_unit: Unit | None = None,
) -> HelpRequestEvent:
    event = HelpRequestEvent(
        request=request,
        kind=kind,
        actor_id=actor.id if actor else None,
        body=body.strip(),
        is_public=is_public,
        from_unit_id=from_unit.id if from_unit else None,
        to_unit_id=to_unit.id if to_unit else None,
    )
    db.session.add(event)
    return event


def _insert_with_unique_code(request: HelpRequest) -> None:
    """Add ``request`` with a fresh code; a (vanishingly rare) collision just draws again."""
    for _attempt in range(5):
        request.tracking_code = new_tracking_code()
        savepoint = db.session.begin_nested()
        try:
            db.session.add(request)
            db.session.flush()
        except IntegrityError:
            savepoint.rollback()
            continue
        savepoint.commit()
        return
    raise RuntimeError("could not draw a unique tracking code")


def _new_request(unit: Unit, channel: Channel, details: RequestDetails) -> HelpRequest:
    return HelpRequest(
        unit_id=unit.id,
        channel=channel,
        category=details.category,
        description=details.description.strip(),
        name=(details.name or "").strip() or None,
        phone=(details.phone or "").strip() or None,
        contact_preference=details.contact_preference,
        status=RequestStatus.NEW,
        submitted_at=utcnow(),
    )


def submit_request(*, unit: Unit, details: RequestDetails) -> HelpRequest:
    """A resident's web request; consent to the processing of what they gave is required."""
    request = _new_request(unit, Channel.WEB, details)
    request.consent_at = utcnow()
    _insert_with_unique_code(request)
    _event(request, EventKind.SUBMITTED, None, is_public=True)
    audit.record("help_request.submit", request, details={"channel": Channel.WEB.value})
    return request


def receive_work_order(*, unit: Unit, details: RequestDetails) -> HelpRequest:
    """A work order the 12345 hotline dispatched (casework/hotline): the hotline took the
    caller's consent when it took the call."""
    request = _new_request(unit, Channel.HOTLINE_12345, details)
    request.consent_at = utcnow()
    _insert_with_unique_code(request)
    _event(request, EventKind.SUBMITTED, None, is_public=True)
    audit.record("help_request.submit", request, details={"channel": Channel.HOTLINE_12345.value})
    return request


def log_request(
    *,
    actor: User,
    unit: Unit,
    channel: Channel,
    details: RequestDetails,
    consent_given: bool = False,
) -> HelpRequest:
    """Staff record a hotline call, a letter or a walk-in in the same queue.

    ``consent_given``: the worker told the resident what the data is for and they agreed.
    """
    if channel in (Channel.WEB, Channel.HOTLINE_12345):
        raise RequestRuleError(_l("网上求助由居民本人提交，12345 工单由热线系统派来。"))
    request = _new_request(unit, channel, details)
    request.logged_by_id = actor.id
    if consent_given:
        request.consent_at = utcnow()
    _insert_with_unique_code(request)
    _event(request, EventKind.LOGGED, actor, is_public=True)
    audit.record("help_request.log", request, actor_id=actor.id, details={"channel": channel.value})
    return request


def _require_active(request: HelpRequest) -> None:
    if not request.is_active:
        raise RequestRuleError(
            _l("求助当前为“%(status)s”，不能再执行此操作。", status=request.status.label)
        )


def _take_charge(request: HelpRequest, worker: User) -> None:
    """Whoever handles an unassigned request becomes its responsible worker (负责社工)."""
    if (
        request.assigned_to_id is None
        and worker.unit_id == request.unit_id
        and worker.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD)
    ):
        request.assigned_to_id = worker.id


def _mark_acknowledged(request: HelpRequest) -> None:
    if request.acknowledged_at is None:
        request.acknowledged_at = utcnow()


def acknowledge(*, actor: User, request: HelpRequest) -> None:
    if request.status is not RequestStatus.NEW:
        raise RequestRuleError(_l("只有新提交的求助可以受理。"))
    request.status = RequestStatus.ACKNOWLEDGED
    _mark_acknowledged(request)
    _event(request, EventKind.ACKNOWLEDGED, actor, is_public=True)
    audit.record("help_request.acknowledge", request, actor_id=actor.id)


def assign(*, actor: User, request: HelpRequest, worker: User) -> None:
    _require_active(request)
    if (
        worker.unit_id != request.unit_id
        or worker.role not in (Role.SOCIAL_WORKER, Role.STATION_HEAD)
        or not worker.is_active
    ):
        raise RequestRuleError(_l("只能分派给本单位在职的社工。"))
    request.assigned_to_id = worker.id
    if request.status is RequestStatus.NEW:
        request.status = RequestStatus.ACKNOWLEDGED
        _mark_acknowledged(request)
        _event(request, EventKind.ACKNOWLEDGED, actor, is_public=True)
    _event(request, EventKind.ASSIGNED, actor, body=worker.display_name)
    audit.record("help_request.assign", request, actor_id=actor.id, details={"to": worker.id})


def start(*, actor: User, request: HelpRequest) -> None:
    if request.status not in (RequestStatus.NEW, RequestStatus.ACKNOWLEDGED):
        raise RequestRuleError(_l("只有新提交或已受理的求助可以开始处理。"))
    request.status = RequestStatus.IN_PROGRESS
    _mark_acknowledged(request)
    _take_charge(request, actor)
    _event(request, EventKind.STARTED, actor, is_public=True)
    audit.record("help_request.start", request, actor_id=actor.id)


def reply(*, actor: User, request: HelpRequest, body: str) -> None:
    """A public answer: the resident reads it on the status page."""
    if not body.strip():
        raise RequestRuleError(_l("请填写答复内容。"))
    if request.status in (RequestStatus.DECLINED, RequestStatus.REFERRED, RequestStatus.CLOSED):
        raise RequestRuleError(
            _l("求助当前为“%(status)s”，不能再答复。", status=request.status.label)
        )
    _mark_acknowledged(request)
    _take_charge(request, actor)
    if request.answered_at is None:
        request.answered_at = utcnow()
    if request.status in OPEN_STATUSES:
        request.status = RequestStatus.ANSWERED
    if request.contact_preference is ContactPreference.SMS and request.phone:
        # Texted by `flask casework send-notifications` (notifications.sms).
        request.sms_status = "pending"
    _event(request, EventKind.REPLY, actor, body=body, is_public=True)
    audit.record("help_request.reply", request, actor_id=actor.id)


def add_note(*, actor: User, request: HelpRequest, body: str) -> None:
    """An internal note: staff only, never on the status page."""
    if not body.strip():
        raise RequestRuleError(_l("请填写备注内容。"))
    _event(request, EventKind.NOTE, actor, body=body)
    audit.record("help_request.note", request, actor_id=actor.id)


def refer_to_unit(*, actor: User, request: HelpRequest, unit: Unit, note: str) -> None:
    """Move the request to another station; it starts there as new, its history kept."""
    _require_active(request)
    if unit.id == request.unit_id:
        raise RequestRuleError(_l("请选择其他单位。"))
    origin = request.unit
    request.unit_id = unit.id
    request.unit = unit
    request.status = RequestStatus.NEW
    request.assigned_to_id = None
    _event(
        request,
        EventKind.REFERRED,
        actor,
        body=note,
        is_public=True,
        from_unit=origin,
        to_unit=unit,
    )
    audit.record(
        "help_request.refer",
        request,
        actor_id=actor.id,
        unit_id=origin.id,
        details={"from": origin.id, "to": unit.id},
    )


def refer_to_agency(*, actor: User, request: HelpRequest, agency: str, note: str) -> None:
    """Refer the resident to an outside agency (医院, 司法所, 妇联 …); this ends the request."""
    _require_active(request)
    if not agency.strip():
        raise RequestRuleError(_l("请填写转介机构。"))
    request.status = RequestStatus.REFERRED
    request.referral_agency = agency.strip()
    _mark_acknowledged(request)
    _take_charge(request, actor)
    if request.answered_at is None:
        request.answered_at = utcnow()
    body = note.strip() or stored_text(_l("已转介至 %(agency)s。", agency=agency.strip()))
    _event(request, EventKind.REFERRED, actor, body=body, is_public=True)
    audit.record("help_request.refer_out", request, actor_id=actor.id)


def decline(*, actor: User, request: HelpRequest, reason: str) -> None:
    """Decline with a reason the resident will read."""
    _require_active(request)
    if not reason.strip():
        raise RequestRuleError(_l("请填写不予受理的原因。"))
    request.status = RequestStatus.DECLINED
    _mark_acknowledged(request)
    _take_charge(request, actor)
    if request.answered_at is None:
        request.answered_at = utcnow()
    _event(request, EventKind.DECLINED, actor, body=reason, is_public=True)
    audit.record("help_request.decline", request, actor_id=actor.id)


def close(*, actor: User, request: HelpRequest, note: str) -> None:
    """办结: the station has answered and the matter is finished."""
    if request.status is not RequestStatus.ANSWERED:
        raise RequestRuleError(_l("请先答复居民，再办结求助。"))
    request.status = RequestStatus.CLOSED
    _take_charge(request, actor)
    body = note.strip() or stored_text(_l("您的求助已办结。"))
    _event(request, EventKind.CLOSED, actor, body=body, is_public=True)
    audit.record("help_request.close", request, actor_id=actor.id)


def convert_to_case(
    *,
    actor: User,
    request: HelpRequest,
    person: ServiceUser,
    details: case_services.CaseDetails,
    worker: User,
    tutor: User | None,
) -> Case:
    """Open a case from the request, with the description as the presenting problem."""
    _require_active(request)
    if person.unit_id != request.unit_id:
        raise RequestRuleError(_l("服务对象必须属于受理求助的单位。"))
    case = case_services.open_case(
        actor=actor, person=person, details=details, worker=worker, tutor=tutor
    )
    case_records.save_intake(
        actor=actor,
        case=case,
        presenting_problem=request.description,
        arrival=_arrival_note(request),
        first_judgement="",
        agreement_signed=False,
        agreement_signed_on=None,
    )
    request.case_id = case.id
    request.status = RequestStatus.CONVERTED
    _mark_acknowledged(request)
    _take_charge(request, worker)
    if request.answered_at is None:
        request.answered_at = utcnow()
    _event(
        request,
        EventKind.CONVERTED,
        actor,
        body=stored_text(_l("社工已为您建立个案，将与您联系。")),
        is_public=True,
    )
    audit.record("help_request.convert", request, actor_id=actor.id, details={"case": case.id})
    return case


def _arrival_note(request: HelpRequest) -> str:
    with force_locale("zh_CN"):
        return str(
            _l(
                "%(channel)s求助，查询码 %(code)s",
                channel=request.channel.label,
                code=format_tracking_code(request.tracking_code),
            )
        )


def case_source_for(request: HelpRequest) -> CaseSource:
    return CHANNEL_TO_CASE_SOURCE[request.channel]


def default_profile(unit_id: int) -> StationProfile:
    """The limits a unit has until it saves its own (not added to the session)."""
    return StationProfile(unit_id=unit_id, acknowledge_within_days=1, answer_within_days=5)


def profile_for(unit: Unit) -> StationProfile:
    """The unit's notice board and limits, with the defaults when none is saved yet."""
    return db.session.get(StationProfile, unit.id) or default_profile(unit.id)


@dataclass
class ProfileDetails:
    opening_hours: str
    hotline: str
    address: str
    services: str
    acknowledge_within_days: int
    answer_within_days: int


def save_profile(*, actor: User, unit: Unit, details: ProfileDetails) -> StationProfile:
    if details.acknowledge_within_days > details.answer_within_days:
        raise RequestRuleError(_l("受理时限不能长于答复时限。"))
    profile = db.session.get(StationProfile, unit.id) or StationProfile(unit_id=unit.id)
    profile.opening_hours = details.opening_hours.strip()
    profile.hotline = details.hotline.strip()
    profile.address = details.address.strip()
    profile.services = details.services.strip()
    profile.acknowledge_within_days = details.acknowledge_within_days
    profile.answer_within_days = details.answer_within_days
    profile.updated_by_id = actor.id
    db.session.add(profile)
    audit.record("station_profile.update", None, actor_id=actor.id, unit_id=unit.id)
    return profile


@dataclass
class Deadlines:
    acknowledge_by: date
    answer_by: date
    acknowledge_overdue: bool
    answer_overdue: bool

    @property
    def is_overdue(self) -> bool:
        return self.acknowledge_overdue or self.answer_overdue


def deadlines(request: HelpRequest, profile: StationProfile) -> Deadlines:
    """When the request must be acknowledged and answered, and whether that has passed."""
    return deadlines_of(request.status, local_date(request.submitted_at), profile)


def deadlines_of(status: RequestStatus, submitted: date, profile: StationProfile) -> Deadlines:
    """``deadlines`` of a request in ``status`` submitted on the local day ``submitted``."""
    acknowledge_by = add_working_days(submitted, profile.acknowledge_within_days)
    answer_by = add_working_days(submitted, profile.answer_within_days)
    today = local_today()
    return Deadlines(
        acknowledge_by=acknowledge_by,
        answer_by=answer_by,
        acknowledge_overdue=status is RequestStatus.NEW and today > acknowledge_by,
        answer_overdue=status in OPEN_STATUSES and today > answer_by,
    )


SMS_ATTEMPTS = 5


def sms_text(request: HelpRequest, answer: str) -> str:
    """What the resident reads: the station, the start of the answer, the tracking code."""
    with force_locale("zh_CN"):
        return str(
            _l(
                "%(station)s已答复您的求助：%(answer)s（查询码 %(code)s，可在网上查看全文）",
                station=request.unit.name,
                answer=answer[:60] + ("…" if len(answer) > 60 else ""),
                code=format_tracking_code(request.tracking_code),
            )
        )


def send_sms(provider: SmsProvider, limit: int = 200) -> tuple[int, int]:
    """Text the residents whose answer is waiting to be sent; (sent, not sent)."""
    pending = db.session.scalars(
        select(HelpRequest)
        .where(HelpRequest.sms_status == "pending")
        .order_by(HelpRequest.id)
        .limit(limit)
    ).all()
    sent = 0
    for request in pending:
        answer = db.session.scalar(
            select(HelpRequestEvent.body)
            .where(
                HelpRequestEvent.request_id == request.id,
                HelpRequestEvent.kind == EventKind.REPLY,
            )
            .order_by(HelpRequestEvent.id.desc())
            .limit(1)
        )
        if not request.phone:
            request.sms_status = None
            continue
        try:
            provider.send(request.phone, sms_text(request, answer or ""))
        except SmsError:
            request.sms_attempts += 1
            if request.sms_attempts >= SMS_ATTEMPTS:
                request.sms_status = "failed"
            continue
        request.sms_status = "sent"
        sent += 1
    db.session.commit()
    return sent, len(pending) - sent
