"""Forms for the organisation tree."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from casework.core.forms import Form, SelectChoice
from casework.orgs.models import Unit, UnitKind

NO_PARENT = 0


class UnitForm(Form):
    code = StringField(
        _l("单位代码"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(r"^[A-Za-z0-9-]+$", message=_l("单位代码只能包含字母、数字和连字符")),
        ],
    )
    name = StringField(_l("单位名称"), validators=[DataRequired(), Length(max=100)])
    kind = SelectField(
        _l("单位类型"),
        choices=[SelectChoice(kind.value, kind.lazy_label) for kind in UnitKind],
        validators=[DataRequired()],
    )
    parent_id = SelectField(_l("上级单位"), coerce=int)


def unit_choices(units: list[Unit]) -> list[SelectChoice]:
    """Options for a unit picker: code and name, in tree order."""
    return [SelectChoice(str(unit.id), f"{unit.code} {unit.name}") for unit in units]
