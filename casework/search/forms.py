"""The search form: the query travels in the request body, never in the URL."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional

from casework.core.forms import Form
from casework.core.inputs import MAX_ID


class SearchForm(Form):
    q = StringField(_l("搜索"), validators=[Length(max=50)])
    section = HiddenField(default="all")
    after = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=10_000)])
