"""The wall screen address form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from casework.core.forms import Form


class DisplayTokenForm(Form):
    label = StringField(
        _l("大屏名称"),
        validators=[
            DataRequired(message=_l("请填写大屏名称，例如“指挥中心大屏”。")),
            Length(max=100),
        ],
        description=_l("说明这块屏幕放在哪里，便于日后停用。"),
    )
