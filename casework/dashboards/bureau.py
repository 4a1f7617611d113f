"""The bureau's overview: this month's figures of its subtree, the certified-worker target,
overdue help requests by station (aggregates only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casework.accounts.models import User
from casework.dashboards.queries import MonthFigures, month_figures
from casework.helpdesk import queries as request_queries
from casework.orgs.models import Unit
from casework.orgs.services import units_in_subtree
from casework.reports import statistics
from casework.workforce.services import Target, target_for
from casework.workforce.statistics import counts_of, share


@dataclass
class StationOverdue:
    unit: Unit
    count: int


@dataclass
class BureauOverview:
    """A bureau's subtree at a glance: aggregates only, never a name or a case."""

    unit: Unit
    unit_ids: list[int]
    month: MonthFigures
    open_cases: int
    target: Target
    certified: int
    overdue_by_station: list[StationOverdue]

    @property
    def overdue_total(self) -> int:
        return sum(row.count for row in self.overdue_by_station)

    @property
    def target_share(self) -> float | None:
        return share(self.certified, self.target.target)


def bureau_overview(viewer: User, today: date) -> BureauOverview:
    """This month's figures, the workforce target and overdue requests for a bureau viewer.

    Every number comes from the function the statistics page uses for the same figure.
    """
    units = units_in_subtree(viewer.unit)
    unit_ids = [unit.id for unit in units]
    by_unit: dict[int, int] = {}
    for row in request_queries.overdue_requests(unit_ids):
        by_unit[row.request.unit_id] = by_unit.get(row.request.unit_id, 0) + 1
    return BureauOverview(
        unit=viewer.unit,
        unit_ids=unit_ids,
        month=month_figures(unit_ids, today),
        open_cases=statistics.open_case_count(unit_ids, today),
        target=target_for(viewer.unit),
        certified=counts_of(unit_ids, year=today.year, today=today).certified,
        overdue_by_station=[
            StationOverdue(unit, by_unit[unit.id]) for unit in units if unit.id in by_unit
        ],
    )
