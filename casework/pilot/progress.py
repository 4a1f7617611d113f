"""Where each city stands in the pilot: its pilot units and its certified workers against
its target.

The certified-worker count is the workforce statistics' (``counts_by_unit``, summed over a
subtree), the figure the bureau's home page and dashboard show as ``workforce.certified``;
targets are the bureau's ``WorkforceTarget``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from casework.accounts.models import User
from casework.core.enums import LabelledEnum
from casework.extensions import db
from casework.orgs.models import Unit, UnitKind
from casework.orgs.reporting import comparison_groups, is_aggregate_only
from casework.orgs.services import units_in_subtree
from casework.pilot.models import PilotKind, PilotLevel, PilotUnit
from casework.pilot.permissions import pilot_units_visible_to
from casework.pilot.services import Stage, current_stage, pilot_root, stages_for
from casework.reports.sections import (
    NOT_SHOWN,
    Shown,
    comparison_breakdown,
    comparison_cell,
)
from casework.workforce.services import Target, target_for, targets_for
from casework.workforce.statistics import counts_by_unit, share

# 各市州至少要确定1个试点单位; the province picks 12 of its own institutions (直属事业单位).
PILOTS_PER_CITY = 1
PROVINCE_INSTITUTION_PILOTS = 12
TOTAL_CELL = "total.certified"


class Pace(LabelledEnum):
    REACHED = "reached", _l("已达成")
    ON_TRACK = "on_track", _l("进度正常")
    BEHIND = "behind", _l("进度滞后")
    MISSED = "missed", _l("逾期未达成")
    NO_DEADLINE = "no_deadline", _l("未设期限")
    NO_TARGET = "no_target", _l("未设目标")


def pace(certified: int, target: Target | None, start: date, today: date) -> Pace:
    """Whether ``certified`` is where a steady climb from ``start`` to the target's
    deadline would be ``today``. The climb starts with the pilot (``start``), or when the
    target was set if that is later: a target set today is not already behind."""
    if target is None:
        return Pace.NO_TARGET
    if certified >= target.target:
        return Pace.REACHED
    if target.due_on is None:
        return Pace.NO_DEADLINE
    if today > target.due_on:
        return Pace.MISSED
    if target.set_on is not None:
        start = max(start, target.set_on)
    span = (target.due_on - start).days
    elapsed = max(0, (today - start).days)
    expected = target.target * elapsed / span if span > 0 else target.target
    return Pace.ON_TRACK if certified >= expected else Pace.BEHIND


@dataclass
class Area:
    """A city (a county bureau's own county), or, with ``unit`` None, the units under the
    province but in no city."""

    key: str
    unit: Unit | None
    pilots: list[PilotUnit]
    certified: int
    target: Target | None
    pace: Pace
    cells: dict[str, str] = field(default_factory=dict)

    @property
    def active_pilots(self) -> list[PilotUnit]:
        return [pilot for pilot in self.pilots if pilot.is_active]

    @property
    def has_enough_pilots(self) -> bool:
        return len(self.active_pilots) >= PILOTS_PER_CITY


@dataclass
class Overview:
    unit: Unit
    today: date
    stages: list[Stage]
    stage: Stage | None
    areas: list[Area]
    total_certified: int
    target: Target
    pace: Pace
    total_cell: str
    share_cell: str
    pace_cell: str
    cities_with_pilots: int
    cities: int
    province_institutions: int

    @property
    def province_institutions_goal(self) -> int:
        return PROVINCE_INSTITUTION_PILOTS

    @property
    def is_province(self) -> bool:
        return self.unit.kind is UnitKind.PROVINCE_BUREAU


def _pace_text(value: Pace, hidden: bool) -> str:
    """The pace's label; not shown beside a hidden count, which it would narrow down."""
    return NOT_SHOWN if hidden and value is not Pace.NO_TARGET else str(value.label)


def _city_of(unit_path: str, cities: Sequence[Unit]) -> Unit | None:
    return next((city for city in cities if unit_path.startswith(city.path)), None)


def overview(viewer: User, today: date) -> Overview:
    """The pilot in ``viewer``'s subtree: one area per city, each with its pilot units and
    its certified workers against its own target (aggregates only)."""
    root = viewer.unit
    units = units_in_subtree(root)
    if root.kind in (UnitKind.CITY_BUREAU, UnitKind.COUNTY_BUREAU):
        cities = [root]
    else:
        cities = [unit for unit in units if unit.kind is UnitKind.CITY_BUREAU]
    counts = counts_by_unit([unit.id for unit in units], start=today, end=today, today=today)
    certified_of: dict[str, int] = {}
    for unit in units:
        city = _city_of(unit.path, cities)
        key = f"c{city.id}" if city else "other"
        certified_of[key] = certified_of.get(key, 0) + counts[unit.id].certified
    pilots = list(
        db.session.scalars(
            pilot_units_visible_to(viewer).options(selectinload(PilotUnit.unit)).order_by(Unit.path)
        )
    )
    targets = targets_for(cities)
    stages = stages_for(pilot_root(root))
    start = stages[0].starts_on if stages else today
    areas = []
    for city in cities:
        key = f"c{city.id}"
        target = targets[city.id]
        certified = certified_of.get(key, 0)
        areas.append(
            Area(
                key,
                city,
                [pilot for pilot in pilots if pilot.unit.path.startswith(city.path)],
                certified,
                target,
                pace(certified, target, start, today),
            )
        )
    others = [pilot for pilot in pilots if _city_of(pilot.unit.path, cities) is None]
    if others or certified_of.get("other"):
        areas.append(
            Area("other", None, others, certified_of.get("other", 0), None, Pace.NO_TARGET)
        )
    total = sum(certified_of.values())
    target = target_for(root)
    shown = Shown(is_aggregate_only(viewer))
    # The count is broken down exactly as on the bureau dashboard (本级 and each unit
    # directly under the viewer), so both pages hide the same cells; an area shows the
    # dashboard's cell, the total, or the sum of the dashboard's cells it covers.
    groups = comparison_groups(root, units)
    comparison_breakdown(
        shown,
        "certified",
        {key: sum(counts[i].certified for i in ids) for key, _unit, ids in groups},
        [key for key, _unit, _ids in groups],
        total,
    )
    shown.seal()
    total_pace = pace(total, target, start, today)
    for area in areas:
        covered = [
            key for key, unit, _ids in groups if _city_of((unit or root).path, cities) == area.unit
        ]
        if len(covered) == len(groups):
            hidden, text = shown.cell_hidden(TOTAL_CELL), shown.cell_text(TOTAL_CELL)
        elif len(covered) == 1:
            cell = comparison_cell("certified", covered[0])
            hidden, text = shown.cell_hidden(cell), shown.cell_text(cell)
        else:
            cells = [comparison_cell("certified", key) for key in covered]
            hidden = any(shown.cell_hidden(cell) for cell in cells)
            text = NOT_SHOWN if hidden else shown.count(area.certified)
        area.cells = {"certified": text, "share": "", "pace": _pace_text(area.pace, hidden)}
        if area.target:
            # A share of a known target would give away a count hidden to protect another.
            area.cells["share"] = (
                NOT_SHOWN
                if hidden
                else shown.derived(
                    share(area.certified, area.target.target), area.certified, suffix="%"
                )
            )
    return Overview(
        unit=root,
        today=today,
        stages=stages,
        stage=current_stage(stages, today),
        areas=areas,
        total_certified=total,
        target=target,
        pace=total_pace,
        total_cell=shown.cell_text(TOTAL_CELL),
        pace_cell=_pace_text(total_pace, shown.cell_hidden(TOTAL_CELL)),
        share_cell=shown.derived(share(total, target.target), total, suffix="%"),
        cities_with_pilots=sum(1 for area in areas if area.unit and area.has_enough_pilots),
        cities=len(cities),
        province_institutions=sum(
            1
            for pilot in pilots
            if pilot.is_active
            and pilot.kind is PilotKind.INSTITUTION
            and pilot.level is PilotLevel.PROVINCE
        ),
    )
