"""Who sees which cases and service users: cases_visible_to and people_visible_to."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from casework.accounts.models import User
from casework.cases.models import Case
from casework.cases.permissions import cases_visible_to
from casework.cases.services import grant_break_glass
from casework.extensions import db
from casework.orgs.models import Unit
from casework.people.models import ServiceUser
from casework.people.permissions import people_visible_to
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    CaseFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)


@dataclass
class Station:
    unit: Unit
    person: ServiceUser
    case: Case


def station_with_a_case() -> Station:
    unit = StationFactory()
    person = ServiceUserFactory(unit=unit)
    return Station(unit=unit, person=person, case=CaseFactory(service_user=person))


@pytest.fixture
def north(app: Flask) -> Station:
    return station_with_a_case()


@pytest.fixture
def south(app: Flask) -> Station:
    return station_with_a_case()


def visible_case_ids(user: User) -> set[int]:
    return set(db.session.scalars(cases_visible_to(user).with_only_columns(Case.id)))


def visible_person_ids(user: User) -> set[int]:
    return set(db.session.scalars(people_visible_to(user).with_only_columns(ServiceUser.id)))


def test_social_worker_sees_the_cases_of_their_unit_only(north: Station, south: Station) -> None:
    worker = WorkerFactory(unit=north.unit)
    assert visible_case_ids(worker) == {north.case.id}


def test_social_worker_sees_the_people_of_their_unit_only(north: Station, south: Station) -> None:
    worker = WorkerFactory(unit=north.unit)
    assert visible_person_ids(worker) == {north.person.id}


def test_social_worker_sees_colleagues_cases_too(north: Station) -> None:
    colleague_case = CaseFactory(service_user=ServiceUserFactory(unit=north.unit))
    worker = WorkerFactory(unit=north.unit)
    assert visible_case_ids(worker) == {north.case.id, colleague_case.id}


def test_station_head_sees_the_cases_of_their_unit_only(north: Station, south: Station) -> None:
    head = StationHeadFactory(unit=south.unit)
    assert visible_case_ids(head) == {south.case.id}


def test_station_head_sees_the_people_of_their_unit_only(north: Station, south: Station) -> None:
    head = StationHeadFactory(unit=south.unit)
    assert visible_person_ids(head) == {south.person.id}


def test_tutor_sees_the_cases_of_exactly_the_units_they_supervise(
    north: Station, south: Station
) -> None:
    east = station_with_a_case()
    # The tutor's own unit has a case too; supervising, not belonging, decides.
    tutor = TutorFactory(unit=north.unit, supervised_units=[south.unit, east.unit])
    assert visible_case_ids(tutor) == {south.case.id, east.case.id}


def test_tutor_sees_the_people_of_exactly_the_units_they_supervise(
    north: Station, south: Station
) -> None:
    east = station_with_a_case()
    tutor = TutorFactory(unit=north.unit, supervised_units=[south.unit, east.unit])
    assert visible_person_ids(tutor) == {south.person.id, east.person.id}


def test_tutor_without_supervised_units_sees_nothing(north: Station) -> None:
    tutor = TutorFactory(unit=north.unit, supervised_units=[])
    assert (visible_case_ids(tutor), visible_person_ids(tutor)) == (set(), set())


def test_bureau_viewer_sees_no_cases_even_in_their_subtree(north: Station) -> None:
    bureau = north.unit.parent.parent
    viewer = BureauViewerFactory(unit=bureau)
    assert visible_case_ids(viewer) == set()


def test_bureau_viewer_sees_no_people_even_in_their_subtree(north: Station) -> None:
    viewer = BureauViewerFactory(unit=north.unit.parent.parent)
    assert visible_person_ids(viewer) == set()


def test_sysadmin_without_a_grant_sees_no_cases(north: Station, south: Station) -> None:
    assert visible_case_ids(AdminFactory()) == set()


def test_sysadmin_without_a_grant_sees_no_people(north: Station, south: Station) -> None:
    assert visible_person_ids(AdminFactory()) == set()


def test_archived_person_is_not_visible(north: Station) -> None:
    archived = ServiceUserFactory(unit=north.unit, is_archived=True)
    worker = WorkerFactory(unit=north.unit)
    ids = visible_person_ids(worker)
    assert archived.id not in ids
    assert ids == {north.person.id}


def test_sysadmin_with_a_grant_sees_the_person_of_that_case_only(
    north: Station, south: Station
) -> None:
    admin = AdminFactory()
    grant_break_glass(actor=admin, case=north.case, reason="投诉调查需要查看")
    db.session.commit()
    assert visible_person_ids(admin) == {north.person.id}
