"""Demo supervision records (督导记录): the tutor's sessions at the stations she supervises."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from casework.accounts.models import User
from casework.cases.enums import RiskLevel
from casework.cases.models import Case
from casework.core.clock import local_today
from casework.demo.tables import UnitCode, Username
from casework.extensions import db
from casework.orgs.models import Unit
from casework.supervision import services
from casework.supervision.models import SupervisionForm


@dataclass(frozen=True)
class SupervisionSpec:
    tutor: Username
    station: UnitCode
    days_ago: int
    form: SupervisionForm
    minutes: int
    place: str
    workers: tuple[Username, ...]
    cases: int  # how many of the station's high-risk cases were discussed, oldest first
    topics: str
    advice: str
    follow_up: str


def seed_supervision(
    sessions: tuple[SupervisionSpec, ...], units: Mapping[str, Unit], users: Mapping[str, User]
) -> None:
    """The sessions of the data file, discussing each station's riskiest open cases; no commit."""
    for record in sessions:
        unit = units[record.station]
        cases = db.session.scalars(
            select(Case)
            .where(Case.unit_id == unit.id, Case.risk_level == RiskLevel.HIGH)
            .order_by(Case.opened_on)
            .limit(record.cases)
        ).all()
        services.record_supervision(
            tutor=users[record.tutor],
            unit=unit,
            details=services.SupervisionDetails(
                held_on=local_today() - timedelta(days=record.days_ago),
                form=record.form,
                duration_minutes=record.minutes,
                topics=record.topics,
                advice=record.advice,
                follow_up=record.follow_up,
                place=record.place,
            ),
            workers=[users[name] for name in record.workers],
            cases=list(cases),
        )
