"""Who may read supervision records: the tutor, the workers present, the unit's head."""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from casework.accounts.models import Role, User
from casework.supervision.models import SupervisionSession, supervision_workers


def supervision_visible_to(user: User) -> Select[SupervisionSession]:
    """A tutor's own records; a worker's records they took part in; a head's unit's records."""
    query = select(SupervisionSession)
    if user.role is Role.TUTOR:
        return query.where(SupervisionSession.tutor_id == user.id)
    if user.role is Role.SOCIAL_WORKER:
        attended = select(supervision_workers.c.supervision_id).where(
            supervision_workers.c.user_id == user.id
        )
        return query.where(SupervisionSession.id.in_(attended))
    if user.role is Role.STATION_HEAD:
        attended = select(supervision_workers.c.supervision_id).where(
            supervision_workers.c.user_id == user.id
        )
        return query.where(
            or_(SupervisionSession.unit_id == user.unit_id, SupervisionSession.id.in_(attended))
        )
    return query.where(false())


def can_record_supervision(user: User) -> bool:
    return user.role is Role.TUTOR


def can_edit_supervision(user: User, session: SupervisionSession) -> bool:
    return user.role is Role.TUTOR and session.tutor_id == user.id
