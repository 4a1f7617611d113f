"""Who may import lists, and which imports each user may see."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from casework.accounts.models import Role, User
from casework.imports.models import ImportRun, ImportStatus


def can_import(user: User) -> bool:
    """Station heads import into their own unit; administrators into any service unit."""
    return user.role in (Role.STATION_HEAD, Role.SYSADMIN)


def can_choose_unit(user: User) -> bool:
    return user.role is Role.SYSADMIN


def import_runs_visible_to(user: User) -> Select[ImportRun]:
    """The import history: all for an administrator, the own unit's for a station head."""
    query = select(ImportRun)
    if user.role is Role.SYSADMIN:
        return query
    if user.role is Role.STATION_HEAD:
        return query.where(ImportRun.unit_id == user.unit_id)
    return query.where(false())


def pending_imports_of(user: User) -> Select[ImportRun]:
    """A pending upload belongs to its uploader alone: nobody else previews or confirms it."""
    if not can_import(user):
        return select(ImportRun).where(false())
    return select(ImportRun).where(
        ImportRun.created_by_id == user.id, ImportRun.status == ImportStatus.PENDING
    )
