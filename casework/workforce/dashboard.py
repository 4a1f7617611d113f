"""Registration warnings for the home page of workers and station heads."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.accounts.models import Role, User
from casework.extensions import db
from casework.workforce.hours import RegistrationWarning, registration_warnings
from casework.workforce.models import WorkerProfile


def home_warnings(user: User) -> list[RegistrationWarning] | None:
    """A worker's own warning; a station head's for everyone in the unit. None for others."""
    query = select(WorkerProfile).options(
        selectinload(WorkerProfile.certificates), selectinload(WorkerProfile.education_entries)
    )
    if user.role is Role.SOCIAL_WORKER:
        query = query.where(WorkerProfile.user_id == user.id)
    elif user.role is Role.STATION_HEAD:
        query = query.where(
            WorkerProfile.unit_id == user.unit_id, WorkerProfile.is_active.is_(True)
        )
    else:
        return None
    return registration_warnings(list(db.session.scalars(query)))
