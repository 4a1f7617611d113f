"""Forms of the annual assessment (年度考核)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from casework.core.forms import Form, SelectChoice
from casework.worker_reports.models import AssessmentGrade

LONG_TEXT = 5000


class AssessmentForm(Form):
    grade = SelectField(
        _l("考核等次"),
        choices=[SelectChoice("", _l("（请选择）"))]
        + [SelectChoice(member.value, member.lazy_label) for member in AssessmentGrade],
        validators=[Optional()],
    )
    strengths = TextAreaField(_l("主要优点"), validators=[Optional(), Length(max=LONG_TEXT)])
    improvements = TextAreaField(_l("改进方向"), validators=[Optional(), Length(max=LONG_TEXT)])
    comments = TextAreaField(_l("站长评语"), validators=[Optional(), Length(max=LONG_TEXT)])
    save = SubmitField(_l("保存草稿"))
    complete = SubmitField(_l("完成考核"))


class SignOffForm(Form):
    agrees = SelectField(
        _l("本人意见"),
        choices=[
            SelectChoice("", _l("（请选择）")),
            SelectChoice("yes", _l("同意考核结果")),
            SelectChoice("no", _l("不同意考核结果")),
        ],
        validators=[DataRequired(message=_l("请选择是否同意考核结果。"))],
    )
    comment = TextAreaField(_l("本人说明"), validators=[Optional(), Length(max=500)])
