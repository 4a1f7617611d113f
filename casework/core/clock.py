"""Today's date where the stations are (Asia/Shanghai), not where the server's clock is."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, g, has_app_context

DEFAULT_TIMEZONE = "Asia/Shanghai"


def local_timezone() -> ZoneInfo:
    name = (
        current_app.config.get("BABEL_DEFAULT_TIMEZONE", DEFAULT_TIMEZONE)
        if has_app_context()
        else DEFAULT_TIMEZONE
    )
    return ZoneInfo(name)


def local_today() -> date:
    return datetime.now(local_timezone()).date()


# --- working days ----------------------------------------------------------------------------

HOLIDAYS_FILE = Path(__file__).with_name("data") / "holidays.toml"
INSTANCE_HOLIDAYS_FILE = "holidays.toml"


@dataclass(frozen=True)
class WorkCalendar:
    """Public holidays and make-up working days (调休) by year (``data/holidays.toml``)."""

    holidays: frozenset[date]
    workdays: frozenset[date]
    years: frozenset[int]

    def is_working_day(self, day: date) -> bool:
        return day in self.workdays or (day.weekday() < 5 and day not in self.holidays)


@lru_cache(maxsize=8)
def _calendar_from(paths: tuple[str, ...]) -> WorkCalendar:
    """The calendars of ``paths`` merged; a later file replaces the years it names."""
    years: dict[int, dict[str, list[date]]] = {}
    for path in paths:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
        for year, entry in data.items():
            years[int(year)] = {
                kind: [date.fromisoformat(str(day)) for day in entry.get(kind, [])]
                for kind in ("holidays", "workdays")
            }
    return WorkCalendar(
        holidays=frozenset(day for entry in years.values() for day in entry["holidays"]),
        workdays=frozenset(day for entry in years.values() for day in entry["workdays"]),
        years=frozenset(years),
    )


def work_calendar() -> WorkCalendar:
    """The shipped calendar, extended by ``instance/holidays.toml`` where there is one.

    Looked up once per request: a statistics page asks for it for every request it times,
    and the instance file is only looked for on disk the first time.
    """
    if not has_app_context():
        return _calendar_from((str(HOLIDAYS_FILE),))
    found: WorkCalendar | None = g.get("work_calendar")
    if found is None:
        paths = [str(HOLIDAYS_FILE)]
        extra = Path(current_app.instance_path) / INSTANCE_HOLIDAYS_FILE
        if extra.exists():
            paths.append(str(extra))
        found = g.work_calendar = _calendar_from(tuple(paths))
    return found


def missing_schedule_year(today: date) -> int | None:
    """This year, or in December next year, when its holiday schedule is not known yet."""
    years = work_calendar().years
    if today.year not in years:
        return today.year
    if today.month == 12 and today.year + 1 not in years:
        return today.year + 1
    return None


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start``: Monday to Friday except public
    holidays, plus the weekend days worked in their place (调休)."""
    return _add_working_days(start, days, work_calendar())


@lru_cache(maxsize=4096)  # a pure function, called per request in the statistics
def _add_working_days(start: date, days: int, calendar: WorkCalendar) -> date:
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            remaining -= 1
    return current


def working_days_before(end: date, days: int) -> date:
    """The date ``days`` working days before ``end`` (the inverse of add_working_days)."""
    calendar = work_calendar()
    current = end
    remaining = days
    while remaining > 0:
        current -= timedelta(days=1)
        if calendar.is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    calendar = work_calendar()
    return sum(
        1
        for offset in range(1, max((end - start).days, 0) + 1)
        if calendar.is_working_day(start + timedelta(days=offset))
    )


def local_date(moment: datetime, zone: ZoneInfo | None = None) -> date:
    """The calendar date of ``moment`` in ``zone``, by default the stations' time zone.

    A naive ``moment`` is taken as UTC. Pass ``zone`` from ``local_timezone()`` when
    converting many moments.
    """
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone or local_timezone()).date()


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive time is taken to be UTC already."""
    # SQLite drops the offset: 14:30+08:00 stored as it is would come back as 14:30 UTC.
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment
