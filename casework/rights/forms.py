"""Forms of residents' rights requests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from casework.core.forms import Form, SelectChoice
from casework.rights.models import RightsChannel, RightsKind


class RightsRequestForm(Form):
    kind = SelectField(
        _l("请求事项"),
        choices=[SelectChoice(kind.value, kind.lazy_label) for kind in RightsKind],
        validators=[DataRequired()],
    )
    channel = SelectField(
        _l("提出方式"),
        choices=[SelectChoice(channel.value, channel.lazy_label) for channel in RightsChannel],
        validators=[DataRequired()],
    )
    received_on = DateField(_l("收到日期"), validators=[DataRequired()])
    details = TextAreaField(_l("具体内容"), validators=[Length(max=2000)])


class OutcomeForm(Form):
    outcome = TextAreaField(_l("办理结果"), validators=[Length(max=2000)])
