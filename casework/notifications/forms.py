"""How a user wants to be notified."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, TimeField
from wtforms.validators import Length, Optional, Regexp

from casework.core.forms import CheckboxListField, Form


class SettingsForm(Form):
    email = EmailField(
        _l("接收通知的邮箱"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("请填写有效的邮箱地址")),
        ],
    )
    wanted_kinds = CheckboxListField(_l("接收的通知"), validators=[Optional()])
    email_kinds = CheckboxListField(_l("同时发邮件的通知"), validators=[Optional()])
    quiet_from = TimeField(_l("免打扰开始"), validators=[Optional()])
    quiet_until = TimeField(_l("免打扰结束"), validators=[Optional()])
