"""Asking for a file another unit holds (档案请求): one person, one file.

A worker who types an ID number registered at another unit is told where the person is
registered and never gets a second record. Instead the worker's unit asks the holding unit,
with a reason, either for access (查阅并服务: the unit may open the person's file and its own
cases for them, until ``FILE_ACCESS_DAYS`` later or until the holder takes it back) or for
the file itself (调档: the person's file moves to the asking unit). The holding unit's
station head answers; until then the asking unit learns nothing but the answer.

The cases of each unit stay its own: access to a person never opens another unit's cases.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, or_, select

from casework.accounts.models import Role, User
from casework.accounts.queries import heads_of
from casework.cases.models import INACTIVE_STATUSES, Case
from casework.core import audit
from casework.core.clock import local_today
from casework.core.masking import mask_id_number
from casework.core.models import utcnow
from casework.core.rules import RuleError
from casework.extensions import db
from casework.notifications.services import notify
from casework.orgs.models import Unit
from casework.people import households
from casework.people.models import (
    FileRequest,
    FileRequestKind,
    FileRequestStatus,
    ServiceUser,
)
from casework.people.permissions import people_with_access
from casework.people.services import id_number_holder


class FileRequestError(RuleError):
    MESSAGES: ClassVar[dict[str, Any]] = {
        "not_registered": _l("该身份证号没有在其他单位登记"),
        "own_unit": _l("该服务对象已在本单位登记，请直接打开其档案"),
        "reason": _l("请填写请求的理由"),
        "pending": _l("本单位已就该服务对象提出请求，正在等待答复"),
        "answered": _l("该请求已处理"),
        "decline_note": _l("请说明拒绝的理由"),
        "open_cases": _l(
            "该服务对象在本单位还有在案个案：请先在个案页把个案转移过去，或结案后再同意调档"
        ),
        "moved": _l("该服务对象的档案已不在本单位"),
    }

    def __init__(self, code: str) -> None:
        super().__init__(self.MESSAGES[code], code=code)


def can_request_files(user: User) -> bool:
    """Front-line staff, who register people."""
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD) and not (
        user.is_pending_confirmation
    )


def can_list_file_requests(user: User) -> bool:
    return can_request_files(user)


def can_answer(user: User, request: FileRequest) -> bool:
    """The station head of the unit that holds the file."""
    return (
        user.role is Role.STATION_HEAD
        and user.unit_id == request.to_unit_id
        and not user.is_pending_confirmation
    )


def can_withdraw(user: User, request: FileRequest) -> bool:
    return request.status is FileRequestStatus.PENDING and (
        user.id == request.requested_by_id
        or (user.role is Role.STATION_HEAD and user.unit_id == request.from_unit_id)
    )


def can_revoke(user: User, request: FileRequest) -> bool:
    return request.status is FileRequestStatus.GRANTED and (
        request.kind is FileRequestKind.ACCESS and can_answer(user, request)
    )


def file_requests_visible_to(user: User) -> Select[FileRequest]:
    """Requests the user's unit made or received (front-line staff only)."""
    query = select(FileRequest)
    if not can_list_file_requests(user):
        return query.where(false())
    return query.where(
        or_(FileRequest.from_unit_id == user.unit_id, FileRequest.to_unit_id == user.unit_id)
    )


def has_access(unit: Unit | None, person: ServiceUser) -> bool:
    """Whether ``unit`` may serve ``person``: it holds the file, or was granted access."""
    if unit is None:
        return False
    if person.unit_id == unit.id:
        return True
    return (
        db.session.scalar(
            people_with_access([unit.id]).where(FileRequest.service_user_id == person.id).limit(1)
        )
        is not None
    )


def _pending(person_id: int, unit_id: int) -> FileRequest | None:
    return db.session.scalars(
        select(FileRequest).where(
            FileRequest.service_user_id == person_id,
            FileRequest.from_unit_id == unit_id,
            FileRequest.status == FileRequestStatus.PENDING,
        )
    ).first()


def request_file(*, actor: User, id_number: str, kind: FileRequestKind, reason: str) -> FileRequest:
    """Ask the unit holding ``id_number`` for access to the file, or for the file."""
    holder = id_number_holder(id_number)
    if holder is None:
        raise FileRequestError("not_registered")
    if holder.unit.id == actor.unit_id:
        raise FileRequestError("own_unit")
    if not reason.strip():
        raise FileRequestError("reason")
    if _pending(holder.person_id, actor.unit_id) is not None:
        raise FileRequestError("pending")
    request = FileRequest(
        service_user_id=holder.person_id,
        kind=kind,
        from_unit_id=actor.unit_id,
        to_unit_id=holder.unit.id,
        masked_id_number=mask_id_number(id_number),
        reason=reason.strip(),
        requested_by_id=actor.id,
    )
    db.session.add(request)
    db.session.flush()
    _audit("file_request.create", request, actor)
    notify(
        heads_of(holder.unit.id),
        "file_request_received",
        _l("%(unit)s 请求查阅或调档，请在“档案请求”中答复。", unit=actor.unit.name),
        "/people/requests/",
    )
    return request


def _answer(request: FileRequest, actor: User, status: FileRequestStatus) -> None:
    if request.status is not FileRequestStatus.PENDING:
        raise FileRequestError("answered")
    request.status = status
    request.answered_by_id = actor.id
    request.answered_at = utcnow()


def grant(*, actor: User, request: FileRequest, note: str | None = None) -> None:
    """Access for ``FILE_ACCESS_DAYS``, or the file moved to the asking unit."""
    if request.status is not FileRequestStatus.PENDING:
        raise FileRequestError("answered")
    person = request.person
    if person.unit_id != request.to_unit_id:
        raise FileRequestError("moved")
    if request.kind is FileRequestKind.TRANSFER:
        _move_file(person, request)
    else:
        days = int(current_app.config["FILE_ACCESS_DAYS"])
        request.access_until = local_today() + timedelta(days=days)
    _answer(request, actor, FileRequestStatus.GRANTED)
    request.answer_note = (note or "").strip() or None
    _audit("file_request.grant", request, actor)


def _move_file(person: ServiceUser, request: FileRequest) -> None:
    """The person's file goes to the asking unit. Cases stay with the unit that holds them,
    so an open one must be transferred (or closed) first; the person leaves the holder's
    household file, which is that unit's."""
    open_case = db.session.scalar(
        select(Case.id)
        .where(
            Case.service_user_id == person.id,
            Case.unit_id == request.to_unit_id,
            Case.status.not_in(INACTIVE_STATUSES),
            Case.closed_on.is_(None),
        )
        .limit(1)
    )
    if open_case is not None:
        raise FileRequestError("open_cases")
    households.leave_household(person)
    person.unit_id = request.from_unit_id


def decline(*, actor: User, request: FileRequest, note: str) -> None:
    if not note.strip():
        raise FileRequestError("decline_note")
    _answer(request, actor, FileRequestStatus.DECLINED)
    request.answer_note = note.strip()
    _audit("file_request.decline", request, actor)


def withdraw(*, actor: User, request: FileRequest) -> None:
    _answer(request, actor, FileRequestStatus.WITHDRAWN)
    _audit("file_request.withdraw", request, actor)


def revoke(*, actor: User, request: FileRequest) -> None:
    """The holder takes back access it granted (the asking unit's own cases stay its own)."""
    if request.status is not FileRequestStatus.GRANTED:
        raise FileRequestError("answered")
    request.status = FileRequestStatus.REVOKED
    request.access_until = local_today() - timedelta(days=1)
    _audit("file_request.revoke", request, actor)


def _audit(action: str, request: FileRequest, actor: User) -> None:
    """In the holding unit's log: the person's data is its data."""
    audit.record(
        action,
        request,
        actor_id=actor.id,
        unit_id=request.to_unit_id,
        details={"from_unit": request.from_unit_id, "kind": request.kind.value},
    )
