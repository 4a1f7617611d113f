"""Whose aggregates a user may see, and whether small counts are hidden from them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from casework.accounts.models import Role, User
from casework.extensions import db
from casework.orgs.models import Unit
from casework.orgs.services import units_in_subtree

# Roles that see figures without working with the cases behind them: small counts could
# single a resident out, so they are suppressed ("<5").
AGGREGATE_ONLY_ROLES = (Role.BUREAU_VIEWER, Role.SYSADMIN)


def report_units_for(user: User) -> list[Unit]:
    """The units whose aggregates ``user`` may see, in tree order.

    A bureau viewer: their bureau's subtree. The administrator: every unit (aggregates hold
    no personal data). A tutor: the units they supervise. Heads and workers: their own unit.
    """
    if user.role is Role.SYSADMIN:
        return list(db.session.scalars(select(Unit).order_by(Unit.path)))
    if user.role is Role.BUREAU_VIEWER:
        return units_in_subtree(user.unit)
    if user.role is Role.TUTOR:
        return sorted(user.supervised_units, key=lambda unit: unit.path)
    return [user.unit]


def can_view_statistics(user: User) -> bool:
    if user.role is Role.TUTOR:
        return bool(user.supervised_units)
    return True


def is_aggregate_only(user: User) -> bool:
    """Whether ``user`` sees suppressed figures ("<5") rather than exact small counts."""
    return user.role in AGGREGATE_ONLY_ROLES


def figure_unit_ids(report_units: list[Unit], chosen: Unit) -> list[int]:
    """The ids the figures for ``chosen`` cover: its subtree, within the user's report units.

    A tutor who supervises a centre but not the stations under it sees the centre only.
    """
    return [unit.id for unit in report_units if unit.path.startswith(chosen.path)]


def comparison_groups(
    unit: Unit, units: Sequence[Unit]
) -> list[tuple[str, Unit | None, list[int]]]:
    """The rows of ``unit``'s per-unit comparison, in tree order: its own records (key
    "own", 本级) and then each unit directly under it with its subtree (key "u<id>").

    ``units`` is ``unit``'s subtree (more is ignored). Every page that breaks a figure down
    below a bureau groups it so, and registers the same line with
    ``reports.sections.comparison_breakdown``: two pages hiding small counts in different
    groupings would between them give the hidden counts away.
    """
    subtree = [each for each in units if each.path.startswith(unit.path)]
    groups: list[tuple[str, Unit | None, list[int]]] = [("own", None, [unit.id])]
    for child in subtree:
        if child.parent_id == unit.id:
            ids = [each.id for each in subtree if each.path.startswith(child.path)]
            groups.append((f"u{child.id}", child, ids))
    return groups
