"""Forms for the staff side of the help channel: logging, triage actions, the notice board."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from casework.cases.forms import enum_choices
from casework.core.forms import Form, SelectChoice
from casework.helpdesk.models import Channel, ContactPreference, RequestCategory

DESCRIPTION_LENGTH = 2000
MESSAGE_LENGTH = 2000
LIMIT_DAYS = NumberRange(min=1, max=30, message=_l("请填写 1 到 30 之间的工作日数"))
# Contact preferences that only work with a phone number.
NEEDS_PHONE = (ContactPreference.PHONE.value, ContactPreference.SMS.value)


def _message(label: Any, *, required: bool = True) -> TextAreaField:
    validators = [DataRequired()] if required else [Optional()]
    return TextAreaField(label, validators=[*validators, Length(max=MESSAGE_LENGTH)])


class LogRequestForm(Form):
    """A hotline call, letter or walk-in, recorded by a worker for the resident."""

    channel = SelectField(
        _l("来源渠道"),
        # Web requests come from residents, work orders from the 12345 system itself.
        choices=[
            SelectChoice(c.value, c.lazy_label)
            for c in Channel
            if c not in (Channel.WEB, Channel.HOTLINE_12345)
        ],
    )
    category = SelectField(_l("求助类别"), choices=enum_choices(RequestCategory))
    description = TextAreaField(
        _l("求助内容"), validators=[DataRequired(), Length(max=DESCRIPTION_LENGTH)]
    )
    name = StringField(_l("求助人姓名（可不填）"), validators=[Optional(), Length(max=64)])
    phone = StringField(
        _l("联系电话"),
        validators=[
            Optional(),
            Length(max=20),
            Regexp(r"^[0-9+\- ]{7,20}$", message=_l("请填写有效的电话号码")),
        ],
    )
    contact_preference = SelectField(_l("联系方式"), choices=enum_choices(ContactPreference))
    consent = BooleanField(
        _l("已告知来电人个人信息的用途并征得同意"),
        validators=[DataRequired(message=_l("请先告知个人信息的用途并征得同意"))],
    )

    def validate_contact_preference(self, field: SelectField) -> None:
        if field.data in NEEDS_PHONE and not (self.phone.data or "").strip():
            raise ValidationError(_l("选择电话或短信联系时，请填写联系电话"))


class AssignRequestForm(Form):
    worker_id = SelectField(_l("负责社工"), coerce=int)


class ReplyForm(Form):
    body = _message(_l("答复内容（居民可见）"))


class NoteForm(Form):
    body = _message(_l("内部备注（仅工作人员可见）"))


class ReferToUnitForm(Form):
    unit_id = SelectField(_l("转介至本系统单位"), coerce=int)
    note = _message(_l("转介说明（居民可见）"), required=False)


class ReferToAgencyForm(Form):
    agency = StringField(_l("外部机构"), validators=[DataRequired(), Length(max=100)])
    note = _message(_l("转介说明（居民可见）"), required=False)


class DeclineForm(Form):
    reason = _message(_l("不予受理的原因（居民可见）"))


class CloseForm(Form):
    note = _message(_l("办结说明（居民可见）"), required=False)


class ProfileForm(Form):
    """The station's notice board (公示栏) and its response-time limits."""

    opening_hours = StringField(_l("开放时间"), validators=[Optional(), Length(max=200)])
    hotline = StringField(_l("社工热线"), validators=[Optional(), Length(max=40)])
    address = StringField(_l("地址"), validators=[Optional(), Length(max=200)])
    services = TextAreaField(_l("服务项目"), validators=[Optional(), Length(max=MESSAGE_LENGTH)])
    acknowledge_within_days = IntegerField(
        _l("受理时限（工作日）"), validators=[DataRequired(), LIMIT_DAYS]
    )
    answer_within_days = IntegerField(
        _l("答复时限（工作日）"), validators=[DataRequired(), LIMIT_DAYS]
    )
