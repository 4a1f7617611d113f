"""The form that asks for an evidence pack."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from casework.core.forms import Form


class EvidencePackForm(Form):
    unit = SelectField(_l("单位"), coerce=int, validators=[DataRequired()])
    # Dates as text, read by reports.periods (its messages name the field and the format).
    start = StringField(_l("开始日期"), validators=[DataRequired(), Length(max=10)])
    end = StringField(_l("结束日期"), validators=[DataRequired(), Length(max=10)])
