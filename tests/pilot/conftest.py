"""A province with two cities, each with a street centre and a station, and a pilot helper."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask

from casework.accounts.models import User
from casework.core.clock import local_today
from casework.extensions import db
from casework.orgs.models import Unit, UnitKind
from casework.pilot import services
from casework.pilot.models import PilotKind, PilotUnit
from tests.factories import (
    BureauFactory,
    BureauViewerFactory,
    CentreFactory,
    CertificateFactory,
    StationFactory,
    StationHeadFactory,
    UnitFactory,
    WorkerProfileFactory,
)

CONTACTS = services.Contacts(
    head_name="孙志强",
    head_post="局长",
    head_phone="13912345678",
    contact_name="周晓燕",
    contact_post="人事处处长",
    contact_phone="13887654321",
)


def designate(
    actor: User,
    unit: Unit,
    kind: PilotKind = PilotKind.COMMUNITY,
    designated_on: date | None = None,
) -> PilotUnit:
    pilot = services.designate(
        actor=actor,
        unit=unit,
        kind=kind,
        designated_on=designated_on or local_today() - timedelta(days=30),
        contacts=CONTACTS,
    )
    db.session.commit()
    return pilot


def certify(unit: Unit, count: int) -> None:
    """``count`` workers at ``unit`` with a certificate each."""
    for _index in range(count):
        CertificateFactory(profile=WorkerProfileFactory(unit=unit))


@dataclass
class Province:
    unit: Unit
    viewer: Any
    city_a: Unit
    city_b: Unit
    centre_a: Unit
    station_a: Unit
    station_b: Unit
    institution: Unit
    city_a_viewer: Any
    head_a: Any


@pytest.fixture
def province(app: Flask) -> Province:
    unit = UnitFactory(kind=UnitKind.PROVINCE_BUREAU, name="测试省民政厅")
    city_a = BureauFactory(parent=unit, name="甲市民政局")
    city_b = BureauFactory(parent=unit, name="乙市民政局")
    centre_a = CentreFactory(parent=city_a, name="甲街道中心")
    station_a = StationFactory(parent=centre_a, name="甲社区站")
    station_b = StationFactory(parent=CentreFactory(parent=city_b), name="乙社区站")
    institution = UnitFactory(kind=UnitKind.INSTITUTION, parent=unit, name="省社会福利院")
    return Province(
        unit=unit,
        viewer=BureauViewerFactory(unit=unit),
        city_a=city_a,
        city_b=city_b,
        centre_a=centre_a,
        station_a=station_a,
        station_b=station_b,
        institution=institution,
        city_a_viewer=BureauViewerFactory(unit=city_a),
        head_a=StationHeadFactory(unit=station_a),
    )
