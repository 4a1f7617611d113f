"""The form that makes a personal API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from casework.api.models import TokenScope
from casework.api.tokens import LIFETIMES
from casework.core.forms import Form, SelectChoice


class TokenForm(Form):
    name = StringField(
        _l("名称"),
        validators=[DataRequired(), Length(max=64)],
        description=_l("用它的系统，例如“12345 对接”或“区民政统计平台”"),
    )
    scope = SelectField(
        _l("权限"),
        choices=[SelectChoice(scope.value, scope.lazy_label) for scope in TokenScope],
        default=TokenScope.READ.value,
        validators=[DataRequired()],
    )
    days = SelectField(
        _l("有效期"),
        choices=[SelectChoice(str(days), _l("%(days)d 天", days=days)) for days in LIFETIMES],
        default=str(LIFETIMES[1]),
        coerce=int,
        validators=[DataRequired()],
    )
