"""Read-only questions: what a project or agency page and their exports show."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.accounts.models import User
from casework.extensions import db
from casework.orgs.models import BUREAU_KINDS, Unit, UnitKind
from casework.orgs.services import units_in_subtree
from casework.projects.models import Agency, Project, ProjectEvaluation
from casework.projects.permissions import agencies_visible_to, projects_visible_to
from casework.projects.services import tenth
from casework.workforce.statistics import WorkforceCounts, counts_of


def yuan(fen: int) -> str:
    """An amount in fen as yuan with two decimals and thousands separators."""
    return f"{Decimal(fen) / 100:,.2f}"


def visible_projects(user: User) -> list[Project]:
    return list(
        db.session.scalars(
            projects_visible_to(user)
            .options(
                selectinload(Project.agency).selectinload(Agency.unit),
                selectinload(Project.purchaser),
                selectinload(Project.units),
                selectinload(Project.deliverables),
                selectinload(Project.funds),
            )
            .order_by(Project.starts_on.desc(), Project.id.desc())
        )
    )


def visible_agencies(user: User) -> list[Agency]:
    return list(
        db.session.scalars(
            agencies_visible_to(user)
            .join(Agency.unit)
            .options(selectinload(Agency.unit))
            .order_by(Unit.path)
        )
    )


def projects_by_agency(agencies: Sequence[Agency], user: User) -> dict[int, list[Project]]:
    """Each agency's projects the user may open, the latest first.

    A county sees an agency registered with the city above it, but not the city's own
    contracts with that agency: every list, sum and result of an agency goes through here.
    """
    found: dict[int, list[Project]] = {agency.id: [] for agency in agencies}
    if not found:
        return found
    projects = db.session.scalars(
        projects_visible_to(user)
        .where(Project.agency_id.in_(found))
        .options(selectinload(Project.funds), selectinload(Project.units))
        .order_by(Project.starts_on.desc(), Project.id.desc())
    )
    for project in projects:
        found[project.agency_id].append(project)
    return found


def agency_projects(agency: Agency, user: User) -> list[Project]:
    """The agency's projects the user may open (see ``projects_by_agency``)."""
    return projects_by_agency([agency], user)[agency.id]


def bureaus_of(user: User) -> list[Unit]:
    """The bureaus of the user's subtree: purchasers and parents of new agencies."""
    return [unit for unit in units_in_subtree(user.unit) if unit.kind in BUREAU_KINDS]


def agency_units_without_record(user: User) -> list[Unit]:
    """Agency units of the subtree not yet registered as an agency."""
    registered = set(db.session.scalars(select(Agency.unit_id)))
    return [
        unit
        for unit in units_in_subtree(user.unit)
        if unit.kind is UnitKind.AGENCY and unit.id not in registered
    ]


def service_units_of(user: User) -> list[Unit]:
    """Stations, centres and institutions a project may cover."""
    kinds = (UnitKind.STATION, UnitKind.CENTRE, UnitKind.INSTITUTION)
    return [unit for unit in units_in_subtree(user.unit) if unit.kind in kinds]


def agency_unit_ids(agency: Agency) -> list[int]:
    """The agency's unit and those under it: the units its staff figures add up."""
    return [unit.id for unit in units_in_subtree(agency.unit)]


def staff_counts(agency: Agency, today: date) -> WorkforceCounts:
    """The agency's staff in post and certified workers (``workforce.*``)."""
    return counts_of(agency_unit_ids(agency), year=today.year, today=today)


@dataclass(frozen=True)
class YearResult:
    year: int
    evaluations: list[ProjectEvaluation]

    @property
    def average(self) -> Decimal:
        total = sum((item.total for item in self.evaluations), Decimal(0))
        return tenth(total / len(self.evaluations))


def results_by_year(projects: Sequence[Project]) -> list[YearResult]:
    """The evaluations of ``projects`` (an agency's, from ``agency_projects``) grouped by
    year, the latest year first."""
    if not projects:
        return []
    evaluations = db.session.scalars(
        select(ProjectEvaluation)
        .where(ProjectEvaluation.project_id.in_([project.id for project in projects]))
        .options(selectinload(ProjectEvaluation.project))
        .order_by(ProjectEvaluation.evaluated_on.desc(), ProjectEvaluation.id.desc())
    )
    by_year: dict[int, list[ProjectEvaluation]] = defaultdict(list)
    for evaluation in evaluations:
        by_year[evaluation.evaluated_on.year].append(evaluation)
    return [YearResult(year, items) for year, items in sorted(by_year.items(), reverse=True)]


def stations_run(projects: Sequence[Project]) -> list[Unit]:
    """The units ``projects`` (an agency's, from ``agency_projects``) cover, each once."""
    seen: dict[int, Unit] = {}
    for project in projects:
        for unit in project.units:
            seen.setdefault(unit.id, unit)
    return sorted(seen.values(), key=lambda unit: unit.path)
