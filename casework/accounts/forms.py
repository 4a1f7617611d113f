"""Forms for login, passwords and account management."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from casework.accounts.passwords import MIN_PASSWORD_LENGTH
from casework.core.forms import Form, SelectChoice

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]+$"


PASSWORD_RULES = _l(
    "至少 %(min)d 个字符；不能是常用密码，不能包含用户名或所属单位的名称。", min=MIN_PASSWORD_LENGTH
)


class LoginForm(Form):
    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(), Length(max=256)])


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("当前密码"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("新密码"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=256,
                message=_l("密码至少 %(min)d 个字符", min=MIN_PASSWORD_LENGTH),
            ),
        ],
        description=PASSWORD_RULES,
    )
    confirm_password = PasswordField(
        _l("再次输入新密码"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("两次输入的密码不一致"))],
    )


class UserForm(Form):
    username = StringField(
        _l("用户名"),
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(USERNAME_PATTERN, message=_l("用户名只能包含字母、数字、下划线、点和连字符")),
        ],
    )
    display_name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=64)])
    role = SelectField(_l("角色"), validators=[DataRequired()])
    unit_id = SelectField(_l("所属单位"), coerce=int, validators=[DataRequired()])
    supervised_unit_ids = SelectMultipleField(_l("督导的单位（仅督导）"), coerce=int)


class SetPasswordForm(Form):
    """Setting one's own password through a one-time link."""

    new_password = PasswordField(
        _l("新密码"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=256,
                message=_l("密码至少 %(min)d 个字符", min=MIN_PASSWORD_LENGTH),
            ),
        ],
        description=PASSWORD_RULES,
    )
    confirm_password = PasswordField(
        _l("再次输入新密码"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("两次输入的密码不一致"))],
    )


class ActionForm(Form):
    """An empty form for buttons that change state: it carries only the CSRF token."""


class LocaleForm(Form):
    locale = SelectField(
        _l("语言"), choices=[SelectChoice("zh_CN", "中文"), SelectChoice("en", "English")]
    )
    next = StringField()


class SecondFactorForm(Form):
    code = StringField(
        _l("验证码"),
        validators=[DataRequired(), Length(max=32)],
        description=_l("认证应用上显示的 6 位数字，或一个恢复码"),
    )
