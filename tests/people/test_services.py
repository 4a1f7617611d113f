"""Registering service users, finding possible duplicates, and the reference tags."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from casework.extensions import db
from casework.people import services
from casework.people.models import ConsentBasis, Gender, ServiceUser, VulnerabilityTag
from casework.people.permissions import people_visible_to
from casework.people.services import PersonDetails, PersonError
from tests.factories import ServiceUserFactory, StationFactory, WorkerFactory, make_id_number

BORN = date(1962, 7, 8)


def details(**overrides: Any) -> PersonDetails:
    values: dict[str, Any] = {
        "name": "王秀兰",
        "gender": Gender.FEMALE,
        "birth_date": None,
        "id_number": make_id_number(BORN, serial=246),
        "phone": "13912345678",
        "address": "南关区民康路 3 号",
        "notes": None,
        "consent_given_on": date(2026, 11, 2),
        "consent_basis": ConsentBasis.WRITTEN,
        "tags": [],
    }
    return PersonDetails(**(values | overrides))


def test_register_person_rejects_an_invalid_id_number(app: Flask) -> None:
    worker = WorkerFactory()
    valid = make_id_number(BORN, serial=246)
    wrong_check = valid[:17] + ("0" if valid[17] != "0" else "1")
    with pytest.raises(PersonError, match="invalid_id_number"):
        services.register_person(
            actor=worker, unit=worker.unit, details=details(id_number=wrong_check)
        )
    assert db.session.scalar(select(func.count()).select_from(ServiceUser)) == 0


def test_register_person_takes_the_birth_date_from_the_id_number(app: Flask) -> None:
    worker = WorkerFactory()
    person = services.register_person(actor=worker, unit=worker.unit, details=details())
    db.session.commit()
    assert person.birth_date == BORN


def test_register_person_rejects_a_birth_date_that_contradicts_the_id_number(
    app: Flask,
) -> None:
    worker = WorkerFactory()
    with pytest.raises(PersonError, match="birth_date_mismatch"):
        services.register_person(
            actor=worker, unit=worker.unit, details=details(birth_date=date(1962, 8, 7))
        )


def test_register_person_accepts_the_birth_date_the_id_number_encodes(app: Flask) -> None:
    worker = WorkerFactory()
    person = services.register_person(
        actor=worker, unit=worker.unit, details=details(birth_date=BORN)
    )
    assert person.birth_date == BORN


def test_register_person_stores_the_normalised_id_number(app: Flask) -> None:
    worker = WorkerFactory()
    person = services.register_person(
        actor=worker, unit=worker.unit, details=details(id_number=" 11010519491231002x ")
    )
    assert person.id_number == "11010519491231002X"


def test_register_person_keeps_a_typed_birth_date_without_id_number(app: Flask) -> None:
    worker = WorkerFactory()
    person = services.register_person(
        actor=worker, unit=worker.unit, details=details(id_number=None, birth_date=BORN)
    )
    assert (person.id_number, person.birth_date) == (None, BORN)


def test_register_person_stores_a_blank_id_number_as_none(app: Flask) -> None:
    worker = WorkerFactory()
    person = services.register_person(
        actor=worker, unit=worker.unit, details=details(id_number="   ", birth_date=BORN)
    )
    assert person.id_number is None


def test_register_person_records_who_took_the_consent(app: Flask) -> None:
    worker = WorkerFactory()
    person = services.register_person(actor=worker, unit=worker.unit, details=details())
    assert (person.unit_id, person.created_by_id, person.consent_recorded_by_id) == (
        worker.unit_id,
        worker.id,
        worker.id,
    )


def test_duplicate_is_found_by_id_number(app: Flask) -> None:
    station = StationFactory()
    number = make_id_number(BORN, serial=246)
    existing = ServiceUserFactory(unit=station, name="王秀兰", birth_date=BORN, id_number=number)
    ServiceUserFactory(unit=station)
    found = services.find_possible_duplicates(
        people_visible_to(WorkerFactory(unit=station)),
        name="王秋兰",  # a typing slip in the name; the number still matches
        birth_date=None,
        id_number=number.lower(),
    )
    assert found == [existing]


def test_duplicate_is_found_by_name_and_birth_date(app: Flask) -> None:
    station = StationFactory()
    existing = ServiceUserFactory(unit=station, name="王秀兰", birth_date=BORN, id_number=None)
    ServiceUserFactory(unit=station, name="王秀兰", birth_date=date(1970, 1, 1), id_number=None)
    found = services.find_possible_duplicates(
        people_visible_to(WorkerFactory(unit=station)),
        name=" 王秀兰 ",
        birth_date=BORN,
        id_number=None,
    )
    assert found == [existing]


def test_duplicate_in_another_station_is_not_returned(app: Flask) -> None:
    here, elsewhere = StationFactory(), StationFactory()
    number = make_id_number(BORN, serial=246)
    ServiceUserFactory(unit=elsewhere, name="王秀兰", birth_date=BORN, id_number=number)
    found = services.find_possible_duplicates(
        people_visible_to(WorkerFactory(unit=here)),
        name="王秀兰",
        birth_date=BORN,
        id_number=number,
    )
    assert found == []


def test_no_duplicates_are_searched_without_number_or_birth_date(app: Flask) -> None:
    station = StationFactory()
    ServiceUserFactory(unit=station, name="王秀兰")
    found = services.find_possible_duplicates(
        people_visible_to(WorkerFactory(unit=station)),
        name="王秀兰",
        birth_date=None,
        id_number=None,
    )
    assert found == []


def test_load_default_tags_adds_every_default_tag(app: Flask) -> None:
    added = services.load_default_tags()
    db.session.commit()
    names = db.session.scalars(select(VulnerabilityTag.name).order_by(VulnerabilityTag.position))
    assert added == len(services.DEFAULT_TAGS)
    assert tuple(names) == services.DEFAULT_TAGS


def test_load_default_tags_is_idempotent(app: Flask) -> None:
    services.load_default_tags()
    db.session.commit()
    added_again = services.load_default_tags()
    db.session.commit()
    count = db.session.scalar(select(func.count()).select_from(VulnerabilityTag))
    assert (added_again, count) == (0, len(services.DEFAULT_TAGS))


def test_load_default_tags_adds_only_the_missing_ones(app: Flask) -> None:
    services.add_tag(actor=None, name="低保")
    db.session.commit()
    assert services.load_default_tags() == len(services.DEFAULT_TAGS) - 1
