"""Forms for supervision records (督导记录)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from casework.core.forms import CheckboxListField, Form, SelectChoice
from casework.supervision.models import SupervisionForm

LONG_TEXT = 10000


class SupervisionRecordForm(Form):
    held_on = DateField(_l("督导日期"), validators=[DataRequired()])
    form = SelectField(
        _l("督导形式"),
        choices=[SelectChoice(member.value, member.lazy_label) for member in SupervisionForm],
    )
    duration_minutes = IntegerField(
        _l("时长（分钟）"),
        validators=[
            DataRequired(),
            NumberRange(min=1, max=600, message=_l("时长须在 1 到 600 分钟之间。")),
        ],
    )
    place = StringField(_l("地点"), validators=[Optional(), Length(max=100)])
    worker_ids = CheckboxListField(
        _l("参加督导的社工"),
        coerce=int,
        validators=[DataRequired(message=_l("请选择参加督导的社工。"))],
    )
    case_ids = CheckboxListField(_l("讨论的个案"), coerce=int, validators=[Optional()])
    topics = TextAreaField(_l("督导议题"), validators=[DataRequired(), Length(max=LONG_TEXT)])
    advice = TextAreaField(_l("督导意见与建议"), validators=[DataRequired(), Length(max=LONG_TEXT)])
    follow_up = TextAreaField(_l("商定的跟进事项"), validators=[Optional(), Length(max=LONG_TEXT)])
