"""One query per question about staff: the tutors of a unit, its front-line staff."""

from __future__ import annotations

from flask import Flask

from casework.accounts.queries import front_line_staff, tutors_of
from tests.factories import (
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)


def test_tutors_of_a_unit_are_the_active_tutors_supervising_it_by_name(app: Flask) -> None:
    station = StationFactory()
    TutorFactory(display_name="B 督导", supervised_units=[station])
    TutorFactory(display_name="A 督导", supervised_units=[station, StationFactory()])
    assert [tutor.display_name for tutor in tutors_of(station.id)] == ["A 督导", "B 督导"]


def test_a_tutor_of_another_unit_is_not_a_tutor_of_this_one(app: Flask) -> None:
    station = StationFactory()
    TutorFactory(supervised_units=[StationFactory()])
    assert tutors_of(station.id) == []


def test_a_disabled_tutor_is_not_offered(app: Flask) -> None:
    station = StationFactory()
    TutorFactory(supervised_units=[station], is_active=False)
    assert tutors_of(station.id) == []


def test_front_line_staff_are_the_active_workers_and_heads_of_the_units(app: Flask) -> None:
    station = StationFactory()
    worker = WorkerFactory(unit=station)
    head = StationHeadFactory(unit=station)
    WorkerFactory(unit=station, is_active=False)
    TutorFactory(unit=station)
    WorkerFactory()  # another station
    assert {user.id for user in front_line_staff([station.id])} == {worker.id, head.id}
