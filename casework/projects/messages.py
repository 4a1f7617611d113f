"""Messages the forms and the services both give."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

INVALID_CREDIT_CODE = _l(
    "统一社会信用代码不正确：应为 18 位数字或大写字母，且校验码须符合国家标准。"
)
