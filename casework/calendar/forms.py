"""The calendar feed form."""

from __future__ import annotations

from wtforms import (
    HiddenField,
)
from wtforms.validators import (
    AnyOf,
)

from casework.core.forms import Form


class CalendarFeedForm(Form):
    action = HiddenField(validators=[AnyOf(("create", "revoke"))])
