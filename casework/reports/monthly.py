"""The figures of a unit subtree as a report: plain data for the statistics page and the
monthly report (月报) PDF, and the periods they cover.

Everything here is strings, numbers, dates and chart markup, never ORM objects. For
aggregate-only users every count of 1 to 4 reads "<5", and a share, rate or response time
worked out from such a count reads "—": it would give the hidden count away.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from casework.accounts.models import Role
from casework.cases.models import (
    COMMUNITY_DOMAINS,
    CaseSource,
    ClosureType,
    RiskLevel,
    ServiceDomain,
    ServiceForm,
)
from casework.core.enums import LabelledEnum
from casework.core.pdf import render_pdf
from casework.helpdesk.models import Channel, RequestCategory
from casework.orgs.models import Unit
from casework.reports import statistics
from casework.reports.charts import Series, bar_chart, format_number, line_chart

TEMPLATE = "reports/monthly_pdf.html"

# The PDF's font stack (static/css/pdf.css): WeasyPrint does not pass CSS fonts into SVG.
PDF_FONT_FAMILY = '"Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", sans-serif'

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
MAX_YEARS = 3
TREND_MONTHS = 12
NOT_SHOWN = "—"

# 人才队伍 for now: active accounts of the social-work roles. Certificate levels and
# continuing education come with the workforce records.
WORKFORCE_ROLES = (Role.SOCIAL_WORKER, Role.STATION_HEAD, Role.TUTOR)

Record = dict[str, Any]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


# --- periods -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date


class PeriodError(ValueError):
    """A date or month from the query string that cannot be used; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def month_period(day: date) -> Period:
    """The calendar month that contains ``day``."""
    first = day.replace(day=1)
    return Period(first, first.replace(day=calendar.monthrange(first.year, first.month)[1]))


def quick_periods(today: date) -> list[tuple[str, Period]]:
    """本月, 上月, 本季度, 本年, as links on the statistics page."""
    this_month = month_period(today)
    quarter_first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return [
        (_("本月"), this_month),
        (_("上月"), month_period(this_month.start - timedelta(days=1))),
        (_("本季度"), Period(quarter_first, month_period(quarter_first + timedelta(days=62)).end)),
        (_("本年"), Period(date(today.year, 1, 1), date(today.year, 12, 31))),
    ]


def parse_period(start_text: str, end_text: str, today: date) -> Period:
    """The inclusive range the user asked for; an empty end takes this month's."""
    default = month_period(today)
    start = _parse_date(start_text, _("开始日期")) if start_text.strip() else default.start
    end = _parse_date(end_text, _("结束日期")) if end_text.strip() else default.end
    if start > end:
        raise PeriodError(_("开始日期不能晚于结束日期。"))
    if end >= _add_years(start, MAX_YEARS):
        raise PeriodError(_("统计期间最长 %(years)s 年，请缩短日期范围。", years=MAX_YEARS))
    return Period(start, end)


def parse_month(text: str) -> date:
    """The first day of the month written ``2026-11``."""
    match = _MONTH.fullmatch(text.strip())
    month = int(match.group(2)) if match else 0
    if match is None or not 1 <= month <= 12:
        raise PeriodError(_("月份格式不正确，请按 2026-11 的格式填写。"))
    first = date(int(match.group(1)), month, 1)
    _check_bounds(first)
    return first


def _parse_date(text: str, field: str) -> date:
    value = text.strip()
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        parsed = date.fromisoformat(value)
    except ValueError:
        raise PeriodError(
            _(
                "%(field)s“%(value)s”不是有效的日期，请按 2026-11-01 的格式填写。",
                field=field,
                value=value[:20],
            )
        ) from None
    _check_bounds(parsed)
    return parsed


def _check_bounds(value: date) -> None:
    if not EARLIEST <= value <= LATEST:
        raise PeriodError(
            _(
                "日期须在 %(earliest)s 至 %(latest)s 之间。",
                earliest=EARLIEST.isoformat(),
                latest=LATEST.isoformat(),
            )
        )


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def _add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` months after (or, if negative, before) ``day``'s."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _is_chinese() -> bool:
    return str(get_locale() or "zh").startswith("zh")


def month_label(month: date) -> str:
    """``2026年11月`` (``November 2026`` in English)."""
    return str(format_date(month, "y年M月" if _is_chinese() else "MMMM y"))


def _short_month_label(month: date) -> str:
    return f"{month.month}月" if _is_chinese() else str(format_date(month, "MMM"))


# --- what a cell shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Shown:
    """How numbers read for this viewer."""

    aggregate_only: bool

    def count(self, value: int) -> str:
        return statistics.suppressed(value) if self.aggregate_only else str(value)

    def is_hidden(self, value: int) -> bool:
        return self.aggregate_only and 0 < value < statistics.SMALL_COUNT

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


def _cell(key: str, value: str) -> Record:
    return {"key": key, "value": value}


def _row(label: object, *cells: Record) -> Record:
    return {"label": str(label), "cells": list(cells)}


def _table(caption: object, columns: Iterable[object], rows: list[Record]) -> Record:
    return {"caption": str(caption), "columns": [str(column) for column in columns], "rows": rows}


def _count_table(
    key: str,
    caption: object,
    heading: object,
    members: Iterable[LabelledEnum],
    counts: Mapping[Any, int],
    shown: _Shown,
) -> Record:
    rows = [
        _row(member.label, _cell(f"{key}.{member.value}", shown.count(counts.get(member, 0))))
        for member in members
    ]
    return _table(caption, (heading, _l("数量")), rows)


# --- the report ----------------------------------------------------------------------------


def report_data(
    unit: Unit,
    unit_ids: list[int],
    period: Period,
    *,
    aggregate_only: bool,
    today: date,
    font_family: str | None = None,
) -> Record:
    """Every figure of the statistics page for ``unit_ids`` over ``period``, ready to show."""
    start, end = period.start, period.end
    shown = _Shown(aggregate_only)
    cases = statistics.case_figures(unit_ids, start, end)
    services = statistics.service_figures(unit_ids, start, end)
    groups = statistics.group_figures(unit_ids, start, end)
    activities = statistics.activity_figures(unit_ids, start, end)
    volunteers = statistics.volunteer_figures(unit_ids, start, end)
    requests = statistics.request_figures(unit_ids, start, end, today=today)
    staff = statistics.staff_figures(unit_ids)
    trend_start = _add_months(end, 1 - TREND_MONTHS)
    trend = statistics.monthly_trend(unit_ids, trend_start, TREND_MONTHS)

    headline = [
        _headline("cases.opened", _l("新开个案"), shown.count(cases.opened)),
        _headline("cases.closed", _l("结案个案"), shown.count(cases.closed)),
        _headline("cases.open_at_end", _l("期末在案个案"), shown.count(cases.open_at_end)),
        _headline("services.records", _l("服务记录（次）"), shown.count(services.records)),
        _headline("services.hours", _l("服务时长（小时）"), format_number(services.hours)),
        _headline("groups.sessions", _l("小组活动（节）"), shown.count(groups.sessions_held)),
        _headline("activities.count", _l("社区活动（场）"), shown.count(activities.activities)),
        _headline("requests.submitted", _l("居民求助（件）"), shown.count(requests.submitted)),
        _headline("volunteers.hours", _l("志愿服务时长（小时）"), format_number(volunteers.hours)),
    ]
    domains = [
        domain
        for domain in ServiceDomain
        if domain in COMMUNITY_DOMAINS or cases.opened_by_domain.get(domain)
    ]
    return {
        "unit": unit.name,
        "unit_count": len(unit_ids),
        "start": start,
        "end": end,
        "aggregate_only": aggregate_only,
        "headline": headline,
        "sections": [
            _case_section(cases, domains, trend, trend_start, end, shown, font_family),
            _service_section(services, shown),
            _group_section(groups, activities, shown),
            _request_section(requests, shown, font_family),
            _volunteer_section(volunteers, shown),
            _workforce_section(staff, shown),
        ],
    }


def _headline(key: str, label: object, value: str) -> Record:
    return {"key": f"headline.{key}", "label": str(label), "value": value}


def _section(key: str, title: object, blocks: list[Record], note: object = None) -> Record:
    return {"key": key, "title": str(title), "blocks": blocks, "note": str(note) if note else ""}


def _block(table: Record, chart: Markup | None = None) -> Record:
    return {"table": table, "chart": chart}


def _case_section(
    cases: statistics.CaseFigures,
    domains: list[ServiceDomain],
    trend: statistics.MonthlyTrend,
    trend_start: date,
    end: date,
    shown: _Shown,
    font_family: str | None,
) -> Record:
    overview = _table(
        _l("个案概况"),
        (_l("项目"), _l("数量")),
        [
            _row(_l("新开个案"), _cell("cases.opened", shown.count(cases.opened))),
            _row(_l("不予接案"), _cell("cases.declined", shown.count(cases.declined))),
            _row(_l("结案个案"), _cell("cases.closed", shown.count(cases.closed))),
            _row(_l("期末在案个案"), _cell("cases.open_at_end", shown.count(cases.open_at_end))),
        ],
    )
    by_domain = _count_table(
        "cases.domain",
        _l("新开个案按服务领域"),
        _l("服务领域"),
        domains,
        cases.opened_by_domain,
        shown,
    )
    domain_counts = [cases.opened_by_domain.get(domain, 0) for domain in domains]
    domain_chart = None
    if any(shown.chart_value(count) for count in domain_counts):
        domain_chart = bar_chart(
            [domain.label for domain in domains],
            [shown.series(_l("新开个案"), domain_counts)],
            chart_id="chart-domains",
            title=str(_l("新开个案按服务领域")),
            description=str(_l("条形图，各服务领域本期新开个案数。")),
            horizontal=True,
            font_family=font_family,
        )
    months = [_add_months(trend_start, offset) for offset in range(TREND_MONTHS)]
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
        [_short_month_label(month) for month in months],
        [shown.series(_l("新开个案"), trend.opened), shown.series(_l("结案个案"), trend.closed)],
        chart_id="chart-trend",
        title=trend_title,
        description=str(_l("折线图，每月新开个案数与结案个案数。")),
        font_family=font_family,
    )
    return _section(
        "cases",
        _l("个案工作"),
        [
            _block(overview),
            _block(
                _count_table(
                    "cases.source",
                    _l("新开个案按来源"),
                    _l("个案来源"),
                    CaseSource,
                    cases.opened_by_source,
                    shown,
                )
            ),
            _block(
                _count_table(
                    "cases.risk",
                    _l("新开个案按风险等级"),
                    _l("风险等级"),
                    RiskLevel,
                    cases.opened_by_risk,
                    shown,
                )
            ),
            _block(
                _count_table(
                    "cases.closure",
                    _l("结案个案按结案类型"),
                    _l("结案类型"),
                    ClosureType,
                    cases.closed_by_type,
                    shown,
                )
            ),
            _block(by_domain, domain_chart),
            _block(trend_table, trend_chart),
        ],
    )


def _service_section(services: statistics.ServiceFigures, shown: _Shown) -> Record:
    rows = [
        _row(
            form.label,
            _cell(
                f"services.records.{form.value}", shown.count(services.records_by_form.get(form, 0))
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


def _group_section(
    groups: statistics.GroupFigures, activities: statistics.ActivityFigures, shown: _Shown
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


def _request_section(
    requests: statistics.RequestFigures, shown: _Shown, font_family: str | None
) -> Record:
    submitted = requests.submitted
    overview = _table(
        _l("求助办理概况"),
        (_l("项目"), _l("数量")),
        [
            _row(_l("收到求助（件）"), _cell("requests.submitted", shown.count(submitted))),
            _row(_l("逾期办理（件）"), _cell("requests.overdue", shown.count(requests.overdue))),
            _row(
                _l("逾期比例"),
                _cell(
                    "requests.overdue_share",
                    shown.derived(
                        requests.overdue_share,
                        requests.overdue,
                        submitted - requests.overdue,
                        suffix="%",
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
                    "requests.category",
                    _l("求助按类别"),
                    _l("类别"),
                    RequestCategory,
                    requests.by_category,
                    shown,
                )
            ),
            _block(
                _count_table(
                    "requests.channel",
                    _l("求助按渠道"),
                    _l("渠道"),
                    Channel,
                    requests.by_channel,
                    shown,
                )
            ),
            _block(times_table, times_chart),
        ],
        note=_l(
            "逾期：受理或答复晚于本单位公示的办理时限（按工作日计），或至今仍未办理且已超时限。"
        ),
    )


def _volunteer_section(volunteers: statistics.VolunteerFigures, shown: _Shown) -> Record:
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
    return _section("volunteers", _l("志愿者"), [_block(table)])


def _workforce_section(staff: Mapping[Role, int], shown: _Shown) -> Record:
    rows = [
        _row(role.label, _cell(f"staff.{role.value}", shown.count(staff.get(role, 0))))
        for role in WORKFORCE_ROLES
    ]
    rows.append(
        _row(
            _l("合计"),
            _cell("staff.total", shown.count(sum(staff.get(role, 0) for role in WORKFORCE_ROLES))),
        )
    )
    table = _table(_l("在岗人员（按角色）"), (_l("角色"), _l("人数")), rows)
    return _section(
        "workforce",
        _l("人才队伍"),
        [_block(table)],
        note=_l(
            "暂列系统内在用账号数（截至生成之日）。职业水平证书等级、持证上岗率和继续教育学时"
            "将在人才队伍模块上线后列入。"
        ),
    )


# --- the monthly report (月报) --------------------------------------------------------------


def monthly_report_data(
    unit: Unit, unit_ids: list[int], month: date, *, aggregate_only: bool, today: date
) -> Record:
    """The report for the calendar month of ``month``, with its title and date of issue."""
    data = report_data(
        unit,
        unit_ids,
        month_period(month),
        aggregate_only=aggregate_only,
        today=today,
        font_family=PDF_FONT_FAMILY,
    )
    data["month"] = month_label(month)
    data["title"] = _("%(unit)s 社会工作月报（%(month)s）", unit=unit.name, month=data["month"])
    data["generated_on"] = today
    return data


def render_monthly_report(data: Record) -> bytes:
    """The monthly report as a PDF (needs a request context for the language)."""
    return render_pdf(TEMPLATE, report=data)
