"""The period of a summary: a month (``?period=2026-11``) or a year (``?year=2026``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from casework.reports.periods import PeriodError, add_months, month_label, month_period, parse_month

EARLIEST_YEAR = 2000
LATEST_YEAR = 2099


@dataclass(frozen=True)
class SummaryPeriod:
    """A month or a year, with the one before it."""

    start: date
    end: date
    is_year: bool

    @property
    def label(self) -> str:
        return _("%(year)d年", year=self.start.year) if self.is_year else month_label(self.start)

    @property
    def previous(self) -> SummaryPeriod:
        if self.is_year:
            return year_period(self.start.year - 1)
        first = add_months(self.start, -1)
        return SummaryPeriod(first, month_period(first).end, is_year=False)

    @property
    def next(self) -> SummaryPeriod:
        if self.is_year:
            return year_period(self.start.year + 1)
        first = add_months(self.start, 1)
        return SummaryPeriod(first, month_period(first).end, is_year=False)

    @property
    def query(self) -> dict[str, str]:
        """The query-string arguments that name this period."""
        if self.is_year:
            return {"year": str(self.start.year)}
        return {"period": self.start.strftime("%Y-%m")}


def year_period(year: int) -> SummaryPeriod:
    return SummaryPeriod(date(year, 1, 1), date(year, 12, 31), is_year=True)


def parse_year(text: str) -> int:
    """A year written ``2026``, between 2000 and 2099."""
    value = text.strip()
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        raise PeriodError(_("年份格式不正确，请按 2026 的格式填写。"))
    year = int(value)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise PeriodError(
            _("年份须在 %(first)d 至 %(last)d 之间。", first=EARLIEST_YEAR, last=LATEST_YEAR)
        )
    return year


def summary_period(month_text: str | None, year_text: str | None, today: date) -> SummaryPeriod:
    """The period the query string names; this month when it names none."""
    if year_text:
        return year_period(parse_year(year_text))
    if month_text:
        first = parse_month(month_text)
        return SummaryPeriod(first, month_period(first).end, is_year=False)
    this_month = month_period(today)
    return SummaryPeriod(this_month.start, this_month.end, is_year=False)
