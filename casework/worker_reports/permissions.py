"""Who reads a worker's summary and annual assessment: the worker, the head of the
worker's unit and the tutors who supervise it; nobody else learns that it exists."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from casework.accounts.models import Role, User
from casework.accounts.permissions import casework_unit_ids
from casework.worker_reports.models import AnnualAssessment, AssessmentStatus


def summarised_workers_visible_to(user: User) -> Select[User]:
    """The social workers whose summaries ``user`` may read."""
    query = select(User).where(User.role == Role.SOCIAL_WORKER)
    if user.is_pending_confirmation:
        return query.where(false())
    if user.role is Role.SOCIAL_WORKER:
        return query.where(User.id == user.id)
    if user.role in (Role.STATION_HEAD, Role.TUTOR):
        return query.where(User.unit_id.in_(casework_unit_ids(user)))
    return query.where(false())


def can_read_summary(user: User, worker: User) -> bool:
    """The same rule as :func:`summarised_workers_visible_to`, for one worker in hand."""
    if worker.role is not Role.SOCIAL_WORKER or user.is_pending_confirmation:
        return False
    if user.role is Role.SOCIAL_WORKER:
        return user.id == worker.id
    if user.role in (Role.STATION_HEAD, Role.TUTOR):
        return worker.unit_id in casework_unit_ids(user)
    return False


def has_own_summary(user: User) -> bool:
    """Social workers find their own summary in the menu."""
    return user.role is Role.SOCIAL_WORKER and not user.is_pending_confirmation


def can_assess_worker(user: User, worker: User) -> bool:
    """Only the head of the worker's unit fills in the annual assessment."""
    return (
        user.role is Role.STATION_HEAD
        and not user.is_pending_confirmation
        and worker.role is Role.SOCIAL_WORKER
        and worker.unit_id == user.unit_id
    )


def can_sign_assessment(user: User, assessment: AnnualAssessment) -> bool:
    """Only the worker assessed signs, once the head has completed it."""
    return assessment.worker_id == user.id and assessment.status is AssessmentStatus.COMPLETED
