"""Referrals that arrive: a unit's queue of referrals from other units of the organisation,
and its answer (accepted, declined, or completed with feedback), which the sender sees on
the case. The receiver sees only what the sender chose to share, never the case itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import selectinload

from casework.accounts.models import Role, User
from casework.accounts.permissions import casework_unit_ids
from casework.cases.enums import ReferralOutcome
from casework.cases.models import Case, Referral
from casework.cases.services import audit_case
from casework.core.clock import local_today
from casework.core.rules import RuleError
from casework.extensions import db

# What the receiver may answer, from each state.
ANSWERS: dict[ReferralOutcome, tuple[ReferralOutcome, ...]] = {
    ReferralOutcome.PENDING: (
        ReferralOutcome.ACCEPTED,
        ReferralOutcome.DECLINED,
        ReferralOutcome.COMPLETED,
    ),
    ReferralOutcome.ACCEPTED: (ReferralOutcome.COMPLETED,),
}


class ReferralError(RuleError):
    MESSAGES: ClassVar[dict[str, Any]] = {
        "answered": _l("该转介已经答复完毕"),
        "not_allowed": _l("该转介现在不能这样答复"),
        "feedback": _l("请填写给转介方的反馈"),
        "date": _l("答复日期须在转介日期与今天之间"),
    }

    def __init__(self, code: str) -> None:
        super().__init__(self.MESSAGES[code], code=code)


def can_receive_referrals(user: User) -> bool:
    """A unit's social workers and head answer the referrals sent to it."""
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD)


def inbound_visible_to(user: User) -> Select[Referral]:
    """Referrals to the user's unit (its social workers and head)."""
    query = select(Referral).where(Referral.to_unit_id.is_not(None))
    if not can_receive_referrals(user):
        return query.where(false())
    units = casework_unit_ids(user)
    if not units:
        return query.where(false())
    return query.where(Referral.to_unit_id.in_(units))


def can_answer(user: User, referral: Referral) -> bool:
    return (
        can_receive_referrals(user)
        and not user.is_pending_confirmation
        and user.unit_id == referral.to_unit_id
        and referral.outcome in ANSWERS
    )


def answer(
    *, actor: User, referral: Referral, outcome: ReferralOutcome, note: str, on: date
) -> None:
    """The receiving unit's answer; declining or completing says why to the sender."""
    allowed = ANSWERS.get(referral.outcome)
    if allowed is None:
        raise ReferralError("answered")
    if outcome not in allowed:
        raise ReferralError("not_allowed")
    if outcome is not ReferralOutcome.ACCEPTED and not note.strip():
        raise ReferralError("feedback")
    if on > local_today() or on < referral.referred_on:
        raise ReferralError("date")
    referral.outcome = outcome
    referral.outcome_note = note.strip() or None
    referral.outcome_on = on
    referral.responded_by_id = actor.id
    audit_case(
        "case.referral_answered",
        referral.case,
        actor,
        referral_id=referral.id,
        outcome=outcome.value,
    )


def waiting() -> Any:
    """Referrals still waiting for an answer (sent, or accepted and not yet completed)."""
    return Referral.outcome.in_((ReferralOutcome.PENDING, ReferralOutcome.ACCEPTED))


@dataclass(frozen=True)
class Overdue:
    referral: Referral
    # The sender's case, for a referral the user's side sent; never loaded for one received.
    case: Case | None


def overdue(user: User, case_scope: Select[Case], today: date) -> list[Overdue]:
    """Referrals with no answer by their due date, on either side: sent to the user's unit,
    or sent from the cases of ``case_scope``."""
    units = set(casework_unit_ids(user))
    received = inbound_visible_to(user).with_only_columns(Referral.id)
    sent = select(Referral.id).where(Referral.case_id.in_(case_scope.with_only_columns(Case.id)))
    found = db.session.scalars(
        select(Referral)
        .where(
            Referral.outcome == ReferralOutcome.PENDING,
            Referral.due_on < today,
            or_(Referral.id.in_(received), Referral.id.in_(sent)),
        )
        .options(selectinload(Referral.from_unit), selectinload(Referral.to_unit))
        .order_by(Referral.due_on, Referral.id)
    ).all()
    own = [r.case_id for r in found if r.to_unit_id not in units]
    cases = (
        {case.id: case for case in db.session.scalars(select(Case).where(Case.id.in_(own)))}
        if own
        else {}
    )
    return [Overdue(r, cases.get(r.case_id) if r.to_unit_id not in units else None) for r in found]


def inbound(user: User, *, show_all: bool) -> list[Referral]:
    query = inbound_visible_to(user)
    if not show_all:
        query = query.where(waiting())
    return list(
        db.session.scalars(
            query.options(selectinload(Referral.from_unit), selectinload(Referral.author))
            .order_by(Referral.referred_on.desc(), Referral.id.desc())
            .limit(200)
        )
    )
