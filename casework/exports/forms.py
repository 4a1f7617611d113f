"""Forms of the reports and exports pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from casework.core.forms import Form, SelectChoice


class FullIdentifiersForm(Form):
    """What a file with full ID and phone numbers is for: the audit log keeps the answer."""

    reason = TextAreaField(
        _l("用途"),
        validators=[
            DataRequired(message=_l("请说明导出完整号码的用途")),
            Length(min=4, max=200, message=_l("用途请写 4 到 200 个字")),
        ],
    )
    format = SelectField(
        _l("格式"),
        choices=[SelectChoice("xlsx", "Excel"), SelectChoice("csv", "CSV")],
        default="xlsx",
    )
    q = HiddenField()


class ApprovalDecisionForm(Form):
    """Approving needs only the button; not approving needs a reason for the requester."""

    note = TextAreaField(_l("不批准的原因"), validators=[Length(max=500)])
