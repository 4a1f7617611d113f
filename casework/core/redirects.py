"""Where a request may send the browser next: only back into this site."""

from __future__ import annotations

from typing import TypeGuard
from urllib.parse import unquote, urlsplit


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """Only same-site paths may be redirected to (after login, after a step, a language).

    A path must start with one slash and never two: ``//evil.example`` and ``////evil.example``
    name another host. Browsers read a backslash as a slash, so ``/\\evil.example`` would
    leave the site too; backslashes and control characters are refused outright, also when
    percent-encoded, since some proxies decode a path before passing it on.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    decoded = unquote(target)
    if decoded.startswith("//") or "\\" in decoded:
        return False
    if any(ord(char) < 32 or ord(char) == 127 for char in decoded):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
