"""Resident identity card numbers (GB 11643-1999): validation and what they encode."""

from __future__ import annotations

import re
from datetime import date

from casework.core.clock import local_today

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
# ASCII digits only: \d would also accept full-width ０-９, and $ a trailing newline.
PATTERN = re.compile(r"[1-9][0-9]{16}[0-9X]")


def normalise(raw: str) -> str:
    """Strip spaces and use an upper-case X, as people type it both ways."""
    return re.sub(r"\s+", "", raw).upper()


def check_character(first_17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first_17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def birth_date_of(number: str) -> date | None:
    """The date of birth in positions 7–14, or None if it is not a real date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def is_valid(number: str) -> bool:
    """True for an 18-character number with a real birth date and the right check character."""
    if not PATTERN.fullmatch(number):
        return False
    born = birth_date_of(number)
    if born is None or born > local_today() or born.year < 1890:
        return False
    return check_character(number[:17]) == number[17]


def is_male(number: str) -> bool:
    """The 17th digit is odd for men and even for women."""
    return int(number[16]) % 2 == 1
