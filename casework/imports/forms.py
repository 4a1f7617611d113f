"""Forms of the import pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField
from wtforms.validators import DataRequired, Optional

from casework.core.forms import Form, SelectChoice
from casework.imports.models import ImportKind
from casework.people.models import ConsentBasis


class UploadForm(Form):
    kind = SelectField(
        _l("名单类型"),
        choices=[SelectChoice(kind.value, kind.lazy_label) for kind in ImportKind],
        validators=[DataRequired()],
    )
    # Administrators only; the choices are filled in by the view.
    unit_id = SelectField(_l("导入到单位"), validators=[Optional()])
    consent_basis = SelectField(
        _l("个人信息处理依据"),
        choices=[SelectChoice("", _l("（请选择）"))]
        + [SelectChoice(basis.value, basis.lazy_label) for basis in ConsentBasis],
        validators=[Optional()],
    )
    consent_given_on = DateField(_l("同意或登记日期"), validators=[Optional()])
    # Type and size are checked by content in the service; the browser's claims count for nothing.
    file = FileField(_l("文件"), validators=[FileRequired(message=_l("请选择要上传的文件。"))])


class ConfirmForm(Form):
    skip_invalid = BooleanField(_l("跳过有问题的行，只导入没有问题的行"))
