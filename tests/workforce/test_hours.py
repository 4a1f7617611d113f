"""Continuing-education hours in the current three-year registration period."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import Flask

from casework.core.clock import local_today
from casework.workforce import hours, services
from casework.workforce.models import (
    Certificate,
    CertificateLevel,
    EducationKind,
    WorkerProfile,
    add_years,
    required_hours,
)
from tests.factories import CertificateFactory, EducationEntryFactory, WorkerProfileFactory


def _registered(level: CertificateLevel, registered_on: date) -> tuple[WorkerProfile, Certificate]:
    profile = WorkerProfileFactory()
    certificate = CertificateFactory(
        profile=profile,
        level=level,
        obtained_on=registered_on - timedelta(days=60),
        registered_on=registered_on,
    )
    return profile, certificate


def test_assistant_needs_72_hours_and_the_others_90() -> None:
    assert required_hours(CertificateLevel.ASSISTANT) == 72
    assert required_hours(CertificateLevel.INTERMEDIATE) == 90
    assert required_hours(CertificateLevel.SENIOR) == 90


def test_period_starts_at_registration_and_ends_three_years_later(app: Flask) -> None:
    start = local_today() - timedelta(days=400)
    profile, _certificate = _registered(CertificateLevel.INTERMEDIATE, start)
    status = hours.education_status(profile)
    assert status is not None
    assert status.period_start == start
    assert status.period_end == add_years(start, 3)
    assert status.required == 90


def test_period_starts_at_the_latest_reregistration(app: Flask) -> None:
    registered = local_today() - timedelta(days=4 * 365)
    reregistered = local_today() - timedelta(days=200)
    profile = WorkerProfileFactory()
    CertificateFactory(
        profile=profile,
        obtained_on=registered - timedelta(days=30),
        registered_on=registered,
        last_reregistered_on=reregistered,
    )
    EducationEntryFactory(profile=profile, started_on=reregistered - timedelta(days=1), hours=40)
    EducationEntryFactory(profile=profile, started_on=reregistered, hours=12)
    status = hours.education_status(profile)
    assert status is not None
    assert status.period_start == reregistered
    assert status.hours == Decimal(12)


def test_entry_counts_in_the_period_by_the_day_it_ended(app: Flask) -> None:
    start = local_today() - timedelta(days=100)
    profile, _certificate = _registered(CertificateLevel.INTERMEDIATE, start)
    EducationEntryFactory(
        profile=profile,
        started_on=start - timedelta(days=3),
        ended_on=start,
        hours=Decimal("7.5"),
    )
    EducationEntryFactory(
        profile=profile, started_on=start - timedelta(days=3), ended_on=start - timedelta(days=1)
    )
    status = hours.education_status(profile)
    assert status is not None
    assert status.hours == Decimal("7.5")


def test_hours_between_excludes_the_period_end() -> None:
    start = date(2024, 1, 1)
    end = add_years(start, 3)

    class Entry:
        kind = EducationKind.TRAINING
        is_degree_completed = False
        hours = Decimal(5)

        def __init__(self, day: date) -> None:
            self.counted_on = day

    entries = [Entry(start), Entry(end - timedelta(days=1)), Entry(end)]
    assert hours.hours_between(entries, start, end) == Decimal(10)  # type: ignore[arg-type]


def test_completed_degree_counts_once_as_90_hours(app: Flask) -> None:
    start = local_today() - timedelta(days=700)
    profile, _certificate = _registered(CertificateLevel.SENIOR, start)
    for year in (1, 2):
        EducationEntryFactory(
            profile=profile,
            kind=EducationKind.DEGREE,
            title=f"社会工作硕士 {year}",
            started_on=start + timedelta(days=year),
            ended_on=start + timedelta(days=300 * year),
            hours=None,
            is_degree_completed=True,
        )
    status = hours.education_status(profile)
    assert status is not None
    assert status.hours == Decimal(90)
    assert not status.is_short


def test_degree_still_in_progress_counts_nothing(app: Flask) -> None:
    start = local_today() - timedelta(days=300)
    profile, _certificate = _registered(CertificateLevel.INTERMEDIATE, start)
    EducationEntryFactory(
        profile=profile,
        kind=EducationKind.DEGREE,
        title="在职研究生",
        started_on=start + timedelta(days=10),
        hours=None,
        is_degree_completed=False,
    )
    status = hours.education_status(profile)
    assert status is not None
    assert status.hours == 0


def test_72_hours_are_enough_for_an_assistant_but_not_for_a_social_worker(app: Flask) -> None:
    start = local_today() - timedelta(days=300)
    assistant, _a = _registered(CertificateLevel.ASSISTANT, start)
    intermediate, _b = _registered(CertificateLevel.INTERMEDIATE, start)
    for profile in (assistant, intermediate):
        EducationEntryFactory(profile=profile, started_on=start + timedelta(days=5), hours=72)
    assistant_status = hours.education_status(assistant)
    intermediate_status = hours.education_status(intermediate)
    assert assistant_status is not None
    assert not assistant_status.is_short
    assert intermediate_status is not None
    assert intermediate_status.is_short
    assert intermediate_status.missing == Decimal(18)


def test_the_highest_certificate_sets_the_requirement(app: Flask) -> None:
    profile = WorkerProfileFactory()
    start = local_today() - timedelta(days=300)
    CertificateFactory(
        profile=profile,
        level=CertificateLevel.ASSISTANT,
        obtained_on=start - timedelta(days=900),
        registered_on=start - timedelta(days=800),
    )
    CertificateFactory(
        profile=profile,
        level=CertificateLevel.INTERMEDIATE,
        obtained_on=start - timedelta(days=10),
        registered_on=start,
    )
    status = hours.education_status(profile)
    assert status is not None
    assert status.certificate.level is CertificateLevel.INTERMEDIATE
    assert status.required == 90


def test_unregistered_certificate_has_no_period(app: Flask) -> None:
    profile = WorkerProfileFactory()
    CertificateFactory(profile=profile, obtained_on=local_today() - timedelta(days=100))
    status = hours.education_status(profile)
    assert status is not None
    assert status.period_start is None
    assert status.hours == 0


def test_no_certificate_no_status(app: Flask) -> None:
    assert hours.education_status(WorkerProfileFactory()) is None


@pytest.mark.parametrize("hours", [Decimal(0), Decimal(-1), Decimal(1000), None])
def test_hours_outside_the_range_are_refused(app: Flask, hours: Decimal | None) -> None:
    with pytest.raises(services.WorkforceError, match="invalid_hours"):
        EducationEntryFactory(hours=hours)


def test_29_february_plus_three_years_is_28_february() -> None:
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
