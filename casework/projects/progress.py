"""How far a project has come: each deliverable counted live by the statistics' own figures.

Every count comes from the function the statistics page uses for it
(``reports.statistics``), over the covered units' subtrees and the contract period up to
today: one figure, one definition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select

from casework.accounts.models import User
from casework.core.numbers import format_number, one_decimal
from casework.extensions import db
from casework.orgs.models import Unit
from casework.orgs.reporting import is_aggregate_only, report_units_for
from casework.projects.models import DeliverableKind, Project
from casework.reports import statistics
from casework.reports.sections import NOT_SHOWN, Shown


def covered_unit_ids(project: Project) -> list[int]:
    """The covered units and everything under them."""
    if not project.units:
        return []
    return list(
        db.session.scalars(
            select(Unit.id).where(
                or_(*(Unit.path.startswith(unit.path, autoescape=True) for unit in project.units))
            )
        )
    )


def shown_to(user: User, unit_ids: Iterable[int]) -> Shown:
    """How figures adding up ``unit_ids`` are shown to ``user``: exact only when every one
    of those units is among the units whose figures the user may read exactly (a head of
    one covered station sees "<5" where another covered station's cases count too)."""
    if is_aggregate_only(user):
        return Shown(True)
    own = {unit.id for unit in report_units_for(user)}
    return Shown(not set(unit_ids) <= own)


def project_shown(user: User, project: Project) -> Shown:
    """How ``project``'s figures are shown to ``user`` (see ``shown_to``)."""
    return shown_to(user, covered_unit_ids(project))


def counted_period(project: Project, today: date) -> tuple[date, date] | None:
    """The part of the contract period that has begun, or None before it starts."""
    if today < project.starts_on:
        return None
    return project.starts_on, min(project.ends_on, today)


def time_elapsed_percent(project: Project, today: date) -> float:
    """The share of the contract's days that have passed, today included, in percent."""
    days = (project.ends_on - project.starts_on).days + 1
    passed = (min(today, project.ends_on) - project.starts_on).days + 1
    return one_decimal(100 * max(0, min(passed, days)) / days)


Reader = Callable[[list[int], date, date, date], float | int | None]


def _cases(attribute: str) -> Reader:
    def read(units: list[int], start: date, end: date, _today: date) -> int:
        return int(getattr(statistics.case_figures(units, start, end), attribute))

    return read


READERS: dict[DeliverableKind, Reader] = {
    DeliverableKind.CASES_OPENED: _cases("opened"),
    DeliverableKind.CASES_CLOSED: _cases("closed"),
    DeliverableKind.SERVICE_HOURS: lambda units, start, end, _today: (
        statistics.service_figures(units, start, end).hours
    ),
    DeliverableKind.GROUPS: lambda units, start, end, _today: (
        statistics.group_figures(units, start, end).groups_active
    ),
    DeliverableKind.GROUP_SESSIONS: lambda units, start, end, _today: (
        statistics.group_figures(units, start, end).sessions_held
    ),
    DeliverableKind.ACTIVITIES: lambda units, start, end, _today: (
        statistics.activity_figures(units, start, end).activities
    ),
    DeliverableKind.ACTIVITY_PARTICIPANTS: lambda units, start, end, _today: (
        statistics.activity_figures(units, start, end).participants
    ),
    DeliverableKind.VOLUNTEER_HOURS: lambda units, start, end, _today: (
        statistics.volunteer_figures(units, start, end).hours
    ),
    DeliverableKind.RESPONSE_HOURS: lambda units, start, end, today: (
        statistics.request_figures(units, start, end, today=today).hours_to_acknowledge_median
    ),
}


def _requests_submitted(units: list[int], start: date, end: date, today: date) -> int:
    """How many requests the response time is worked out from (``requests.submitted``)."""
    return statistics.request_figures(units, start, end, today=today).submitted


@dataclass(frozen=True)
class Progress:
    kind: DeliverableKind
    target: Decimal
    # None: nothing to count yet (before the contract starts, or no request answered).
    actual: float | int | None
    # The count a derived figure (the response time) is worked out from: the statistics
    # hide the figure from aggregate-only readers when this count is small.
    basis: int | None = None

    @property
    def percent(self) -> float | None:
        """How much of the target is reached (a ceiling: None, see ``is_met``)."""
        if self.kind.is_limit or self.actual is None:
            return None
        return one_decimal(100 * float(self.actual) / float(self.target))

    @property
    def is_met(self) -> bool:
        if self.actual is None:
            return False
        if self.kind.is_limit:
            return Decimal(str(self.actual)) <= self.target
        return Decimal(str(self.actual)) >= self.target

    def shown_actual(self, shown: Shown) -> str:
        """What the page and the exports show: counts through the suppression ("<5"), the
        response time hidden ("—") when worked out from a small count, as the statistics
        page does."""
        if self.actual is None:
            return NOT_SHOWN
        if self.kind.is_count:
            return shown.count(int(self.actual))
        if self.basis is not None:
            return shown.derived(float(self.actual), self.basis)
        return format_number(float(self.actual))

    def is_hidden(self, shown: Shown) -> bool:
        """Whether the reader may not see how far the deliverable is."""
        if self.actual is None:
            return False
        if self.kind.is_count:
            return shown.is_hidden(int(self.actual))
        return self.basis is not None and shown.is_hidden(self.basis)

    @property
    def bar_percent(self) -> float:
        """The width of the progress bar, 0–100."""
        if self.kind.is_limit:
            return 100.0 if self.is_met else 0.0
        return min(100.0, self.percent or 0.0)


def project_progress(project: Project, today: date) -> list[Progress]:
    """Each deliverable of ``project`` beside what the covered units did so far."""
    period = counted_period(project, today)
    units = covered_unit_ids(project) if period else []
    cache: dict[DeliverableKind, Any] = {}
    found = []
    for deliverable in project.deliverables:
        actual: float | int | None = None
        basis: int | None = None
        if period is not None:
            if deliverable.kind not in cache:
                cache[deliverable.kind] = READERS[deliverable.kind](units, *period, today)
            actual = cache[deliverable.kind]
            if deliverable.kind is DeliverableKind.RESPONSE_HOURS:
                basis = _requests_submitted(units, *period, today)
        found.append(Progress(deliverable.kind, deliverable.target, actual, basis))
    return found
