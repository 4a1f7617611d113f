"""Where a request may send the browser next: only back into this site."""

from __future__ import annotations

from typing import TypeGuard
from urllib.parse import urlsplit


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """Only same-site relative paths may be redirected to (after login, after a step).

    Browsers read a backslash as a slash, so ``/\\evil.example`` would leave the site
    like ``//evil.example``; backslashes and control characters are refused outright.
    """
    if not target or not target.startswith("/"):
        return False
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
