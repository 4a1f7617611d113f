"""What a password may not be: short, one of the most common, or the account's own names.

``data/common-passwords.txt`` holds the 10,000 most common passwords, most common first
(lower-cased; the first half of the list Django ships, compiled by Royce Williams from
breach corpora). Following NIST SP 800-63B, there is no rule about character classes and
no forced periodic change: length and a blocklist stop the guessable passwords.
"""

from __future__ import annotations

import functools
from pathlib import Path

MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS = Path(__file__).with_name("data") / "common-passwords.txt"
# A name shorter than this inside a password is no hint to a guesser.
MIN_NAME_LENGTH = 3


@functools.cache
def common_passwords() -> frozenset[str]:
    return frozenset(COMMON_PASSWORDS.read_text(encoding="utf-8").split())


def problem(password: str, *, username: str, unit_names: tuple[str, ...] = ()) -> str | None:
    """The code of the first rule ``password`` breaks, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "password_too_short"
    folded = password.casefold()
    if folded in common_passwords():
        return "password_common"
    if len(username) >= MIN_NAME_LENGTH and username.casefold() in folded:
        return "password_has_username"
    if any(len(name) >= MIN_NAME_LENGTH and name.casefold() in folded for name in unit_names):
        return "password_has_unit"
    return None
