"""Report periods: a month, a quarter, a year or any range up to three years, parsed from
the page's fields with a clear message when they cannot be used."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _

EARLIEST = date(2000, 1, 1)


LATEST = date(2099, 12, 31)


MAX_YEARS = 3


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


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
        raise PeriodError(
            ngettext(
                "统计期间最长 %(num)s 年，请缩短日期范围。",
                "统计期间最长 %(num)s 年，请缩短日期范围。",
                MAX_YEARS,
            )
        )
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


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` months after (or, if negative, before) ``day``'s."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _is_chinese() -> bool:
    return str(get_locale() or "zh").startswith("zh")


def month_label(month: date) -> str:
    """``2026年11月`` (``November 2026`` in English)."""
    return str(format_date(month, "y年M月" if _is_chinese() else "MMMM y"))


def short_month_label(month: date) -> str:
    return f"{month.month}月" if _is_chinese() else str(format_date(month, "MMM"))


# The kinds of period the dashboards offer, by their name in the query string.
PERIOD_KINDS = ("month", "quarter", "year")


def period_containing(kind: str, day: date) -> Period:
    """The calendar month, quarter or year (``PERIOD_KINDS``) that contains ``day``."""
    if kind == "year":
        return Period(date(day.year, 1, 1), date(day.year, 12, 31))
    if kind == "quarter":
        first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return Period(first, month_period(add_months(first, 2)).end)
    return month_period(day)
