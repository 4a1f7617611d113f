"""Where each city stands: pilot units and certified workers against the city's target."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from casework.core.clock import local_today
from casework.extensions import db
from casework.orgs.models import UnitKind
from casework.pilot import progress, services
from casework.pilot.models import PilotKind
from casework.workforce import services as workforce_services
from casework.workforce.services import Target
from tests.factories import BureauFactory, BureauViewerFactory, CentreFactory, StationFactory
from tests.pilot.conftest import Province, certify, designate

START = date(2010, 4, 27)
DUE = date(2015, 12, 31)


@pytest.mark.parametrize(
    ("certified", "target", "today", "pace"),
    [
        (10, None, date(2012, 1, 1), progress.Pace.NO_TARGET),
        (100, Target(100, DUE), date(2012, 1, 1), progress.Pace.REACHED),
        (10, Target(100, None), date(2012, 1, 1), progress.Pace.NO_DEADLINE),
        (10, Target(100, DUE), date(2016, 1, 1), progress.Pace.MISSED),
        (50, Target(100, DUE), date(2013, 1, 1), progress.Pace.ON_TRACK),
        (20, Target(100, DUE), date(2013, 1, 1), progress.Pace.BEHIND),
    ],
)
def test_pace_compares_with_a_steady_climb_to_the_deadline(
    certified: int, target: Target | None, today: date, pace: progress.Pace
) -> None:
    assert progress.pace(certified, target, START, today) is pace


def _area(board: progress.Overview, key: str) -> progress.Area:
    return next(area for area in board.areas if area.key == key)


def test_each_city_lists_its_own_pilot_units(province: Province) -> None:
    designate(province.viewer, province.station_a)
    designate(province.viewer, province.institution, PilotKind.INSTITUTION)
    board = progress.overview(province.viewer, local_today())
    assert [p.unit_id for p in _area(board, f"c{province.city_a.id}").pilots] == [
        province.station_a.id
    ]
    assert _area(board, f"c{province.city_b.id}").pilots == []
    assert [p.unit_id for p in _area(board, "other").pilots] == [province.institution.id]


def test_certifying_workers_raises_the_citys_figure(province: Province) -> None:
    certify(province.station_a, 2)
    before = _area(progress.overview(province.viewer, local_today()), f"c{province.city_a.id}")
    certify(province.station_a, 3)
    after = _area(progress.overview(province.viewer, local_today()), f"c{province.city_a.id}")
    assert (before.certified, after.certified) == (2, 5)


def test_a_city_without_its_own_target_has_the_plans(province: Province) -> None:
    board = progress.overview(province.viewer, local_today())
    assert _area(board, f"c{province.city_b.id}").target == workforce_services.target_for(
        province.city_b
    )
    assert _area(board, f"c{province.city_b.id}").target.is_default


def test_a_citys_target_is_its_workforce_target(province: Province) -> None:
    due = local_today() + timedelta(days=365)
    workforce_services.set_target(province.city_a, target=40, due_on=due, actor=province.viewer)
    db.session.commit()
    certify(province.station_a, 5)
    area = _area(progress.overview(province.viewer, local_today()), f"c{province.city_a.id}")
    assert area.target == Target(40, due)
    assert area.cells["share"] == "12.5%"


def test_a_target_set_today_is_not_already_behind(province: Province) -> None:
    due = local_today() + timedelta(days=365)
    workforce_services.set_target(province.city_a, target=40, due_on=due, actor=province.viewer)
    db.session.commit()
    area = _area(progress.overview(province.viewer, local_today()), f"c{province.city_a.id}")
    assert area.pace is progress.Pace.ON_TRACK


def test_the_climb_starts_with_the_pilot_when_the_target_was_set_before_it() -> None:
    target = Target(100, DUE, set_on=date(2009, 1, 1))
    assert progress.pace(20, target, START, date(2013, 1, 1)) is progress.Pace.BEHIND


def test_the_province_counts_its_own_institution_pilots(province: Province) -> None:
    designate(province.viewer, province.institution, PilotKind.INSTITUTION)
    board = progress.overview(province.viewer, local_today())
    assert board.province_institutions == 1


def test_cities_with_a_pilot_unit_are_counted(province: Province) -> None:
    designate(province.city_a_viewer, province.station_a)
    board = progress.overview(province.viewer, local_today())
    assert (board.cities_with_pilots, board.cities) == (1, 2)


def test_a_withdrawn_pilot_does_not_count_for_its_city(province: Province) -> None:
    pilot = designate(province.city_a_viewer, province.station_a)
    services.withdraw(actor=province.city_a_viewer, pilot=pilot, on=local_today())
    db.session.commit()
    board = progress.overview(province.viewer, local_today())
    assert board.cities_with_pilots == 0


def test_a_city_bureau_sees_its_own_city_only(province: Province) -> None:
    designate(province.viewer, province.station_b)
    board = progress.overview(province.city_a_viewer, local_today())
    assert [area.key for area in board.areas] == [f"c{province.city_a.id}"]


def test_small_counts_are_hidden_from_bureau_viewers(province: Province) -> None:
    certify(province.station_a, 2)
    certify(province.station_b, 6)
    board = progress.overview(province.viewer, local_today())
    assert _area(board, f"c{province.city_a.id}").cells["certified"] == "<5"
    assert _area(board, f"c{province.city_b.id}").cells["certified"] == "—"
    assert board.total_cell == "8"


def test_a_hidden_citys_share_of_its_target_is_hidden_too(province: Province) -> None:
    due = local_today() + timedelta(days=365)
    workforce_services.set_target(province.city_b, target=40, due_on=due, actor=province.viewer)
    db.session.commit()
    certify(province.station_a, 2)
    certify(province.station_b, 6)
    area = _area(progress.overview(province.viewer, local_today()), f"c{province.city_b.id}")
    assert (area.cells["certified"], area.cells["share"]) == ("—", "—")


def test_a_county_bureau_sees_its_county_as_one_area(province: Province) -> None:
    county = BureauFactory(parent=province.city_a, kind=UnitKind.COUNTY_BUREAU, name="丙县民政局")
    station = StationFactory(parent=CentreFactory(parent=county))
    designate(province.viewer, station)
    certify(station, 5)
    board = progress.overview(BureauViewerFactory(unit=county), local_today())
    assert [(area.unit, area.certified, len(area.pilots)) for area in board.areas] == [
        (county, 5, 1)
    ]
