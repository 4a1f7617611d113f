"""Helpers shared by the domain forms."""

from __future__ import annotations

from wtforms import Field

# WTForms 3.3 wants choices as SelectChoice; its published stubs predate the class.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

__all__ = ["SelectChoice", "add_error"]


def add_error(field: Field, message: str) -> None:
    """Attach a server-side rule's message to a field after validation."""
    field.errors = [*field.errors, message]
