"""A station with its tutor, two workers and a head, and a second station next door."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask

from casework.accounts.models import User
from casework.cases.models import Case
from casework.core.clock import local_today
from casework.extensions import db
from casework.orgs.models import Unit
from casework.supervision import services
from casework.supervision.models import SupervisionForm, SupervisionSession
from tests.factories import (
    CaseFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)


@dataclass
class Stations:
    station: Unit
    other: Unit
    tutor: User
    other_tutor: User
    worker: User
    colleague: User
    head: User
    other_worker: User
    other_head: User
    case: Case
    other_case: Case


@pytest.fixture
def stations(app: Flask) -> Stations:
    station = StationFactory()
    other = StationFactory()
    worker = WorkerFactory(unit=station, display_name="王芳")
    other_worker = WorkerFactory(unit=other, display_name="赵丽")
    return Stations(
        station=station,
        other=other,
        tutor=TutorFactory(unit=station.parent, supervised_units=[station], display_name="陈静"),
        other_tutor=TutorFactory(unit=other.parent, supervised_units=[other]),
        worker=worker,
        colleague=WorkerFactory(unit=station, display_name="张伟"),
        head=StationHeadFactory(unit=station, display_name="李红梅"),
        other_worker=other_worker,
        other_head=StationHeadFactory(unit=other),
        case=CaseFactory(
            worker=worker, service_user=ServiceUserFactory(unit=station), summary="低保家庭就业困难"
        ),
        other_case=CaseFactory(worker=other_worker, service_user=ServiceUserFactory(unit=other)),
    )


def details(**overrides: object) -> services.SupervisionDetails:
    values: dict[str, object] = {
        "held_on": local_today() - timedelta(days=1),
        "form": SupervisionForm.INDIVIDUAL,
        "duration_minutes": 90,
        "topics": "低保家庭个案的服务计划",
        "advice": "先处理就业需求，再处理家庭关系",
        "follow_up": "两周内完成家访",
        "place": "社工站会议室",
    }
    values.update(overrides)
    return services.SupervisionDetails(**values)  # type: ignore[arg-type]


def record(s: Stations, **overrides: object) -> SupervisionSession:
    """A session at ``s.station`` with ``s.worker`` about ``s.case``, through the service."""
    session = services.record_supervision(
        tutor=s.tutor,
        unit=s.station,
        details=details(**overrides),
        workers=[s.worker],
        cases=[s.case],
    )
    db.session.commit()
    return session
