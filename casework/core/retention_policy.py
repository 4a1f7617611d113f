"""How long records are kept: the administrator's retention periods, within legal floors.

One row (``retention_policy``) holds what the administrator set on the retention page; until
then the settings (``RETENTION_CASE_YEARS``, ``HELP_RETENTION_YEARS``,
``AUDIT_RETENTION_DAYS``) apply. The public privacy notice, ``flask casework retention``
and the audit pruning all read ``current_policy()``: one definition of each period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import DateTime, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from casework.core.models import utcnow
from casework.extensions import Base, db

# The shortest periods anyone may set: case files 5 years, help requests 1 year, audit
# entries 180 days (等保 2.0 level 3: six months).
MIN_CASE_YEARS = 5
MIN_HELP_YEARS = 1
MIN_AUDIT_DAYS = 180


class RetentionPolicy(Base):
    __tablename__ = "retention_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_years: Mapped[int]
    help_years: Mapped[int]
    audit_days: Mapped[int]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


@dataclass(frozen=True)
class Periods:
    case_years: int
    help_years: int
    audit_days: int

    def check(self) -> None:
        if self.case_years < MIN_CASE_YEARS:
            raise ValueError(f"case files are kept at least {MIN_CASE_YEARS} years")
        if self.help_years < MIN_HELP_YEARS:
            raise ValueError(f"help requests are kept at least {MIN_HELP_YEARS} year")
        if self.audit_days < MIN_AUDIT_DAYS:
            raise ValueError(f"audit entries are kept at least {MIN_AUDIT_DAYS} days")


def current_policy() -> Periods:
    saved = db.session.get(RetentionPolicy, 1)
    if saved is not None:
        return Periods(saved.case_years, saved.help_years, saved.audit_days)
    config = current_app.config
    return Periods(
        int(config["RETENTION_CASE_YEARS"]),
        int(config["HELP_RETENTION_YEARS"]),
        int(config["AUDIT_RETENTION_DAYS"]),
    )


def save_policy(periods: Periods, *, actor_id: int) -> None:
    periods.check()
    saved = db.session.get(RetentionPolicy, 1) or RetentionPolicy(id=1)
    saved.case_years = periods.case_years
    saved.help_years = periods.help_years
    saved.audit_days = periods.audit_days
    saved.updated_by_id = actor_id
    saved.updated_at = utcnow()
    db.session.add(saved)
