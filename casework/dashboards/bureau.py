"""The bureau's figures: the home page's overview, the bureau dashboard (per-unit
comparison, trends, overdue help requests by station) and the wall screen (数据大屏).

Aggregates only: every number comes from the function the statistics page uses for the same
figure, and counts of 1 to 4 are hidden as the statistics page hides them
(``reports.sections.Shown``). Nothing here names a person or a case.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from casework.accounts.models import User
from casework.core.charts import line_chart
from casework.core.models import utcnow
from casework.core.numbers import format_number
from casework.dashboards.queries import MonthFigures, month_figures
from casework.helpdesk import queries as request_queries
from casework.orgs.models import Unit
from casework.orgs.reporting import comparison_groups
from casework.orgs.services import units_in_subtree
from casework.reports import statistics
from casework.reports.periods import Period, add_months, short_month_label
from casework.reports.sections import (
    TREND_MONTHS,
    Shown,
    comparison_breakdown,
    comparison_cell,
)
from casework.workforce.services import Target, target_for
from casework.workforce.statistics import WorkforceCounts, counts_by_unit, counts_of, share
from casework.workforce.statistics import total as workforce_total


@dataclass
class StationOverdue:
    unit: Unit
    count: int


def overdue_by_station(units: Sequence[Unit]) -> list[StationOverdue]:
    """Help requests past their unit's limits today (``requests.overdue``), per unit, in
    tree order; units without any are left out."""
    by_unit = request_queries.overdue_counts([unit.id for unit in units])
    return [StationOverdue(unit, by_unit[unit.id]) for unit in units if unit.id in by_unit]


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
    return BureauOverview(
        unit=viewer.unit,
        unit_ids=unit_ids,
        month=month_figures(unit_ids, today),
        open_cases=statistics.open_case_count(unit_ids, today),
        target=target_for(viewer.unit),
        certified=counts_of(unit_ids, year=today.year, today=today).certified,
        overdue_by_station=overdue_by_station(units),
    )


# --- the bureau dashboard and the wall screen -----------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the per-unit comparison. ``figure``: its name in ``reports.figures``."""

    key: str
    label: str
    kind: str  # "count" (adds up, small counts hidden), "hours" or "derived"
    figure: str | None = None


def comparison_columns() -> list[Column]:
    return [
        Column("open", str(_l("在案个案")), "count", "cases.open"),
        Column("opened", str(_l("新开个案")), "count", "cases.opened"),
        Column("closed", str(_l("结案个案")), "count", "cases.closed"),
        Column("records", str(_l("服务记录（次）")), "count", "services.records"),
        Column("hours", str(_l("服务时长（小时）")), "hours", "services.hours"),
        Column("groups", str(_l("开展中的小组")), "count"),
        Column("requests", str(_l("收到求助（件）")), "count", "requests.submitted"),
        Column("ack_median", str(_l("受理时间中位数（小时）")), "derived"),
        Column("ack_p90", str(_l("受理时间第 90 百分位（小时）")), "derived"),
        Column("on_time", str(_l("按时办理比例")), "derived"),
        Column("certified", str(_l("持证社工")), "count", "workforce.certified"),
        Column("certified_rate", str(_l("持证率")), "derived"),
    ]


@dataclass
class UnitFigures:
    """The figures of one set of units over a period, as numbers."""

    open_cases: int
    opened: int
    closed: int
    records: int
    hours: float
    groups: int
    requests: int
    requests_late: int
    ack_median: float | None
    ack_p90: float | None
    workforce: WorkforceCounts

    def counts(self) -> dict[str, int]:
        return {
            "open": self.open_cases,
            "opened": self.opened,
            "closed": self.closed,
            "records": self.records,
            "groups": self.groups,
            "requests": self.requests,
            "certified": self.workforce.certified,
        }


def unit_figures(
    unit_ids: list[int], period: Period, today: date, workforce: WorkforceCounts
) -> UnitFigures:
    """The comparison's figures for ``unit_ids``, each from the statistics' own function."""
    start, end = period.start, period.end
    cases = statistics.case_figures(unit_ids, start, end)
    services = statistics.service_figures(unit_ids, start, end)
    requests = statistics.request_figures(unit_ids, start, end, today=today)
    return UnitFigures(
        open_cases=statistics.open_case_count(unit_ids, min(end, today)),
        opened=cases.opened,
        closed=cases.closed,
        records=services.records,
        hours=services.hours,
        groups=statistics.group_figures(unit_ids, start, end).groups_active,
        requests=requests.submitted,
        requests_late=requests.late,
        ack_median=requests.hours_to_acknowledge_median,
        ack_p90=requests.hours_to_acknowledge_p90,
        workforce=workforce,
    )


@dataclass
class Row:
    """One line of the comparison: a child unit (``unit_id``), the unit's own records
    (``unit_id`` None, 本级) or the total; ``cells`` are the texts shown, by column key."""

    key: str
    label: str
    unit_id: int | None
    has_children: bool
    figures: UnitFigures
    cells: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: Markup
    # The same figures as text (month, count as shown), for those who cannot see the chart.
    rows: tuple[tuple[str, str], ...] = ()


@dataclass
class BureauBoard:
    """Plain data (no ORM objects), so that a board can be kept for a minute and shared."""

    unit_id: int
    unit_name: str
    period: Period
    open_on: date
    total: Row
    rows: list[Row]
    columns: list[Column]
    charts: list[Chart]
    overdue: list[tuple[str, str]]  # unit name, count as shown
    overdue_total: str
    target: Target | None
    target_share: str
    computed_at: datetime


def _derived_cells(figures: UnitFigures, shown: Shown) -> dict[str, str]:
    submitted, late = figures.requests, figures.requests_late
    workers, certified = figures.workforce.workers, figures.workforce.certified
    return {
        "hours": format_number(figures.hours),
        "ack_median": shown.derived(figures.ack_median, submitted),
        "ack_p90": shown.derived(figures.ack_p90, submitted),
        "on_time": shown.derived(
            share(submitted - late, submitted), late, submitted - late, suffix="%"
        ),
        "certified_rate": shown.derived(
            share(certified, workers), certified, workers - certified, suffix="%"
        ),
    }


def _trend_charts(unit_ids: list[int], end: date, shown: Shown) -> list[Chart]:
    """The last 12 months up to ``end``: new cases, service records, help requests."""
    first = add_months(end, 1 - TREND_MONTHS)
    cases = statistics.monthly_trend(unit_ids, first, TREND_MONTHS)
    activity = statistics.activity_trend(unit_ids, first, TREND_MONTHS)
    labels = [short_month_label(add_months(first, offset)) for offset in range(TREND_MONTHS)]
    charts = []
    for key, title, counts in (
        ("opened", _("近 12 个月新开个案"), cases.opened),
        ("records", _("近 12 个月服务记录（次）"), activity.service_records),
        ("requests", _("近 12 个月收到求助（件）"), activity.requests_submitted),
    ):
        series = shown.series(title, counts)
        svg = line_chart(
            labels,
            [series],
            chart_id=f"chart-{key}",
            title=title,
            description=_("折线图，%(title)s，每月一个点。", title=title),
            whole_numbers=True,
        )
        rows = tuple((label, series.label(index)) for index, label in enumerate(labels))
        charts.append(Chart(key, title, svg, rows))
    return charts


def bureau_board(
    unit: Unit,
    units: list[Unit],
    period: Period,
    today: date,
    *,
    aggregate_only: bool,
    compare: bool = True,
    target: Target | None = None,
) -> BureauBoard:
    """``unit``'s subtree (``units``, in tree order) over ``period``: its totals, each child
    unit's figures beside them (``compare``), trends and overdue help requests by station."""
    subtree = [each for each in units if each.path.startswith(unit.path)]
    ids = [each.id for each in subtree]
    workforce = counts_by_unit(
        ids, start=date(period.end.year, 1, 1), end=date(period.end.year, 12, 31), today=today
    )
    shown = Shown(aggregate_only)
    total = Row(
        "total",
        str(_l("合计")),
        unit.id,
        True,
        unit_figures(ids, period, today, workforce_total(workforce[i] for i in ids)),
    )
    rows: list[Row] = []
    if compare:
        for key, child, child_ids in comparison_groups(unit, subtree):
            if child is None:
                own = unit_figures(child_ids, period, today, workforce[unit.id])
                if any(own.counts().values()) or own.hours:
                    rows.append(Row(key, str(_l("本级")), None, False, own))
                continue
            figures = unit_figures(
                child_ids, period, today, workforce_total(workforce[i] for i in child_ids)
            )
            rows.append(Row(key, child.name, child.id, len(child_ids) > 1, figures))
    overdue = overdue_by_station(subtree)
    overdue_count = sum(row.count for row in overdue)
    # Each column adds up to the total, so small counts are hidden with their complements,
    # exactly as the statistics page hides a breakdown beside its total.
    totals = total.figures.counts()
    for key, value in totals.items():
        comparison_breakdown(
            shown,
            key,
            {row.key: row.figures.counts()[key] for row in rows},
            [row.key for row in rows],
            value,
        )
    shown.breakdown(
        "overdue",
        {f"u{row.unit.id}": row.count for row in overdue},
        [f"u{row.unit.id}" for row in overdue],
        "overdue.total",
        overdue_count,
    )
    shown.seal()
    for row in rows:
        row.cells = {key: shown.cell_text(comparison_cell(key, row.key)) for key in totals}
        row.cells.update(_derived_cells(row.figures, shown))
    total.cells = {key: shown.cell_text(f"total.{key}") for key in totals}
    total.cells.update(_derived_cells(total.figures, shown))
    target_text = ""
    if target is not None:
        certified = total.figures.workforce.certified
        target_text = shown.derived(share(certified, target.target), certified, suffix="%")
    return BureauBoard(
        unit_id=unit.id,
        unit_name=unit.name,
        period=period,
        open_on=min(period.end, today),
        total=total,
        rows=rows,
        columns=comparison_columns(),
        charts=_trend_charts(ids, period.end, shown),
        overdue=[(row.unit.name, shown.cell_text(f"overdue.u{row.unit.id}")) for row in overdue],
        overdue_total=shown.cell_text("overdue.total"),
        target=target,
        target_share=target_text,
        computed_at=utcnow(),
    )


def wall_payload(board: BureauBoard, updated_at: str) -> dict[str, object]:
    """The wall screen's figures as JSON: texts already suppressed, charts as SVG."""
    return {
        "updated_at": updated_at,
        "figures": {**board.total.cells, "overdue": board.overdue_total},
        "target_share": board.target_share,
        "charts": {chart.key: str(chart.svg) for chart in board.charts},
        "overdue": [{"unit": name, "count": text} for name, text in board.overdue],
    }


# Boards computed in the last ``DASHBOARD_CACHE_SECONDS``, per worker process: a city's wall
# screens and its viewers share one computation a minute.
_BOARDS: dict[tuple[object, ...], tuple[float, BureauBoard]] = {}
_BOARDS_LOCK = threading.Lock()
MAX_BOARDS = 256


def recent_board(
    key: tuple[object, ...], max_age: float, compute: Callable[[], BureauBoard]
) -> BureauBoard:
    """The board for ``key`` computed less than ``max_age`` seconds ago, else a new one."""
    now = time.monotonic()
    with _BOARDS_LOCK:
        found = _BOARDS.get(key)
    if found is not None and now - found[0] < max_age:
        return found[1]
    board = compute()
    with _BOARDS_LOCK:
        if len(_BOARDS) >= MAX_BOARDS:
            for stale in sorted(_BOARDS, key=lambda each: _BOARDS[each][0])[: MAX_BOARDS // 2]:
                del _BOARDS[stale]
        _BOARDS[key] = (now, board)
    return board
