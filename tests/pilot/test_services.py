"""Designating pilot units and keeping the pilot's stages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from casework.core.audit import AuditEntry
from casework.core.clock import local_today
from casework.extensions import db
from casework.orgs.models import UnitKind
from casework.pilot import services
from casework.pilot.models import PilotKind, PilotLevel, PilotStage
from tests.factories import BureauFactory, BureauViewerFactory, CentreFactory, StationFactory
from tests.pilot.conftest import CONTACTS, Province, designate


def test_the_province_designates_province_level_pilots(province: Province) -> None:
    pilot = designate(province.viewer, province.institution, PilotKind.INSTITUTION)
    assert pilot.level is PilotLevel.PROVINCE


def test_a_city_designates_city_level_pilots(province: Province) -> None:
    pilot = designate(province.city_a_viewer, province.station_a)
    assert pilot.level is PilotLevel.CITY


def test_a_county_bureau_designates_county_level_pilots(province: Province) -> None:
    county = BureauFactory(parent=province.city_a, kind=UnitKind.COUNTY_BUREAU)
    station = StationFactory(parent=CentreFactory(parent=county))
    pilot = designate(BureauViewerFactory(unit=county), station)
    assert (pilot.level, pilot.designated_by_unit_id) == (PilotLevel.COUNTY, county.id)


def test_a_withdrawn_unit_can_be_designated_again(province: Province) -> None:
    first = designate(province.viewer, province.station_a)
    services.withdraw(actor=province.viewer, pilot=first, on=local_today())
    db.session.commit()
    again = designate(province.viewer, province.station_a)
    assert again.id != first.id
    assert (again.is_active, first.is_active) == (True, False)


def test_a_designation_made_meanwhile_is_refused_as_already_a_pilot(
    province: Province, monkeypatch: pytest.MonkeyPatch
) -> None:
    designate(province.viewer, province.station_a)
    # Another request designated the unit after this one checked: the index refuses it.
    monkeypatch.setattr(services, "is_active_pilot", lambda unit: False)
    with pytest.raises(services.PilotError) as raised:
        designate(province.city_a_viewer, province.station_a)
    assert raised.value.code == "already_pilot"


def test_a_pilot_kind_must_fit_the_unit(province: Province) -> None:
    with pytest.raises(services.PilotError) as raised:
        designate(province.viewer, province.station_a, PilotKind.INSTITUTION)
    assert raised.value.code == "unit_kind"


def test_a_unit_is_designated_once(province: Province) -> None:
    designate(province.viewer, province.station_a)
    with pytest.raises(services.PilotError) as raised:
        designate(province.city_a_viewer, province.station_a)
    assert raised.value.code == "already_pilot"


def test_withdrawing_keeps_the_record(province: Province) -> None:
    pilot = designate(province.viewer, province.city_a, PilotKind.AREA)
    services.withdraw(actor=province.viewer, pilot=pilot, on=local_today())
    db.session.commit()
    assert pilot.withdrawn_on == local_today()
    assert not pilot.is_active


def test_a_pilot_cannot_be_withdrawn_before_it_was_designated(province: Province) -> None:
    pilot = designate(province.viewer, province.city_a, PilotKind.AREA)
    with pytest.raises(services.PilotError) as raised:
        services.withdraw(
            actor=province.viewer, pilot=pilot, on=pilot.designated_on - timedelta(days=1)
        )
    assert raised.value.code == "withdrawn_before"


def test_the_audit_entry_names_no_responsible_person(province: Province) -> None:
    designate(province.viewer, province.station_a)
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "pilot_unit.designate")
    ).one()
    written = str(entry.details)
    for value in (CONTACTS.head_name, CONTACTS.head_phone, CONTACTS.contact_phone):
        assert value not in written


def test_the_plans_stages_run_from_april_2010_to_the_end_of_2015(province: Province) -> None:
    stages = services.stages_for(province.unit.id)
    assert (stages[0].starts_on, stages[-1].ends_on) == (date(2010, 4, 27), date(2015, 12, 31))


@pytest.mark.parametrize(
    ("today", "position"),
    [
        (date(2010, 4, 26), None),
        (date(2010, 6, 1), 0),
        (date(2014, 1, 1), 2),
        (date(2016, 1, 1), None),
    ],
)
def test_the_current_stage_follows_the_date(
    province: Province, today: date, position: int | None
) -> None:
    stages = services.stages_for(province.unit.id)
    expected = None if position is None else stages[position]
    assert services.current_stage(stages, today) == expected


def test_changing_a_stage_stores_the_plans_stages_first(province: Province) -> None:
    stage = services.plan_stage(province.viewer, 2)
    assert stage is not None
    services.update_stage(
        actor=province.viewer,
        stage=stage,
        name="试点推进",
        starts_on=date(2011, 1, 1),
        ends_on=date(2012, 6, 30),
    )
    db.session.commit()
    names = [stage.name for stage in services.stages_for(province.unit.id)]
    assert len(names) == 3
    assert names[1] == "试点推进"


def test_the_last_stage_is_never_deleted(province: Province) -> None:
    for _number in range(2):
        stage = services.plan_stage(province.viewer, 1) or services.stage_of(
            province.viewer, services.stages_for(province.unit.id)[0].id or 0
        )
        assert stage is not None
        services.delete_stage(actor=province.viewer, stage=stage)
    last = services.stage_of(province.viewer, services.stages_for(province.unit.id)[0].id or 0)
    assert last is not None
    with pytest.raises(services.PilotError) as raised:
        services.delete_stage(actor=province.viewer, stage=last)
    assert raised.value.code == "last_stage"


def test_stages_may_not_overlap(province: Province) -> None:
    with pytest.raises(services.PilotError) as raised:
        services.add_stage(
            actor=province.viewer,
            name="总结推广",
            starts_on=date(2015, 6, 1),
            ends_on=date(2016, 12, 31),
        )
    assert raised.value.code == "stage_overlap"


def test_a_stage_ends_after_it_starts(province: Province) -> None:
    with pytest.raises(services.PilotError) as raised:
        services.add_stage(
            actor=province.viewer,
            name="总结推广",
            starts_on=date(2017, 1, 1),
            ends_on=date(2016, 1, 1),
        )
    assert raised.value.code == "stage_order"


def test_a_stage_is_added_after_the_plans(province: Province) -> None:
    services.add_stage(
        actor=province.viewer,
        name="总结推广",
        starts_on=date(2016, 1, 1),
        ends_on=date(2016, 12, 31),
    )
    db.session.commit()
    rows = db.session.scalars(
        select(PilotStage).where(PilotStage.province_id == province.unit.id)
    ).all()
    assert [row.name for row in rows][-1] == "总结推广"
    assert len(rows) == 4
