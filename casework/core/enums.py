"""Enums that carry their Chinese label, and the column type that stores them."""

from __future__ import annotations

import enum
from typing import Any, Self

from flask import g, has_app_context
from flask_babel import get_locale
from sqlalchemy import Enum as SAEnum


class LabelledEnum(enum.Enum):
    """``MEMBER = "value", _l("标签")``: the value is stored, the label is shown."""

    _label: Any

    def __new__(cls, value: str, label: Any) -> LabelledEnum:
        member = object.__new__(cls)
        member._value_ = value
        member._label = label
        return member

    @classmethod
    def of(cls, value: str) -> Self:
        """The member stored as ``value``; ValueError for anything else."""
        return cls(value)  # type: ignore[call-arg]  # lookup by value, not construction

    @property
    def label(self) -> str:
        """The label in the current language, translated once per request and language."""
        if not has_app_context():
            return str(self._label)
        cache: dict[tuple[LabelledEnum, Any], str] = g.setdefault("enum_labels", {})
        key = (self, get_locale())
        text = cache.get(key)
        if text is None:
            text = cache[key] = str(self._label)
        return text

    @property
    def lazy_label(self) -> Any:
        return self._label


def enum_type(enum_class: type[enum.Enum]) -> SAEnum:
    """Store an enum as its short string value (VARCHAR): new members need no DDL."""
    return SAEnum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
