"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character."""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(first17: str) -> str:
    """The check character of the first 17 characters (each from ``CHARSET``)."""
    total = sum(CHARSET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    return code.strip().upper()


def is_valid(code: str) -> bool:
    """Whether ``code`` (already normalised) is 18 characters of the charset with the right
    check character."""
    if len(code) != LENGTH or any(char not in CHARSET for char in code):
        return False
    return check_character(code[:17]) == code[17]
