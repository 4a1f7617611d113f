"""The sections of the statistics page and the monthly report: which figure each cell
shows, and how small counts are hidden from aggregate-only readers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from casework.cases.enums import CaseSource, ClosureType, RiskLevel, ServiceDomain, ServiceForm
from casework.core import suppression
from casework.core.charts import Series, bar_chart, line_chart
from casework.core.enums import LabelledEnum
from casework.core.numbers import format_number
from casework.helpdesk.models import Channel, RequestCategory, RequestStatus
from casework.reports import statistics
from casework.reports.periods import (
    add_months,
    month_label,
    short_month_label,
)
from casework.workforce.models import CertificateLevel
from casework.workforce.statistics import WorkforceCounts, share

Record = dict[str, Any]


@dataclass(frozen=True)
class Figures:
    """Everything the report shows, fetched once."""

    cases: statistics.CaseFigures
    open_cases: int
    open_on: date
    services: statistics.ServiceFigures
    groups: statistics.GroupFigures
    activities: statistics.ActivityFigures
    volunteers: statistics.VolunteerFigures
    requests: statistics.RequestFigures
    workforce: WorkforceCounts
    trend: statistics.MonthlyTrend
    trend_start: date
    end: date
    domains: list[ServiceDomain]


TREND_MONTHS = 12


NOT_SHOWN = "—"


class Shown:
    """How numbers read for this viewer.

    For aggregate-only viewers every breakdown with a shown total is registered first
    (``breakdown``); ``seal`` then works out which of its cells to hide so that no count of
    1 to 4 can be read or worked out by subtraction (``suppression.hidden_cells``).
    """

    def __init__(self, aggregate_only: bool) -> None:
        self.aggregate_only = aggregate_only
        self._values: dict[str, int] = {}
        self._lines: list[tuple[list[str], str]] = []
        self._hidden: set[str] = set()

    def breakdown(
        self,
        key: str,
        counts: Mapping[Any, int],
        members: Iterable[Any],
        total_key: str,
        total: int,
    ) -> None:
        """Register ``key.<member>`` cells that add up to ``total``, shown as ``total_key``."""
        cells = []
        for member in members:
            cell = f"{key}.{getattr(member, 'value', member)}"
            self._values[cell] = counts.get(member, 0)
            cells.append(cell)
        self._values[total_key] = total
        self._lines.append((cells, total_key))

    def seal(self) -> None:
        if self.aggregate_only:
            self._hidden = suppression.hidden_cells(self._lines, self._values)

    def count(self, value: int) -> str:
        return suppression.suppressed(value) if self.aggregate_only else str(value)

    def is_hidden(self, value: int) -> bool:
        return self.aggregate_only and suppression.is_small(value)

    def cell_text(self, cell: str) -> str:
        """A registered cell: "<5", "—" when hidden to protect another, or the count."""
        value = self._values[cell]
        if cell in self._hidden and not self.is_hidden(value):
            return NOT_SHOWN
        return self.count(value)

    def cell_hidden(self, cell: str) -> bool:
        return cell in self._hidden

    def derived(self, value: float | None, *counts: int, suffix: str = "") -> str:
        """A share, rate or time worked out from ``counts``: hidden when one of them is."""
        if value is None or any(self.is_hidden(count) for count in counts):
            return NOT_SHOWN
        return format_number(value) + suffix

    def chart_value(self, value: int) -> float | None:
        return None if self.is_hidden(value) else float(value)

    def series(self, name: object, counts: Sequence[int]) -> Series:
        """Counts to chart: a hidden one draws no mark, only its "<5"."""
        return Series(
            str(name),
            [self.chart_value(count) for count in counts],
            [self.count(count) for count in counts],
        )

    def breakdown_series(self, name: object, cells: Sequence[str]) -> Series:
        """Registered cells to chart: a hidden one draws no mark, only its "<5" or "—"."""
        return Series(
            str(name),
            [None if self.cell_hidden(cell) else float(self._values[cell]) for cell in cells],
            [self.cell_text(cell) for cell in cells],
        )


def comparison_breakdown(
    shown: Shown, column: str, counts: Mapping[str, int], keys: Sequence[str], total: int
) -> None:
    """Register ``column`` broken down as the bureau comparison rows it (keys from
    ``orgs.reporting.comparison_groups``): cells ``comparison_cell(column, key)`` adding up
    to ``total`` (``total.<column>``). Pages registering the same line hide the same cells."""
    shown.breakdown(f"column.{column}", counts, keys, f"total.{column}", total)


def comparison_cell(column: str, key: str) -> str:
    return f"column.{column}.{key}"


def _cell(key: str, value: str) -> Record:
    return {"key": key, "value": value}


def _row(label: object, *cells: Record) -> Record:
    return {"label": str(label), "cells": list(cells)}


def _table(caption: object, columns: Iterable[object], rows: list[Record]) -> Record:
    return {"caption": str(caption), "columns": [str(column) for column in columns], "rows": rows}


def _count_table(
    key: str, caption: object, heading: object, members: Iterable[LabelledEnum], shown: Shown
) -> Record:
    """A registered breakdown (``Shown.breakdown``) as a table of its members."""
    rows = [
        _row(member.label, _cell(f"{key}.{member.value}", shown.cell_text(f"{key}.{member.value}")))
        for member in members
    ]
    return _table(caption, (heading, _l("数量")), rows)


def open_cases_label(day: date) -> str:
    """在案个案（截至 2026-12-07）: the day the count holds for, never a day still to come."""
    return str(_("在案个案（截至 %(date)s）", date=day.isoformat()))


def headline_cell(key: str, label: object, value: str) -> Record:
    return {"key": key, "label": str(label), "value": value}


def _section(key: str, title: object, blocks: list[Record], note: object = None) -> Record:
    return {"key": key, "title": str(title), "blocks": blocks, "note": str(note) if note else ""}


def _block(table: Record, chart: Markup | None = None) -> Record:
    return {"table": table, "chart": chart}


def case_section(
    figures: Figures, open_label: str, shown: Shown, font_family: str | None
) -> Record:
    cases, trend, trend_start, end = figures.cases, figures.trend, figures.trend_start, figures.end
    overview = _table(
        _l("个案概况"),
        (_l("项目"), _l("数量")),
        [
            _row(_l("新开个案"), _cell("cases.opened", shown.count(cases.opened))),
            _row(_l("不予接案"), _cell("cases.declined", shown.count(cases.declined))),
            _row(_l("结案个案"), _cell("cases.closed", shown.count(cases.closed))),
            _row(open_label, _cell("cases.open", shown.count(figures.open_cases))),
        ],
    )
    domains = figures.domains
    by_domain = _count_table(
        "cases.domain", _l("新开个案按服务领域"), _l("服务领域"), domains, shown
    )
    domain_cells = [f"cases.domain.{domain.value}" for domain in domains]
    domain_chart = None
    domain_series = shown.breakdown_series(_l("新开个案"), domain_cells)
    if any(domain_series.values):
        domain_chart = bar_chart(
            [domain.label for domain in domains],
            [domain_series],
            chart_id="chart-domains",
            title=str(_l("新开个案按服务领域")),
            description=str(_l("条形图，各服务领域本期新开个案数。")),
            horizontal=True,
            whole_numbers=True,
            font_family=font_family,
        )
    months = [add_months(trend_start, offset) for offset in range(TREND_MONTHS)]
    trend_title = _(
        "近 %(count)s 个月新开与结案个案（%(first)s—%(last)s）",
        count=TREND_MONTHS,
        first=month_label(trend_start),
        last=month_label(end),
    )
    trend_table = _table(
        trend_title,
        (_l("月份"), _l("新开个案"), _l("结案个案")),
        [
            _row(
                label,
                _cell(f"trend.opened.{label}", shown.count(opened)),
                _cell(f"trend.closed.{label}", shown.count(closed)),
            )
            for label, opened, closed in zip(trend.months, trend.opened, trend.closed, strict=True)
        ],
    )
    trend_chart = line_chart(
        [short_month_label(month) for month in months],
        [shown.series(_l("新开个案"), trend.opened), shown.series(_l("结案个案"), trend.closed)],
        chart_id="chart-trend",
        title=trend_title,
        description=str(_l("折线图，每月新开个案数与结案个案数。")),
        whole_numbers=True,
        font_family=font_family,
    )
    return _section(
        "cases",
        _l("个案工作"),
        [
            _block(overview),
            _block(
                _count_table(
                    "cases.source", _l("新开个案按来源"), _l("个案来源"), CaseSource, shown
                )
            ),
            _block(
                _count_table(
                    "cases.risk", _l("新开个案按风险等级"), _l("风险等级"), RiskLevel, shown
                )
            ),
            _block(
                _count_table(
                    "cases.closure", _l("结案个案按结案类型"), _l("结案类型"), ClosureType, shown
                )
            ),
            _block(by_domain, domain_chart),
            _block(trend_table, trend_chart),
        ],
        note=_l("在案个案：已开案、未被不予接案、结案尚未获批的个案；回访中的个案已结案。"),
    )


def service_section(services: statistics.ServiceFigures, shown: Shown) -> Record:
    rows = [
        _row(
            form.label,
            _cell(
                f"services.records.{form.value}", shown.cell_text(f"services.records.{form.value}")
            ),
            _cell(
                f"services.hours.{form.value}",
                format_number(services.hours_by_form.get(form, 0.0)),
            ),
        )
        for form in ServiceForm
    ]
    rows.append(
        _row(
            _l("合计"),
            _cell("services.records", shown.count(services.records)),
            _cell("services.hours", format_number(services.hours)),
        )
    )
    table = _table(
        _l("服务记录按服务形式"), (_l("服务形式"), _l("记录数"), _l("服务时长（小时）")), rows
    )
    return _section("services", _l("服务记录"), [_block(table)])


def group_section(
    groups: statistics.GroupFigures, activities: statistics.ActivityFigures, shown: Shown
) -> Record:
    absent = groups.attendance_marks - groups.present
    table = _table(
        _l("小组工作与社区活动"),
        (_l("项目"), _l("数量")),
        [
            _row(_l("开展中的小组"), _cell("groups.active", shown.count(groups.groups_active))),
            _row(_l("小组活动节次"), _cell("groups.sessions", shown.count(groups.sessions_held))),
            _row(
                _l("小组出席率"),
                _cell(
                    "groups.attendance_rate",
                    shown.derived(groups.attendance_rate, groups.present, absent, suffix="%"),
                ),
            ),
            _row(
                _l("社区活动（场）"), _cell("activities.count", shown.count(activities.activities))
            ),
            _row(
                _l("社区活动参与人次"),
                _cell("activities.participants", shown.count(activities.participants)),
            ),
        ],
    )
    return _section("groups", _l("小组工作与社区活动"), [_block(table)])


def request_section(
    requests: statistics.RequestFigures, shown: Shown, font_family: str | None
) -> Record:
    submitted = requests.submitted
    overview = _table(
        _l("求助办理概况"),
        (_l("项目"), _l("数量")),
        [
            _row(_l("收到求助（件）"), _cell("requests.submitted", shown.count(submitted))),
            _row(_l("答复求助（件）"), _cell("requests.answered", shown.count(requests.answered))),
            _row(_l("逾期办理（件）"), _cell("requests.late", shown.count(requests.late))),
            _row(
                _l("逾期比例"),
                _cell(
                    "requests.late_share",
                    shown.derived(
                        requests.late_share, requests.late, submitted - requests.late, suffix="%"
                    ),
                ),
            ),
        ],
    )
    stages = [
        (
            "acknowledge",
            _l("受理"),
            requests.hours_to_acknowledge_median,
            requests.hours_to_acknowledge_p90,
        ),
        ("answer", _l("答复"), requests.hours_to_answer_median, requests.hours_to_answer_p90),
    ]
    times_table = _table(
        _l("求助响应时间（小时）"),
        (_l("环节"), _l("中位数"), _l("第 90 百分位")),
        [
            _row(
                label,
                _cell(f"requests.{key}.median", shown.derived(median, submitted)),
                _cell(f"requests.{key}.p90", shown.derived(p90, submitted)),
            )
            for key, label, median, p90 in stages
        ],
    )
    times_chart = None
    hidden = shown.is_hidden(submitted)
    medians = [median for _key, _label, median, _p90 in stages]
    p90s = [p90 for _key, _label, _median, p90 in stages]
    if not hidden and any(value is not None for value in medians + p90s):
        times_chart = bar_chart(
            [str(label) for _key, label, _median, _p90 in stages],
            [
                Series(
                    str(name),
                    [None if hidden else value for value in values],
                    [shown.derived(value, submitted) for value in values],
                )
                for name, values in ((_l("中位数"), medians), (_l("第 90 百分位"), p90s))
            ],
            chart_id="chart-response",
            title=str(_l("求助响应时间（小时）")),
            description=str(
                _l("柱状图，从提交到受理、从提交到答复所用小时数的中位数和第 90 百分位。")
            ),
            font_family=font_family,
        )
    return _section(
        "requests",
        _l("求助办理"),
        [
            _block(overview),
            _block(
                _count_table(
                    "requests.period_status",
                    _l("本期收到的求助按办理状态"),
                    _l("办理状态"),
                    RequestStatus,
                    shown,
                )
            ),
            _block(
                _count_table(
                    "requests.category", _l("求助按类别"), _l("类别"), RequestCategory, shown
                )
            ),
            _block(_count_table("requests.channel", _l("求助按渠道"), _l("渠道"), Channel, shown)),
            _block(times_table, times_chart),
        ],
        note=_l(
            "答复求助：本期首次答复（含转介、不予受理、转为个案）的求助，不论何时收到。"
            "逾期办理：本期收到的求助中，受理或答复晚于本单位公示的办理时限（按工作日计），"
            "或至今仍未办理且已超时限的。"
        ),
    )


def volunteer_section(volunteers: statistics.VolunteerFigures, shown: Shown) -> Record:
    table = _table(
        _l("志愿者"),
        (_l("项目"), _l("数量")),
        [
            _row(
                _l("在册志愿者"), _cell("volunteers.registered", shown.count(volunteers.registered))
            ),
            _row(
                _l("本期参与服务的志愿者"),
                _cell("volunteers.served", shown.count(volunteers.served)),
            ),
            _row(
                _l("志愿服务时长（小时）"),
                _cell("volunteers.hours", format_number(volunteers.hours)),
            ),
        ],
    )
    return _section(
        "volunteers",
        _l("志愿者"),
        [_block(table)],
        note=_l("本期参与服务的志愿者含此后停用的志愿者。"),
    )


def workforce_section(workforce: WorkforceCounts, shown: Shown) -> Record:
    people = _table(
        _l("社会工作人才队伍"),
        (_l("项目"), _l("人数")),
        [
            _row(_l("在岗社工"), _cell("workforce.workers", shown.count(workforce.workers))),
            _row(_l("持证社工"), _cell("workforce.certified", shown.count(workforce.certified))),
            *(
                _row(
                    level.label,
                    _cell(
                        f"workforce.level.{level.value}",
                        shown.cell_text(f"workforce.level.{level.value}"),
                    ),
                )
                for level in CertificateLevel
            ),
        ],
    )
    posts = _table(
        _l("社会工作岗位"),
        (_l("项目"), _l("数量")),
        [
            _row(_l("社会工作岗位"), _cell("workforce.posts", shown.count(workforce.posts))),
            _row(
                _l("持证上岗"),
                _cell("workforce.posts_certified", shown.count(workforce.posts_certified)),
            ),
            _row(
                _l("持证上岗率"),
                _cell(
                    "workforce.posts_rate",
                    # As the workforce statistics show it: hidden with a hidden count.
                    shown.derived(
                        share(workforce.posts_certified, workforce.posts),
                        workforce.posts_certified,
                        workforce.posts,
                        suffix="%",
                    ),
                ),
            ),
        ],
    )
    return _section(
        "workforce",
        _l("人才队伍"),
        [_block(people), _block(posts)],
        note=_l(
            "截至今日：在岗社工为在用的人员档案，持证社工为其中持有职业水平证书者（按最高等级计）；"
            "持证上岗为由持有岗位要求等级证书的在岗人员担任的岗位。"
        ),
    )
