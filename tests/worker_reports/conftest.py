"""A station with its worker, a colleague, its head and tutor, and a second station."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from casework.accounts.models import User
from casework.orgs.models import Unit
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)


@dataclass
class Team:
    station: Unit
    other: Unit
    worker: User
    colleague: User
    head: User
    tutor: User
    other_worker: User
    other_head: User
    other_tutor: User
    viewer: User
    admin: User


@pytest.fixture
def team(app: Flask) -> Team:
    station = StationFactory()
    other = StationFactory()
    return Team(
        station=station,
        other=other,
        worker=WorkerFactory(unit=station, display_name="王芳"),
        colleague=WorkerFactory(unit=station, display_name="张伟"),
        head=StationHeadFactory(unit=station, display_name="李红梅"),
        tutor=TutorFactory(unit=station.parent, supervised_units=[station], display_name="陈静"),
        other_worker=WorkerFactory(unit=other, display_name="赵丽"),
        other_head=StationHeadFactory(unit=other),
        other_tutor=TutorFactory(unit=other.parent, supervised_units=[other]),
        viewer=BureauViewerFactory(unit=station.parent.parent or station.parent),
        admin=AdminFactory(),
    )
