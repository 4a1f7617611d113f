"""Who may see and change personnel files, posts, training and workforce targets.

A personnel file is seen by the person, the station head of their unit, the tutors who
supervise that unit and the administrator; bureau viewers see counts only.
"""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from casework.accounts.models import Role, User
from casework.accounts.permissions import casework_unit_ids
from casework.orgs.models import SERVICE_KINDS, Unit
from casework.workforce.models import Post, TrainingCourse, TrainingPlan, WorkerProfile


def profiles_visible_to(user: User) -> Select[WorkerProfile]:
    """Every personnel file ``user`` may open."""
    query = select(WorkerProfile)
    if user.role is Role.SYSADMIN:
        return query
    if user.role is Role.SOCIAL_WORKER:
        return query.where(WorkerProfile.user_id == user.id)
    unit_ids = casework_unit_ids(user)
    if not unit_ids:
        return query.where(false())
    return query.where(or_(WorkerProfile.unit_id.in_(unit_ids), WorkerProfile.user_id == user.id))


def can_list_profiles(user: User) -> bool:
    """Lists of staff are for heads, tutors and the administrator; workers see their own file."""
    return user.role in (Role.SYSADMIN, Role.STATION_HEAD, Role.TUTOR)


def can_manage_workforce(user: User, unit_id: int) -> bool:
    """Heads manage their own unit's files, posts and training; the administrator all units."""
    if user.role is Role.SYSADMIN:
        return True
    return user.role is Role.STATION_HEAD and user.unit_id == unit_id


def can_create_profile(user: User) -> bool:
    return user.role in (Role.SYSADMIN, Role.STATION_HEAD)


def can_edit_profile(user: User, profile: WorkerProfile) -> bool:
    return can_manage_workforce(user, profile.unit_id)


def can_see_full_numbers(user: User, profile: WorkerProfile) -> bool:
    """Full ID and phone numbers for the person and whoever keeps their file."""
    return profile.user_id == user.id or can_edit_profile(user, profile)


def units_for_new_records(user: User, units: list[Unit]) -> list[Unit]:
    """Of ``units``, those where ``user`` may add files, posts and training."""
    return [
        unit for unit in units if unit.kind in SERVICE_KINDS and can_manage_workforce(user, unit.id)
    ]


def posts_visible_to(user: User) -> Select[Post]:
    """Posts of the units ``user`` works for or supervises (all for the administrator)."""
    query = select(Post)
    if user.role is Role.SYSADMIN:
        return query
    unit_ids = casework_unit_ids(user)
    return query.where(Post.unit_id.in_(unit_ids)) if unit_ids else query.where(false())


def plans_visible_to(user: User) -> Select[TrainingPlan]:
    query = select(TrainingPlan)
    if user.role is Role.SYSADMIN:
        return query
    unit_ids = casework_unit_ids(user)
    return query.where(TrainingPlan.unit_id.in_(unit_ids)) if unit_ids else query.where(false())


def courses_visible_to(user: User) -> Select[TrainingCourse]:
    query = select(TrainingCourse)
    if user.role is Role.SYSADMIN:
        return query
    unit_ids = casework_unit_ids(user)
    if not unit_ids:
        return query.where(false())
    return query.where(TrainingCourse.unit_id.in_(unit_ids))


def can_use_workforce(user: User) -> bool:
    """Posts and training pages: staff who work for or supervise a unit, and the administrator."""
    return user.role is Role.SYSADMIN or bool(casework_unit_ids(user))


def can_set_target(user: User, unit: Unit) -> bool:
    """A bureau viewer sets the target of their own bureau; the administrator of any bureau."""
    if not unit.kind.is_bureau:
        return False
    if user.role is Role.SYSADMIN:
        return True
    return user.role is Role.BUREAU_VIEWER and user.unit_id == unit.id


def can_set_any_target(user: User) -> bool:
    return user.role in (Role.SYSADMIN, Role.BUREAU_VIEWER)


def has_own_profile_link(user: User) -> bool:
    """The menu's "my file" link, for staff who may have a personnel file."""
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD, Role.TUTOR)
