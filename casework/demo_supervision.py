"""Demo supervision records (督导记录): the tutor's sessions at the two stations she supervises.

The records themselves are data, in ``fixtures/demo/supervision.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from casework.accounts.models import User
from casework.cases.models import Case, RiskLevel
from casework.core.clock import local_today
from casework.extensions import db
from casework.orgs.models import Unit
from casework.supervision import services
from casework.supervision.models import SupervisionForm

RECORDS = Path(__file__).parent / "fixtures" / "demo" / "supervision.json"


def seed_supervision(units: Mapping[str, Unit], users: Mapping[str, User]) -> None:
    """The sessions of the data file, discussing each station's riskiest open cases; no commit."""
    tutor = users["tutor"]
    for record in json.loads(RECORDS.read_text(encoding="utf-8")):
        unit = units[record["station"]]
        cases = db.session.scalars(
            select(Case)
            .where(Case.unit_id == unit.id, Case.risk_level == RiskLevel.HIGH)
            .order_by(Case.opened_on)
            .limit(record["cases"])
        ).all()
        services.record_supervision(
            tutor=tutor,
            unit=unit,
            details=services.SupervisionDetails(
                held_on=local_today() - timedelta(days=record["days_ago"]),
                form=SupervisionForm.of(record["form"]),
                duration_minutes=record["minutes"],
                topics=record["topics"],
                advice=record["advice"],
                follow_up=record["follow_up"],
                place=record["place"],
            ),
            workers=[users[name] for name in record["workers"]],
            cases=list(cases),
        )
