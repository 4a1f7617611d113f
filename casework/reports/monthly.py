"""The figures of a unit subtree as a report: plain data for the statistics page and the
monthly report (月报) PDF, and the periods they cover.

Everything here is strings, numbers, dates and chart markup, never ORM objects. For
aggregate-only users every count of 1 to 4 reads "<5", and a share, rate or response time
worked out from such a count reads "—": it would give the hidden count away.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from casework.cases.enums import CaseSource, ClosureType, RiskLevel, ServiceDomain, ServiceForm
from casework.cases.models import COMMUNITY_DOMAINS
from casework.core.numbers import format_number
from casework.core.pdf import render_pdf
from casework.helpdesk.models import Channel, RequestCategory, RequestStatus
from casework.orgs.models import Unit
from casework.reports import statistics
from casework.reports.periods import (
    Period,
    add_months,
    month_label,
    month_period,
)
from casework.reports.sections import (
    TREND_MONTHS,
    Figures,
    Record,
    Shown,
    case_section,
    group_section,
    headline_cell,
    open_cases_label,
    request_section,
    service_section,
    volunteer_section,
    workforce_section,
)
from casework.workforce.models import CertificateLevel
from casework.workforce.statistics import counts_of

TEMPLATE = "reports/monthly_pdf.html"

# The PDF's font stack (static/css/pdf.css): WeasyPrint does not pass CSS fonts into SVG.
PDF_FONT_FAMILY = '"Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", sans-serif'


# --- the report ----------------------------------------------------------------------------


def _fetch(unit_ids: list[int], period: Period, today: date) -> Figures:
    start, end = period.start, period.end
    cases = statistics.case_figures(unit_ids, start, end)
    # 在案 at the period's end, or today when the period has not ended yet.
    open_on = min(end, today)
    trend_start = add_months(end, 1 - TREND_MONTHS)
    return Figures(
        cases=cases,
        open_cases=statistics.open_case_count(unit_ids, open_on),
        open_on=open_on,
        services=statistics.service_figures(unit_ids, start, end),
        groups=statistics.group_figures(unit_ids, start, end),
        activities=statistics.activity_figures(unit_ids, start, end),
        volunteers=statistics.volunteer_figures(unit_ids, start, end),
        requests=statistics.request_figures(unit_ids, start, end, today=today),
        workforce=counts_of(unit_ids, year=end.year, today=today),
        trend=statistics.monthly_trend(unit_ids, trend_start, TREND_MONTHS),
        trend_start=trend_start,
        end=end,
        domains=[
            domain
            for domain in ServiceDomain
            if domain in COMMUNITY_DOMAINS or cases.opened_by_domain.get(domain)
        ],
    )


def _register_breakdowns(figures: Figures, shown: Shown) -> None:
    """Every breakdown the report shows next to its total, for complementary suppression."""
    cases, requests, services = figures.cases, figures.requests, figures.services
    opened, closed = ("cases.opened", cases.opened), ("cases.closed", cases.closed)
    submitted = ("requests.submitted", requests.submitted)
    shown.breakdown("cases.domain", cases.opened_by_domain, figures.domains, *opened)
    shown.breakdown("cases.source", cases.opened_by_source, CaseSource, *opened)
    shown.breakdown("cases.risk", cases.opened_by_risk, RiskLevel, *opened)
    shown.breakdown("cases.closure", cases.closed_by_type, ClosureType, *closed)
    shown.breakdown(
        "services.records",
        services.records_by_form,
        ServiceForm,
        "services.records",
        services.records,
    )
    shown.breakdown("requests.category", requests.by_category, RequestCategory, *submitted)
    shown.breakdown("requests.channel", requests.by_channel, Channel, *submitted)
    shown.breakdown("requests.period_status", requests.by_status, RequestStatus, *submitted)
    workforce = figures.workforce
    shown.breakdown(
        "workforce.level",
        {level: workforce.by_level(level) for level in CertificateLevel},
        CertificateLevel,
        "workforce.certified",
        workforce.certified,
    )
    shown.seal()


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
    figures = _fetch(unit_ids, period, today)
    shown = Shown(aggregate_only)
    _register_breakdowns(figures, shown)
    cases, services = figures.cases, figures.services
    open_label = open_cases_label(figures.open_on)
    headline = [
        headline_cell("cases.opened", _l("新开个案"), shown.count(cases.opened)),
        headline_cell("cases.closed", _l("结案个案"), shown.count(cases.closed)),
        headline_cell("cases.open", open_label, shown.count(figures.open_cases)),
        headline_cell("services.records", _l("服务记录（次）"), shown.count(services.records)),
        headline_cell("services.hours", _l("服务时长（小时）"), format_number(services.hours)),
        headline_cell(
            "groups.sessions", _l("小组活动（节）"), shown.count(figures.groups.sessions_held)
        ),
        headline_cell(
            "activities.count", _l("社区活动（场）"), shown.count(figures.activities.activities)
        ),
        headline_cell(
            "requests.submitted", _l("居民求助（件）"), shown.count(figures.requests.submitted)
        ),
        headline_cell(
            "volunteers.hours", _l("志愿服务时长（小时）"), format_number(figures.volunteers.hours)
        ),
    ]
    return {
        "unit": unit.name,
        "unit_count": len(unit_ids),
        "start": period.start,
        "end": period.end,
        "aggregate_only": aggregate_only,
        "headline": headline,
        "sections": [
            case_section(figures, open_label, shown, font_family),
            service_section(services, shown),
            group_section(figures.groups, figures.activities, shown),
            request_section(figures.requests, shown, font_family),
            volunteer_section(figures.volunteers, shown),
            workforce_section(figures.workforce, shown),
        ],
    }


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
