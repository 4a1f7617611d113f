"""Masked forms of identity and phone numbers for lists (PIPL: show the minimum)."""

from __future__ import annotations


def mask_id_number(number: str | None) -> str:
    """``220102199001011234`` → ``220102********1234``."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(number: str | None) -> str:
    """``13912345678`` → ``139****5678``."""
    if not number:
        return ""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
