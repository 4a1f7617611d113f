"""Registration due dates and the warnings on the home page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.core.clock import local_today
from casework.workforce import hours
from casework.workforce.models import CertificateLevel, WorkerProfile, add_years
from tests.conftest import Login
from tests.factories import (
    CertificateFactory,
    EducationEntryFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    WorkerProfileFactory,
)


def _due_in(days: int, *, profile: WorkerProfile | None = None, hours: int = 0) -> WorkerProfile:
    """A profile whose re-registration falls due in ``days`` days, with ``hours`` done."""
    profile = profile or WorkerProfileFactory()
    registered = add_years(local_today() + timedelta(days=days), -3)
    CertificateFactory(
        profile=profile,
        level=CertificateLevel.INTERMEDIATE,
        obtained_on=registered - timedelta(days=100),
        registered_on=registered,
    )
    if hours:
        EducationEntryFactory(
            profile=profile, started_on=registered + timedelta(days=10), hours=hours
        )
    return profile


def test_first_registration_is_due_a_year_after_obtaining(app: Flask) -> None:
    certificate = CertificateFactory(obtained_on=date(2025, 3, 1))
    assert certificate.registration_due_on == date(2026, 3, 1)
    assert certificate.reregistration_due_on is None
    assert certificate.next_due_on == date(2026, 3, 1)


def test_reregistration_is_due_three_years_after_the_latest_registration(app: Flask) -> None:
    certificate = CertificateFactory(
        obtained_on=date(2019, 5, 1),
        registered_on=date(2019, 9, 1),
        last_reregistered_on=date(2022, 9, 1),
    )
    assert certificate.registration_due_on is None
    assert certificate.next_due_on == date(2025, 9, 1)


@pytest.mark.parametrize(("days", "warned"), [(-5, True), (0, True), (90, True), (91, False)])
def test_warning_within_90_days_when_hours_are_short(app: Flask, days: int, warned: bool) -> None:
    profile = _due_in(days, hours=20)
    assert (hours.registration_warning(profile) is not None) is warned


def test_no_warning_when_hours_are_enough(app: Flask) -> None:
    profile = _due_in(30, hours=90)
    assert hours.registration_warning(profile) is None


def test_warning_for_an_unregistered_certificate_near_its_deadline(app: Flask) -> None:
    profile = WorkerProfileFactory()
    CertificateFactory(profile=profile, obtained_on=local_today() - timedelta(days=300))
    warning = hours.registration_warning(profile)
    assert warning is not None
    assert warning.is_first_registration
    assert (
        warning.days_left
        == (add_years(local_today() - timedelta(days=300), 1) - local_today()).days
    )


def test_warning_carries_the_hours_done_and_required(app: Flask) -> None:
    warning = hours.registration_warning(_due_in(60, hours=35))
    assert warning is not None
    assert warning.hours == Decimal(35)
    assert warning.required == 90
    assert not warning.is_overdue


def test_worker_sees_own_warning_on_the_home_page(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    _due_in(40, profile=WorkerProfileFactory(unit=worker.unit, user=worker, name="王晓"), hours=30)
    login(worker)
    page = client.get("/").get_data(as_text=True)
    assert 'id="registration-warnings"' in page
    assert "王晓" in page


def test_worker_without_a_warning_sees_no_card(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    _due_in(400, profile=WorkerProfileFactory(unit=worker.unit, user=worker), hours=10)
    login(worker)
    assert 'id="registration-warnings"' not in client.get("/").get_data(as_text=True)


def test_station_head_sees_the_warnings_of_their_unit_only(
    client: FlaskClient, login: Login
) -> None:
    station = StationFactory()
    head = StationHeadFactory(unit=station)
    _due_in(20, profile=WorkerProfileFactory(unit=station, name="本站社工"), hours=5)
    _due_in(20, profile=WorkerProfileFactory(name="他站社工"), hours=5)
    login(head)
    page = client.get("/").get_data(as_text=True)
    assert "本站社工" in page
    assert "他站社工" not in page


def test_tutor_home_page_has_no_registration_card(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    _due_in(20, profile=WorkerProfileFactory(unit=station), hours=5)
    login(TutorFactory(supervised_units=[station]))
    assert 'id="registration-warnings"' not in client.get("/").get_data(as_text=True)
