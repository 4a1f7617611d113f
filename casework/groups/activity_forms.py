"""Forms for community activities, the volunteer registry and calendar feeds."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    ValidationError,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from casework.cases.forms import enum_choices
from casework.cases.models import ServiceDomain
from casework.core.forms import Form
from casework.groups.models import ActivityType, VolunteerCategory
from casework.people.forms import CheckboxListField


class ActivityForm(Form):
    title = StringField(_l("活动名称"), validators=[DataRequired(), Length(max=100)])
    held_on = DateField(_l("活动日期"), validators=[DataRequired()])
    start_time = TimeField(_l("开始时间"), validators=[Optional()])
    place = StringField(_l("活动地点"), validators=[DataRequired(), Length(max=100)])
    domain = SelectField(_l("服务领域"), choices=enum_choices(ServiceDomain))
    activity_type = SelectField(_l("活动类型"), choices=enum_choices(ActivityType))
    description = TextAreaField(_l("活动内容"), validators=[Optional(), Length(max=10000)])
    participant_count = IntegerField(
        _l("参与人数"),
        default=0,
        validators=[
            InputRequired(),
            NumberRange(min=0, max=100000, message=_l("参与人数须在 0 到 100000 之间")),
        ],
    )


class NewActivityForm(ActivityForm):
    # The organiser is chosen once; update_activity keeps it.
    organiser_id = SelectField(_l("组织者"), coerce=int)


class ParticipantsForm(Form):
    person_ids = CheckboxListField(_l("登记的参与者"), coerce=int, validators=[Optional()])


def one_decimal_place(_form: Any, field: Any) -> None:
    """Hours are stored to a tenth of an hour; refuse what would be silently rounded."""
    if field.data is not None and round(field.data, 1) != field.data:
        raise ValidationError(_l("服务时长最多保留一位小数"))


class AssignVolunteerForm(Form):
    volunteer_id = SelectField(_l("志愿者"), coerce=int)
    served_on = DateField(_l("服务日期"), validators=[DataRequired()])
    # The range (more than 0, at most 24) is the service's rule; its message is shown here.
    hours = FloatField(_l("服务时长（小时）"), validators=[InputRequired(), one_decimal_place])
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


class CalendarFeedForm(Form):
    action = HiddenField(validators=[AnyOf(("create", "revoke"))])
