"""Helpers shared by the domain forms, and the base class every form derives from."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    Field,
    FieldList,
    FloatField,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)

# WTForms 3.3 wants choices as SelectChoice; its published stubs predate the class.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

__all__ = [
    "CONTROL_CHARACTERS",
    "FiniteDecimalField",
    "FiniteFloatField",
    "Form",
    "SelectChoice",
    "add_error",
]

# C0 controls and DEL, but tab, line feed and carriage return, which people type.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Every date the app deals with lies in these years; anything else is a typing mistake.
EARLIEST = date(1900, 1, 1)
LATEST = date(2099, 12, 31)


def add_error(field: Field, message: str) -> None:
    """Attach a server-side rule's message to a field after validation."""
    field.errors = [*field.errors, message]


def _fields(form: Any) -> list[Field]:
    """Every field of a form, in nested forms and lists of forms too."""
    found: list[Field] = []
    for field in form:
        if isinstance(field, FormField):
            found += _fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                found += _fields(entry.form) if isinstance(entry, FormField) else [entry]
        else:
            found.append(field)
    return found


def _problem(field: Field) -> Any:
    """What is wrong with a field's value whatever the form, or None."""
    data = field.data
    if isinstance(field, StringField) and isinstance(data, str) and CONTROL_CHARACTERS.search(data):
        return _l("含有无法保存的控制字符，请删除后重新填写。")
    if isinstance(field, DateField) and isinstance(data, date) and not EARLIEST <= data <= LATEST:
        return _l("日期须在 1900 年至 2099 年之间。")
    return None


# Input types on which HTML allows no maxlength (a Length validator adds one).
_NO_MAXLENGTH = {"date", "datetime-local", "month", "week", "time", "number", "range", "color"}


def _first_choice_is_a_value(field: Field) -> bool:
    choices = list(field.iter_choices()) if isinstance(field, SelectField) else []
    return bool(choices) and choices[0][0] not in ("", None)


def _valid_attributes(field: Field, render_kw: dict[str, Any]) -> dict[str, Any]:
    """The attributes a field is rendered with, less those that would make the HTML invalid."""
    attributes = dict(render_kw)
    # The CSRF field has the same name in every form: with an id, a page holding two
    # forms would hold two elements of one id. Nothing targets it by id.
    if field.type == "CSRFTokenField":
        attributes.setdefault("id", False)
    if attributes.get("type") in _NO_MAXLENGTH:
        attributes.setdefault("maxlength", False)
    # A required single select must start with an empty placeholder option; one whose
    # first option is a real value always has a value, and the server checks it anyway.
    if _first_choice_is_a_value(field) and not getattr(field.widget, "multiple", False):
        attributes.setdefault("required", False)
    return attributes


class Form(FlaskForm):
    """The base of every form. Besides its own validators, no text field may carry a control
    character (a NUL byte, an escape …) and no date may lie outside 1900–2099: such input is
    refused with a message rather than stored, on every page and the public form alike."""

    class Meta:
        def render_field(self, field: Field, render_kw: dict[str, Any]) -> Any:
            return super().render_field(field, _valid_attributes(field, render_kw))  # type: ignore[misc]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        for field in _fields(self):
            problem = _problem(field)
            if problem is not None:
                add_error(field, str(problem))
                valid = False
        return valid


class CheckboxListField(SelectMultipleField):
    """Several choices as checkboxes: easier than Ctrl-click on a phone."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


NOT_A_NUMBER = _l("请填写数字。")


class FiniteDecimalField(DecimalField):
    """A decimal that is a number: "NaN", "sNaN" and "Infinity" are refused as unreadable
    (a signalling NaN would otherwise break the range check with a server error)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if isinstance(self.data, Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError(str(NOT_A_NUMBER))


class FiniteFloatField(FloatField):
    """A float that is a number: "nan" and "inf" are refused as unreadable."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if isinstance(self.data, float) and not math.isfinite(self.data):
            self.data = None
            raise ValueError(str(NOT_A_NUMBER))
