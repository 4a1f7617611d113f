"""Recording and answering residents' rights requests (PIPL Art. 44–48).

A request is answered within ``DUE_WORKING_DAYS`` working days. Access produces the
person's data (``person_data``) as JSON and as a PDF; correction is made on the person's
pages and the request closed with a note; deletion anonymises the person where the law
allows (``casework.retention.anonymise_person``) and says why not where it does not;
withdrawing consent stops consent-based processing (groups, community activities).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.accounts.models import User
from casework.activities.models import CommunityActivity, activity_participants
from casework.cases.casefile import case_file_data, household_data
from casework.cases.models import Case
from casework.core import audit
from casework.core.clock import add_working_days, local_today
from casework.core.models import utcnow
from casework.core.rules import RuleError
from casework.extensions import db
from casework.groups.models import Group, GroupMember
from casework.people.models import ServiceUser
from casework.retention import ENDED_CASE_STATUSES, anonymise_person
from casework.rights.models import RightsChannel, RightsKind, RightsRequest, RightsStatus

DUE_WORKING_DAYS = 15


class RightsError(RuleError):
    MESSAGES: ClassVar[dict[str, Any]] = {
        "not_open": _l("该请求已办结。"),
        "outcome_required": _l("请写明办理结果或不予办理的理由"),
        "legal_hold": _l(
            "该服务对象的信息因纠纷、诉讼或检查被站长保留，依法暂不能删除；请向本人说明理由。"
        ),
        "open_case": _l(
            "该服务对象还有未结束的个案，履行服务所必需的信息暂不能删除；"
            "可在结案后删除，或先撤回同意。"
        ),
        "wrong_kind": _l("该操作不适用于这类请求。"),
    }

    def __init__(self, code: str) -> None:
        super().__init__(self.MESSAGES[code], code=code)


@dataclass
class RequestDetails:
    kind: RightsKind
    channel: RightsChannel
    received_on: date
    details: str


def record_request(*, actor: User, person: ServiceUser, details: RequestDetails) -> RightsRequest:
    request = RightsRequest(
        service_user_id=person.id,
        unit_id=person.unit_id,
        kind=details.kind,
        channel=details.channel,
        received_on=details.received_on,
        due_on=add_working_days(details.received_on, DUE_WORKING_DAYS),
        details=details.details.strip(),
        recorded_by_id=actor.id,
    )
    db.session.add(request)
    db.session.flush()
    audit.record(
        "rights_request.record",
        request,
        actor_id=actor.id,
        details={"kind": details.kind.value, "person": person.id},
    )
    return request


def is_overdue(request: RightsRequest, today: date | None = None) -> bool:
    return request.status is RightsStatus.OPEN and (today or local_today()) > request.due_on


def _finish(actor: User, request: RightsRequest, status: RightsStatus, outcome: str) -> None:
    if request.status is not RightsStatus.OPEN:
        raise RightsError("not_open")
    if not outcome.strip():
        raise RightsError("outcome_required")
    request.status = status
    request.outcome = outcome.strip()
    request.handled_by_id = actor.id
    request.handled_at = utcnow()
    audit.record(
        f"rights_request.{status.value}",
        request,
        actor_id=actor.id,
        details={"kind": request.kind.value},
    )


def complete(*, actor: User, request: RightsRequest, outcome: str) -> None:
    """Answered (a copy handed over, the correction made, the explanation given)."""
    _finish(actor, request, RightsStatus.DONE, outcome)


def refuse(*, actor: User, request: RightsRequest, outcome: str) -> None:
    """Not granted, with the reason the resident is told."""
    _finish(actor, request, RightsStatus.REFUSED, outcome)


def delete_person(*, actor: User, request: RightsRequest, outcome: str) -> None:
    """A deletion request granted: the person is anonymised as retention would do."""
    if request.kind is not RightsKind.DELETION:
        raise RightsError("wrong_kind")
    if request.status is not RightsStatus.OPEN:
        raise RightsError("not_open")
    person = request.person
    if person.legal_hold:
        raise RightsError("legal_hold")
    open_case = db.session.scalar(
        select(Case.id).where(
            Case.service_user_id == person.id, Case.status.not_in(ENDED_CASE_STATUSES)
        )
    )
    if open_case is not None:
        raise RightsError("open_case")
    anonymise_person(person, reason="request", actor_id=actor.id)
    _finish(actor, request, RightsStatus.DONE, outcome or str(_l("已删除（匿名化处理）。")))


def withdraw_consent(*, actor: User, request: RightsRequest, outcome: str) -> None:
    if request.kind is not RightsKind.WITHDRAWAL:
        raise RightsError("wrong_kind")
    if request.status is not RightsStatus.OPEN:
        raise RightsError("not_open")
    request.person.consent_withdrawn_on = local_today()
    _finish(
        actor,
        request,
        RightsStatus.DONE,
        outcome or str(_l("已撤回同意：不再邀请参加小组和社区活动。")),
    )


# --- the person's data, for an access request --------------------------------------------------


def person_data(person: ServiceUser) -> dict[str, Any]:
    """Everything the station holds about ``person``, as plain data (full numbers: it is
    their own copy)."""
    cases = db.session.scalars(
        select(Case).where(Case.service_user_id == person.id).order_by(Case.opened_on, Case.id)
    ).all()
    groups = db.session.execute(
        select(Group.name, GroupMember.joined_on, GroupMember.left_on)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.service_user_id == person.id)
        .order_by(GroupMember.joined_on)
    ).all()
    activities = db.session.execute(
        select(CommunityActivity.title, CommunityActivity.held_on)
        .join(
            activity_participants,
            activity_participants.c.activity_id == CommunityActivity.id,
        )
        .where(activity_participants.c.service_user_id == person.id)
        .order_by(CommunityActivity.held_on)
    ).all()
    return {
        "person": {
            "name": person.name,
            "gender": person.gender.label if person.gender else "",
            "birth_date": person.birth_date,
            "id_number": person.id_number or "",
            "phone": person.phone or "",
            "address": person.address or "",
            "notes": person.notes or "",
            "unit": person.unit.name,
            "tags": [tag.name for tag in person.tags],
            "consent_basis": person.consent_basis.label if person.consent_basis else "",
            "consent_given_on": person.consent_given_on,
            "consent_withdrawn_on": person.consent_withdrawn_on,
            "household": household_data(person),
        },
        "cases": [case_file_data(case) for case in cases],
        "groups": [
            {"group": name, "joined_on": joined, "left_on": left} for name, joined, left in groups
        ],
        "activities": [{"activity": title, "held_on": held} for title, held in activities],
    }
