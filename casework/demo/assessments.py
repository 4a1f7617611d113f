"""Demo annual assessments (年度考核): last year's, completed by the head, awaiting the
worker's sign-off."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from casework.accounts.models import User
from casework.core.clock import local_today
from casework.demo.tables import Username
from casework.worker_reports import services
from casework.worker_reports.models import AssessmentGrade


@dataclass(frozen=True)
class AssessmentSpec:
    worker: Username
    head: Username
    years_ago: int
    grade: AssessmentGrade
    strengths: str
    improvements: str
    comments: str


def seed_assessments(specs: tuple[AssessmentSpec, ...], users: Mapping[str, User]) -> None:
    """Each assessment completed by the head with that year's figures; no commit."""
    for spec in specs:
        services.save_assessment(
            actor=users[spec.head],
            worker=users[spec.worker],
            year=local_today().year - spec.years_ago,
            judgement=services.Judgement(
                grade=spec.grade,
                strengths=spec.strengths,
                improvements=spec.improvements,
                comments=spec.comments,
            ),
            complete=True,
        )
