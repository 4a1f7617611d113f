"""Who may read supervision records: the tutor, the workers present, the unit's head."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from casework.accounts.models import Role, User
from casework.supervision.models import SupervisionSession, supervision_workers


def supervision_visible_to(user: User) -> Select[SupervisionSession]:
    """A tutor's own records; a worker's records they took part in; a head's unit's records."""
    query = select(SupervisionSession)
    if user.role is Role.TUTOR:
        return query.where(SupervisionSession.tutor_id == user.id)
    # Front-line staff read only their own unit's records: another unit's record that
    # names them (the service never writes one) discusses casework they cannot see.
    if user.role is Role.SOCIAL_WORKER:
        attended = select(supervision_workers.c.supervision_id).where(
            supervision_workers.c.user_id == user.id
        )
        return query.where(
            SupervisionSession.unit_id == user.unit_id, SupervisionSession.id.in_(attended)
        )
    if user.role is Role.STATION_HEAD:
        return query.where(SupervisionSession.unit_id == user.unit_id)
    return query.where(false())


def can_read_supervision(user: User) -> bool:
    """Tutors, the workers they meet and station heads keep supervision records."""
    return user.role in (Role.TUTOR, Role.SOCIAL_WORKER, Role.STATION_HEAD)


def can_record_supervision(user: User) -> bool:
    return user.role is Role.TUTOR


def can_edit_supervision(user: User, session: SupervisionSession) -> bool:
    return user.role is Role.TUTOR and session.tutor_id == user.id
