"""Forms for registering volunteers and logging their hours."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    SelectField,
    StringField,
    ValidationError,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
)

from casework.cases.forms import enum_choices
from casework.core.forms import FiniteFloatField, Form
from casework.volunteers.models import VolunteerCategory


def one_decimal_place(_form: Any, field: Any) -> None:
    """Hours are stored to a tenth of an hour; refuse what would be silently rounded."""
    if field.data is not None and round(field.data, 1) != field.data:
        raise ValidationError(_l("服务时长最多保留一位小数"))


class AssignVolunteerForm(Form):
    volunteer_id = SelectField(_l("志愿者"), coerce=int)
    served_on = DateField(_l("服务日期"), validators=[DataRequired()])
    # The range (more than 0, at most 24) is the service's rule; its message is shown here.
    hours = FiniteFloatField(
        _l("服务时长（小时）"), validators=[InputRequired(), one_decimal_place]
    )
    role = StringField(_l("承担工作"), validators=[Optional(), Length(max=100)])


class VolunteerForm(Form):
    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=64)])
    phone = StringField(
        _l("联系电话"),
        validators=[
            Optional(),
            Length(max=20),
            Regexp(r"^[0-9+\- ]{7,20}$", message=_l("请填写有效的电话号码")),
        ],
    )
    category = SelectField(_l("志愿者类别"), choices=enum_choices(VolunteerCategory))
    skills = StringField(_l("特长技能"), validators=[Optional(), Length(max=200)])
    availability = StringField(_l("可服务时间"), validators=[Optional(), Length(max=200)])
