"""Moving a case to another unit of the organisation (个案转移).

The sending worker proposes, with a reason and a handover note; the receiving unit's station
head accepts, choosing the worker (and tutor) who take it on, or rejects with a reason. On
acceptance the case keeps its number and moves with everything recorded on it (its stage
records, attachments and comments hang on the case); the person's file moves with it when it
was held by the sending unit. Until then nothing changes: a rejected or withdrawn transfer
leaves the case where it was.
"""

from __future__ import annotations

from typing import Any, ClassVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, or_, select

from casework.accounts.models import Role, User
from casework.accounts.permissions import casework_unit_ids
from casework.accounts.queries import heads_of
from casework.cases.enums import TransferStatus
from casework.cases.models import INACTIVE_STATUSES, Case, CaseTransfer
from casework.cases.services import assign_case, audit_case
from casework.core.clock import local_today
from casework.core.models import utcnow
from casework.core.rules import RuleError
from casework.extensions import db
from casework.notifications.services import notify
from casework.orgs.models import Unit, UnitKind
from casework.people import households

# Units that hold cases and so may receive one.
RECEIVING_KINDS = (UnitKind.STATION, UnitKind.CENTRE, UnitKind.INSTITUTION, UnitKind.AGENCY)


class TransferError(RuleError):
    MESSAGES: ClassVar[dict[str, Any]] = {
        "inactive": _l("已结案、回访中或不予接案的个案不能转移"),
        "same_unit": _l("请选择另一个单位"),
        "not_receiving": _l("该单位不承接个案"),
        "pending": _l("该个案已有等待接收的转移申请"),
        "other_open_cases": _l(
            "该服务对象在本单位还有其他在案个案：请一并转移或先结案，一人一档由一个单位负责"
        ),
        "reason": _l("请填写转移理由"),
        "handover": _l("请填写交接说明"),
        "decided": _l("该转移申请已处理"),
        "rejection_reason": _l("请说明退回的理由"),
    }

    def __init__(self, code: str) -> None:
        super().__init__(self.MESSAGES[code], code=code)


def can_propose_transfer(user: User, case: Case) -> bool:
    """The responsible worker, or the head of the case's unit."""
    if user.is_pending_confirmation or not _transferable(case):
        return False
    return user.id == case.worker_id or (
        user.role is Role.STATION_HEAD and user.unit_id == case.unit_id
    )


def can_decide_transfer(user: User, transfer: CaseTransfer) -> bool:
    return (
        user.role is Role.STATION_HEAD
        and user.unit_id == transfer.to_unit_id
        and not user.is_pending_confirmation
    )


def can_withdraw_transfer(user: User, transfer: CaseTransfer) -> bool:
    return user.id == transfer.proposed_by_id or (
        user.role is Role.STATION_HEAD and user.unit_id == transfer.from_unit_id
    )


def can_read_as_sent(user: User, transfer: CaseTransfer) -> bool:
    """The sending unit's staff and tutors, after the case moved, where the organisation
    lets the sender keep what it wrote (``TRANSFER_SENDER_KEEPS_READ``)."""
    return (
        bool(current_app.config["TRANSFER_SENDER_KEEPS_READ"])
        and transfer.status is TransferStatus.ACCEPTED
        and transfer.from_unit_id in casework_unit_ids(user)
    )


def can_list_transfers(user: User) -> bool:
    """The staff of units that hold cases, and their tutors (``casework_unit_ids``): not
    bureaus or administrators."""
    return bool(casework_unit_ids(user))


def transfers_visible_to(user: User) -> Select[CaseTransfer]:
    """Transfers into or out of the user's units (the receiving side sees the handover, not
    the case itself, until it accepts)."""
    query = select(CaseTransfer)
    units = casework_unit_ids(user)
    if not units:
        return query.where(false())
    return query.where(
        or_(CaseTransfer.to_unit_id.in_(units), CaseTransfer.from_unit_id.in_(units))
    )


def pending_transfer(case: Case) -> CaseTransfer | None:
    return db.session.scalars(
        select(CaseTransfer).where(
            CaseTransfer.case_id == case.id, CaseTransfer.status == TransferStatus.PENDING
        )
    ).first()


def receiving_units(case: Case) -> Select[Unit]:
    """The active units, other than the case's, that hold cases."""
    return select(Unit).where(
        Unit.kind.in_(RECEIVING_KINDS), Unit.is_active.is_(True), Unit.id != case.unit_id
    )


def _transferable(case: Case) -> bool:
    """A case still in service: not declined, and not closed (nor in 回访, whose closure
    was approved), so that its closure is always counted where it happened."""
    return case.status not in INACTIVE_STATUSES and case.closed_on is None


def propose(
    *, actor: User, case: Case, to_unit: Unit, reason: str, handover_note: str
) -> CaseTransfer:
    if not _transferable(case):
        raise TransferError("inactive")
    if to_unit.id == case.unit_id:
        raise TransferError("same_unit")
    if to_unit.kind not in RECEIVING_KINDS or not to_unit.is_active:
        raise TransferError("not_receiving")
    if not reason.strip():
        raise TransferError("reason")
    if not handover_note.strip():
        raise TransferError("handover")
    if pending_transfer(case) is not None:
        raise TransferError("pending")
    others = db.session.scalar(
        select(Case.id)
        .where(
            Case.service_user_id == case.service_user_id,
            Case.unit_id == case.unit_id,
            Case.id != case.id,
            Case.status.not_in(INACTIVE_STATUSES),
        )
        .limit(1)
    )
    if others is not None:
        raise TransferError("other_open_cases")
    transfer = CaseTransfer(
        case_id=case.id,
        from_unit_id=case.unit_id,
        to_unit_id=to_unit.id,
        reason=reason.strip(),
        handover_note=handover_note.strip(),
        proposed_by_id=actor.id,
        from_worker_id=case.worker_id,
    )
    db.session.add(transfer)
    db.session.flush()
    audit_case("case.transfer_proposed", case, actor, transfer_id=transfer.id, to=to_unit.id)
    notify(
        heads_of(to_unit.id),
        "transfer_received",
        _l("%(unit)s 申请把一个个案转入本单位，待您接收或退回。", unit=case.unit.name),
        f"/cases/transfers/{transfer.id}",
    )
    return transfer


def _still_pending(transfer: CaseTransfer) -> None:
    if transfer.status is not TransferStatus.PENDING:
        raise TransferError("decided")


def accept(*, actor: User, transfer: CaseTransfer, worker: User, tutor: User | None) -> None:
    """Move the case (and the person's file, when the sending unit held it) to the
    receiving unit and give it to ``worker``."""
    _still_pending(transfer)
    case = transfer.case
    if not _transferable(case):
        raise TransferError("inactive")
    # The transfer and the case's new unit in one flush: the summaries recount both units
    # with the transfer's day known (statistics before that day stay with the sender).
    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_by_id = actor.id
    transfer.decided_at = utcnow()
    transfer.transferred_on = local_today()
    person = case.service_user
    if person.unit_id == transfer.from_unit_id:
        households.leave_household(person)
        person.unit_id = transfer.to_unit_id
    case.unit_id = transfer.to_unit_id
    db.session.flush()
    # The unit has changed, so the assignment's rules check the receiving unit.
    db.session.refresh(case, ["unit"])
    assign_case(actor=actor, case=case, worker=worker, tutor=tutor)
    transfer.to_worker_id = worker.id
    db.session.flush()
    audit_case(
        "case.transfer_accepted",
        case,
        actor,
        transfer_id=transfer.id,
        unit_id=[transfer.from_unit_id, transfer.to_unit_id],
    )


def reject(*, actor: User, transfer: CaseTransfer, reason: str) -> None:
    _still_pending(transfer)
    if not reason.strip():
        raise TransferError("rejection_reason")
    transfer.status = TransferStatus.REJECTED
    transfer.decided_by_id = actor.id
    transfer.decided_at = utcnow()
    transfer.decision_note = reason.strip()
    audit_case("case.transfer_rejected", transfer.case, actor, transfer_id=transfer.id)


def withdraw(*, actor: User, transfer: CaseTransfer) -> None:
    _still_pending(transfer)
    transfer.status = TransferStatus.WITHDRAWN
    transfer.decided_by_id = actor.id
    transfer.decided_at = utcnow()
    audit_case("case.transfer_withdrawn", transfer.case, actor, transfer_id=transfer.id)


def transfers_of(case: Case) -> list[CaseTransfer]:
    return list(
        db.session.scalars(
            select(CaseTransfer).where(CaseTransfer.case_id == case.id).order_by(CaseTransfer.id)
        )
    )
