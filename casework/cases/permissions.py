"""Who may see and do what with a case. Visibility is one query, used everywhere."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from casework.accounts.models import Role, User
from casework.accounts.permissions import casework_unit_ids
from casework.cases.breakglass import BreakGlassGrant
from casework.cases.lifecycle import Actor, Step
from casework.cases.models import Case
from casework.core.models import utcnow


def cases_visible_to(user: User) -> Select[Case]:
    """Every case ``user`` may open: their units' cases, or a break-glass grant."""
    query = select(Case)
    if user.role is Role.SYSADMIN:
        granted = select(BreakGlassGrant.case_id).where(
            BreakGlassGrant.user_id == user.id, BreakGlassGrant.expires_at > utcnow()
        )
        return query.where(Case.id.in_(granted))
    unit_ids = casework_unit_ids(user)
    if not unit_ids:
        return query.where(false())
    return query.where(Case.unit_id.in_(unit_ids))


def can_list_cases(user: User) -> bool:
    """Bureau viewers work with statistics only, never with lists of individual cases."""
    return user.role is not Role.BUREAU_VIEWER


def can_open_case(user: User) -> bool:
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD)


def is_case_worker(user: User, case: Case) -> bool:
    """The responsible worker, or the head of the case's unit standing in."""
    if user.id == case.worker_id:
        return True
    return user.role is Role.STATION_HEAD and user.unit_id == case.unit_id


def is_case_tutor(user: User, case: Case) -> bool:
    return user.role is Role.TUTOR and case.unit_id in casework_unit_ids(user)


def can_take_step(user: User, case: Case, step: Step) -> bool:
    if step.actor is Actor.TUTOR:
        return is_case_tutor(user, case)
    return is_case_worker(user, case)


def can_write_records(user: User, case: Case) -> bool:
    return is_case_worker(user, case)


def can_comment(user: User, case: Case) -> bool:
    return is_case_tutor(user, case)


def can_assign_case(user: User, case: Case) -> bool:
    return user.role is Role.STATION_HEAD and user.unit_id == case.unit_id


def can_export_case(user: User, case: Case) -> bool:
    """Anyone who may read the case may print its file; the export is audited."""
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD, Role.TUTOR, Role.SYSADMIN)


def can_break_glass(user: User) -> bool:
    return user.role is Role.SYSADMIN


def can_read_audit_log(user: User) -> bool:
    return user.role in (Role.SYSADMIN, Role.STATION_HEAD)


def can_manage_wording(user: User) -> bool:
    """The word list for wording hints is reference data: the administrator keeps it."""
    return user.role is Role.SYSADMIN
