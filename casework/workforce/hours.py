"""Continuing-education hours in the current registration period, and the warnings when a
(re-)registration falls due with hours short."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from casework.core.clock import local_today
from casework.workforce.models import (
    DEGREE_HOURS,
    Certificate,
    ContinuingEducationEntry,
    EducationKind,
    WorkerProfile,
    add_years,
)

# Warn this many days before a (re-)registration falls due.
WARNING_WINDOW_DAYS = 90


@dataclass(frozen=True)
class EducationStatus:
    """Hours in the current registration period of a worker's current certificate."""

    certificate: Certificate
    period_start: date | None
    period_end: date | None  # exclusive; the re-registration due date
    hours: Decimal
    required: int

    @property
    def is_short(self) -> bool:
        return self.hours < self.required

    @property
    def missing(self) -> Decimal:
        return max(Decimal(self.required) - self.hours, Decimal(0))


def hours_between(entries: list[ContinuingEducationEntry], start: date, end: date) -> Decimal:
    """Hours of ``entries`` counted in [start, end): a completed degree counts once, as 90."""
    total = Decimal(0)
    degree_counted = False
    for entry in entries:
        if not start <= entry.counted_on < end:
            continue
        if entry.kind is EducationKind.DEGREE:
            if entry.is_degree_completed and not degree_counted:
                total += DEGREE_HOURS
                degree_counted = True
            continue
        total += Decimal(entry.hours)
    return total


def education_status(profile: WorkerProfile) -> EducationStatus | None:
    """None without a certificate; hours 0 and no period while it is not registered."""
    certificate = profile.current_certificate
    if certificate is None:
        return None
    start = certificate.period_start
    if start is None:
        return EducationStatus(certificate, None, None, Decimal(0), certificate.required_hours)
    end = add_years(start, 3)
    hours = hours_between(list(profile.education_entries), start, end)
    return EducationStatus(certificate, start, end, hours, certificate.required_hours)


@dataclass(frozen=True)
class RegistrationWarning:
    """A (re-)registration falls due within the window (or is overdue)."""

    profile: WorkerProfile
    certificate: Certificate
    due_on: date
    is_first_registration: bool
    hours: Decimal
    required: int

    @property
    def days_left(self) -> int:
        return (self.due_on - local_today()).days

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0


def registration_warning(
    profile: WorkerProfile, today: date | None = None
) -> RegistrationWarning | None:
    """Registration due within 90 days, or re-registration due then with hours short."""
    today = today or local_today()
    status = education_status(profile)
    if status is None:
        return None
    certificate = status.certificate
    due = certificate.next_due_on
    if due > today + timedelta(days=WARNING_WINDOW_DAYS):
        return None
    first = not certificate.is_registered
    if not first and not status.is_short:
        return None
    return RegistrationWarning(profile, certificate, due, first, status.hours, status.required)


def registration_warnings(
    profiles: list[WorkerProfile], today: date | None = None
) -> list[RegistrationWarning]:
    warnings = [w for p in profiles if (w := registration_warning(p, today)) is not None]
    return sorted(warnings, key=lambda w: w.due_on)
