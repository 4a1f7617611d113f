"""Forms for community activities, the volunteer registry and calendar feeds."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from casework.activities.models import ActivityType
from casework.cases.enums import ServiceDomain
from casework.cases.forms import enum_choices
from casework.core.forms import CheckboxListField, Form


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
