"""How figures are rounded and written: one decimal, halves rounded up (四舍五入)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def one_decimal(value: float) -> float:
    """``value`` to one decimal, halves up: 12.25 h is 12.3 h, as a reader works it out.

    Python's ``round`` rounds halves to even (12.25 → 12.2), which a station checking the
    figure by hand would call wrong.
    """
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def format_number(value: float) -> str:
    """A whole number without decimals, anything else with one: ``12``, ``12.3``."""
    return str(int(value)) if float(value).is_integer() else f"{one_decimal(value):.1f}"
