"""The search form: the query travels in the request body, never in the URL."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import Length, Optional


class SearchForm(FlaskForm):
    q = StringField(_l("搜索"), validators=[Length(max=50)])
    section = HiddenField(default="all")
    after = IntegerField(validators=[Optional()])
    page = IntegerField(validators=[Optional()])
