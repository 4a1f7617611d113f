"""The upload form for attachments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from casework.attachments.services import DESCRIPTION_MAX_LENGTH
from casework.core.forms import Form


class AttachmentForm(Form):
    # Types are checked by content in the service; the browser's claims count for nothing.
    file = FileField(_l("文件"), validators=[FileRequired(message=_l("请选择要上传的文件。"))])
    description = StringField(
        _l("说明"), validators=[Optional(), Length(max=DESCRIPTION_MAX_LENGTH)]
    )
