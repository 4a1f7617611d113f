"""A city bureau buying services from an agency for station 湖西."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from casework.orgs.models import Unit
from casework.projects.models import Agency
from tests.factories import (
    AgencyFactory,
    BureauFactory,
    BureauViewerFactory,
    CentreFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)


@dataclass
class Setting:
    bureau: Unit
    viewer: Any
    station: Unit
    head: Any
    worker: Any
    tutor: Any
    agency: Agency


@pytest.fixture
def setting() -> Setting:
    bureau = BureauFactory(name="长春市民政局")
    centre = CentreFactory(parent=bureau, name="朝阳区社会工作服务中心")
    station = StationFactory(parent=centre, name="湖西社区社会工作服务站")
    return Setting(
        bureau=bureau,
        viewer=BureauViewerFactory(unit=bureau),
        station=station,
        head=StationHeadFactory(unit=station),
        worker=WorkerFactory(unit=station),
        tutor=TutorFactory(unit=station, supervised_units=[station]),
        agency=AgencyFactory(bureau=bureau, name="长春市阳光社会工作服务中心"),
    )
