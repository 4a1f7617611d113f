"""Forms of the residents' public help pages (no login), and the stations they may pick."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, Optional

from casework.core.forms import Form, SelectChoice
from casework.extensions import db
from casework.helpdesk.models import ContactPreference, RequestCategory
from casework.orgs.models import BUREAU_KINDS, Unit, UnitKind

DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 2000
NAME_MAX = 32
PHONE_MAX = 20
PHONE_CHARACTERS = re.compile(r"[0-9+\- ]+")
PHONE_DIGITS = (7, 20)
# Choices that only make sense with a number to call or text.
NEEDS_PHONE = frozenset({ContactPreference.PHONE.value, ContactPreference.SMS.value})


class UnitFacts(Protocol):
    """What choosing a station needs of a unit: a ``Unit`` or a row of these columns."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> UnitKind: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def path(self) -> str: ...
    @property
    def is_active(self) -> bool: ...


UNIT_FACTS = (Unit.id, Unit.name, Unit.kind, Unit.parent_id, Unit.path, Unit.is_active)


@dataclass(frozen=True)
class OfferedUnit:
    """A unit residents may address, and the ``<optgroup>`` it is listed under."""

    unit: UnitFacts
    group: str


def _offered_group(unit: UnitFacts, by_id: Mapping[int, UnitFacts]) -> str | None:
    """The ``<optgroup>`` of ``unit`` if residents may address it; ``by_id`` has its ancestors.

    Active stations under their street centre, and active institutions under a bureau; a
    unit under an inactive ancestor is left out too, since a closed centre no longer guides
    (or answers for) its stations.
    """
    parent = by_id.get(unit.parent_id) if unit.parent_id is not None else None
    if parent is None or not unit.is_active:
        return None
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    if not all(by_id[i].is_active for i in ids if i in by_id):
        return None
    if unit.kind is UnitKind.STATION and parent.kind is UnitKind.CENTRE:
        bureau = by_id.get(parent.parent_id) if parent.parent_id is not None else None
        return f"{bureau.name} · {parent.name}" if bureau else parent.name
    if unit.kind is UnitKind.INSTITUTION and parent.kind in BUREAU_KINDS:
        return f"{parent.name} · {UnitKind.INSTITUTION.label}"
    return None


def offered_units(units: Sequence[UnitFacts]) -> list[OfferedUnit]:
    """The units residents may address, out of ``units``: the whole tree in path order."""
    by_id = {unit.id: unit for unit in units}
    offered: list[OfferedUnit] = []
    for unit in units:
        group = _offered_group(unit, by_id)
        if group is not None:
            offered.append(OfferedUnit(unit=unit, group=group))
    return offered


def all_offered_units() -> list[OfferedUnit]:
    """Every unit residents may address, in tree order, from one query of six columns."""
    rows = db.session.execute(select(*UNIT_FACTS).order_by(Unit.path))
    return offered_units(list(rows))


def offered_unit(unit_id: str | None) -> tuple[Unit, str] | None:
    """The unit with this id and its group, if residents may address it.

    A primary-key lookup of the unit and one of its ancestors, instead of the whole tree.
    """
    if not unit_id or not unit_id.isascii() or not unit_id.isdigit() or len(unit_id) > 18:
        return None
    unit = db.session.get(Unit, int(unit_id))
    if unit is None:
        return None
    ancestor_ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    if unit.parent_id is not None:
        ancestor_ids.append(unit.parent_id)
    by_id: dict[int, UnitFacts] = {
        row.id: row
        for row in db.session.execute(select(*UNIT_FACTS).where(Unit.id.in_(ancestor_ids)))
    }
    by_id[unit.id] = unit
    group = _offered_group(unit, by_id)
    return (unit, group) if group is not None else None


def station_choices(offered: Sequence[OfferedUnit]) -> list[SelectChoice]:
    """A blank first option, then one ``<optgroup>`` per centre (or bureau), in tree order.

    Institutions sit beside the centres under their bureau, so the path order can split a
    group; gathering by group keeps each ``<optgroup>`` in one piece.
    """
    groups: dict[str, list[UnitFacts]] = {}
    for item in offered:
        groups.setdefault(item.group, []).append(item.unit)
    choices = [SelectChoice("", _l("请选择您所在社区的社工站"))]
    for group, members in groups.items():
        choices += [SelectChoice(str(unit.id), unit.name, optgroup=group) for unit in members]
    return choices


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def validate_phone_number(_form: Any, field: Field) -> None:
    """7 to 20 digits; ``+``, ``-`` and spaces are allowed between them."""
    value = field.data or ""
    if not PHONE_CHARACTERS.fullmatch(value):
        raise ValidationError(_l("电话号码只能包含数字、“+”、“-”和空格。"))
    digits = sum(character.isdigit() for character in value)
    low, high = PHONE_DIGITS
    if not low <= digits <= high:
        raise ValidationError(
            _l("请填写 %(low)d 到 %(high)d 位数字的电话号码。", low=low, high=high)
        )


# ``invalid_choice_message`` is WTForms 3.3; its published stubs predate it (see core.forms).
class HelpRequestForm(Form):
    station = SelectField(  # type: ignore[call-arg]
        _l("社工站"),
        validators=[DataRequired(message=_l("请选择您所在社区的社工站。"))],
        invalid_choice_message=_l("请从列表中选择社工站。"),
    )
    category = SelectField(  # type: ignore[call-arg]
        _l("求助类别"),
        choices=[SelectChoice("", _l("请选择"))]
        + [SelectChoice(c.value, c.lazy_label) for c in RequestCategory],
        validators=[DataRequired(message=_l("请选择求助类别。"))],
        invalid_choice_message=_l("请从列表中选择求助类别。"),
    )
    description = TextAreaField(
        _l("您遇到了什么困难，需要什么帮助？"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("请写下您遇到的困难和需要的帮助。")),
            Length(
                min=DESCRIPTION_MIN,
                message=_l("请至少写 %(min)d 个字，让社工了解您的情况。"),
            ),
            Length(
                max=DESCRIPTION_MAX,
                message=_l("最多 %(max)d 个字，您现在写了 %(length)d 个字，请删减。"),
            ),
        ],
    )
    name = StringField(
        _l("称呼（可不填）"),
        filters=[_strip],
        validators=[Optional(), Length(max=NAME_MAX, message=_l("称呼最多 %(max)d 个字。"))],
    )
    phone = StringField(
        _l("联系电话（可不填）"),
        filters=[_strip],
        validators=[Optional(), validate_phone_number],
    )
    contact_preference = RadioField(  # type: ignore[call-arg]
        _l("希望社工怎样联系您？"),
        choices=[SelectChoice(c.value, c.lazy_label) for c in ContactPreference],
        invalid_choice_message=_l("请选择希望的联系方式。"),
    )
    consent = BooleanField(
        _l(
            "我已阅读《个人信息保护说明》，同意社工站为处理本次求助使用我填写的信息"
            "（包括描述中可能涉及的健康、家庭等敏感信息）。"
        ),
        validators=[DataRequired(message=_l("请阅读个人信息保护说明，并勾选同意后再提交。"))],
    )
    # A honeypot: hidden from people (off-screen, skipped by the keyboard, hidden from
    # screen readers); robots that fill every field give themselves away.
    website = StringField(_l("网址（请勿填写）"))

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)
        if self.contact_preference.data in NEEDS_PHONE and not self.phone.data:
            if not self.phone.errors:
                self.phone.errors = [
                    *self.phone.errors,
                    _l(
                        "您选择了电话或短信联系，请填写联系电话；如不想留电话，请选择其他联系方式。"
                    ),
                ]
            return False
        return valid

    @property
    def is_robot(self) -> bool:
        return bool((self.website.data or "").strip())


class TrackingCodeForm(Form):
    code = StringField(
        _l("查询码"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("请输入查询码。")),
            Length(max=40, message=_l("查询码为 12 位字母和数字，请核对。")),
        ],
    )
