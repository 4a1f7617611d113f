"""Forms about service users."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from casework.core.forms import CheckboxListField, Form, SelectChoice
from casework.core.inputs import MAX_ID
from casework.people import idcard
from casework.people.models import ConsentBasis, FileRequestKind, Gender


def _blank(label: Any) -> list[SelectChoice]:
    return [SelectChoice("", label)]


def validate_id_number(_form: Any, field: Any) -> None:
    if field.data:
        field.data = idcard.normalise(field.data)
        if not idcard.is_valid(field.data):
            raise ValidationError(
                _l("身份证号无效：请核对 18 位号码（含出生日期和最后一位校验码）。")
            )


class PersonForm(Form):
    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=64)])
    gender = SelectField(
        _l("性别"),
        choices=_blank(_l("（未填写）")) + [SelectChoice(g.value, g.lazy_label) for g in Gender],
        validators=[Optional()],
    )
    birth_date = DateField(_l("出生日期"), validators=[Optional()])
    id_number = StringField(
        _l("身份证号"), validators=[Optional(), Length(max=20), validate_id_number]
    )
    phone = StringField(
        _l("联系电话"),
        validators=[
            Optional(),
            Length(max=20),
            Regexp(r"^[0-9+\- ]{7,20}$", message=_l("请填写有效的电话号码")),
        ],
    )
    address = StringField(_l("住址"), validators=[Optional(), Length(max=200)])
    notes = TextAreaField(_l("备注"), validators=[Optional(), Length(max=2000)])
    tag_ids = CheckboxListField(_l("特殊群体标签"), coerce=int, validators=[Optional()])
    consent_basis = SelectField(
        _l("个人信息处理依据"),
        choices=[SelectChoice(c.value, c.lazy_label) for c in ConsentBasis],
        validators=[DataRequired()],
    )
    consent_given_on = DateField(_l("同意或登记日期"), validators=[DataRequired()])
    confirm_not_duplicate = BooleanField(_l("我已核对，以上疑似重复的服务对象不是同一人"))


class HouseholdMemberForm(Form):
    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=64)])
    relationship = StringField(_l("与服务对象关系"), validators=[DataRequired(), Length(max=32)])
    birth_year = IntegerField(
        _l("出生年份"), validators=[Optional(), NumberRange(min=1900, max=2100)]
    )
    lives_together = BooleanField(_l("共同居住"), default=True)
    notes = StringField(_l("备注"), validators=[Optional(), Length(max=200)])


class TagForm(Form):
    name = StringField(_l("标签名称"), validators=[DataRequired(), Length(max=32)])


class LegalHoldForm(Form):
    """Setting a legal hold needs a reason; lifting it needs only the button."""

    reason = StringField(_l("保留原因"), validators=[Length(max=200)])


class HouseholdForm(Form):
    name = StringField(_l("户档名称"), validators=[DataRequired(), Length(max=64)])
    address = StringField(_l("住址"), validators=[Optional(), Length(max=200)])
    notes = StringField(_l("备注"), validators=[Optional(), Length(max=200)])


class HouseholdPersonForm(Form):
    person_id = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=MAX_ID)])
    relationship = SelectField(_l("与户主关系"), validators=[DataRequired()])


class FileRequestForm(Form):
    """Asking the unit that holds an ID number's file (the number travels in the form's
    body, as typed on the registration form, never in a URL)."""

    id_number = StringField(
        _l("身份证号"), validators=[DataRequired(), Length(max=20), validate_id_number]
    )
    kind = SelectField(
        _l("请求事项"),
        choices=[SelectChoice(k.value, k.lazy_label) for k in FileRequestKind],
        validators=[DataRequired()],
    )
    reason = TextAreaField(_l("理由"), validators=[DataRequired(), Length(max=1000)])


class FileRequestAnswerForm(Form):
    note = TextAreaField(_l("答复说明"), validators=[Optional(), Length(max=1000)])
