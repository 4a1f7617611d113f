"""The summary table: counts per unit, day or month, measure and key."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import db

# What a row counts for: the unit alone (``own``, by day) or its whole subtree (``tree``,
# by day and by month). The statistics read ``tree`` rows; ``own`` rows let a change be
# turned into the difference it makes to every ancestor.
OWN = "own"
TREE = "tree"
DAY = "day"
MONTH = "month"


class UnitSummary(db.Model):  # type: ignore[name-defined]
    """One count (and one summed amount, e.g. minutes) of a measure's key.

    ``day`` is the day itself for ``grain = "day"`` and the first of the month for
    ``grain = "month"``. Rows whose count and amount fall to zero are deleted.
    """

    __tablename__ = "unit_summaries"

    measure: Mapped[str] = mapped_column(String(24), primary_key=True)
    scope: Mapped[str] = mapped_column(String(4), primary_key=True)
    grain: Mapped[str] = mapped_column(String(5), primary_key=True)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    amount: Mapped[int] = mapped_column(default=0)
