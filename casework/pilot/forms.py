"""Forms for designating a pilot unit, withdrawing it, and keeping the pilot's stages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from casework.core.forms import Form, SelectChoice
from casework.pilot.models import PilotKind
from casework.workforce.forms import PHONE


def _phone(label: Any) -> StringField:
    return StringField(label, validators=[Optional(), Length(max=20), PHONE])


def _name(label: Any) -> StringField:
    return StringField(label, validators=[DataRequired(), Length(max=64)])


class PilotDetailsForm(Form):
    kind = SelectField(
        _l("试点类型"),
        choices=[SelectChoice(kind.value, kind.lazy_label) for kind in PilotKind],
        validators=[DataRequired()],
    )
    designated_on = DateField(_l("确定日期"), validators=[DataRequired()])
    head_name = _name(_l("一把手姓名"))
    head_post = _name(_l("一把手职务"))
    head_phone = _phone(_l("一把手联系电话"))
    contact_name = _name(_l("具体负责人姓名"))
    contact_post = _name(_l("具体负责人职务"))
    contact_phone = _phone(_l("具体负责人联系电话"))


class DesignatePilotForm(PilotDetailsForm):
    unit_id = SelectField(_l("试点单位"), validators=[DataRequired()])


class WithdrawPilotForm(Form):
    withdrawn_on = DateField(_l("撤销日期"), validators=[DataRequired()])


class StageForm(Form):
    name = StringField(_l("阶段名称"), validators=[DataRequired(), Length(max=50)])
    starts_on = DateField(_l("开始日期"), validators=[DataRequired()])
    ends_on = DateField(_l("结束日期"), validators=[DataRequired()])
