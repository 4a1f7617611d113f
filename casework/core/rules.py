"""One convention for a domain rule that refuses a change.

A service raises a subclass of :class:`RuleError` with a ``message`` in the user's language
(a lazy string) and, where a program must tell rules apart (a form field to mark, a test), a
``code``. Views show ``message``; they never decode ``str(error)``.
"""

from __future__ import annotations

from typing import Any


class RuleError(Exception):
    """A rule of the domain forbids the change; nothing has been written."""

    def __init__(self, message: Any, *, code: str = "") -> None:
        super().__init__(code or str(message))
        self.message = message
        self.code = code
