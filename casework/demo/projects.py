"""Demo government-purchased services: one agency and its project for station 湖西."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from casework.accounts.models import User
from casework.core.clock import local_today
from casework.demo.tables import UnitCode, Username
from casework.orgs.models import Unit
from casework.projects import services
from casework.projects.models import DeliverableKind, FundSource, QualificationLevel


@dataclass(frozen=True)
class FundSpec:
    source: FundSource
    yuan: int
    days_ago: int


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    weight: int


@dataclass(frozen=True)
class SchemeSpec:
    bureau: UnitCode
    set_by: Username
    indicators: tuple[IndicatorSpec, ...]


@dataclass(frozen=True)
class EvaluationSpec:
    evaluator: str
    days_ago: int
    scores: tuple[float, ...]  # in the order of the scheme's indicators
    report: str


@dataclass(frozen=True)
class ProjectSpec:
    name: str
    contract_number: str
    purchaser: UnitCode
    units: tuple[UnitCode, ...]
    started_days_ago: int
    days: int
    budget_yuan: int
    funds: tuple[FundSpec, ...]
    targets: dict[DeliverableKind, float]
    evaluations: tuple[EvaluationSpec, ...] = ()


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    parent: UnitCode
    registered_by: Username
    credit_code: str
    registration_authority: str
    legal_representative: str
    founded_on: date
    qualification: QualificationLevel
    projects: tuple[ProjectSpec, ...]


def seed_projects(
    schemes: tuple[SchemeSpec, ...],
    agencies: tuple[AgencySpec, ...],
    units: Mapping[str, Unit],
    users: Mapping[str, User],
) -> None:
    """The bureaus' evaluation indicators, then the agencies of the data file with their
    projects, funds, targets and evaluations; no commit."""
    today = local_today()
    for scheme in schemes:
        services.set_indicators(
            actor=users[scheme.set_by],
            bureau=units[scheme.bureau],
            indicators=[(item.name, item.weight) for item in scheme.indicators],
        )
    for spec in agencies:
        actor = users[spec.registered_by]
        agency = services.create_agency(
            actor=actor,
            details=services.AgencyDetails(
                credit_code=spec.credit_code,
                registration_authority=spec.registration_authority,
                legal_representative=spec.legal_representative,
                founded_on=spec.founded_on,
                qualification=spec.qualification,
            ),
            new_unit_parent=units[spec.parent],
            new_unit_name=spec.name,
            new_unit_code=spec.code,
        )
        for item in spec.projects:
            starts_on = today - timedelta(days=item.started_days_ago)
            project = services.create_project(
                actor=actor,
                details=services.ProjectDetails(
                    name=item.name,
                    purchaser=units[item.purchaser],
                    agency=agency,
                    units=[units[code] for code in item.units],
                    contract_number=item.contract_number,
                    starts_on=starts_on,
                    ends_on=starts_on + timedelta(days=item.days - 1),
                    budget_fen=item.budget_yuan * 100,
                ),
            )
            for fund in item.funds:
                services.add_fund(
                    actor=actor,
                    project=project,
                    source=fund.source,
                    amount_fen=fund.yuan * 100,
                    received_on=today - timedelta(days=fund.days_ago),
                )
            services.set_targets(
                actor=actor,
                project=project,
                targets={kind: Decimal(str(value)) for kind, value in item.targets.items()},
            )
            indicators = services.active_indicators(project.purchaser)
            for evaluation in item.evaluations:
                services.record_evaluation(
                    actor=actor,
                    project=project,
                    evaluator=evaluation.evaluator,
                    evaluated_on=today - timedelta(days=evaluation.days_ago),
                    report=evaluation.report,
                    scores={
                        indicator.id: Decimal(str(score))
                        for indicator, score in zip(indicators, evaluation.scores, strict=True)
                    },
                )
