"""Designating pilot units and keeping the pilot's stages; every change is audited.

Audit entries name the unit and the kind of pilot, never the responsible persons' names or
phone numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from casework.accounts.models import User
from casework.core import audit
from casework.core.clock import local_today
from casework.core.rules import RuleError
from casework.extensions import db
from casework.orgs.models import Unit
from casework.pilot.models import (
    LEVEL_OF_DESIGNATING_BUREAU,
    UNIT_KINDS_FOR_PILOT,
    PilotKind,
    PilotStage,
    PilotUnit,
)


class PilotError(RuleError):
    """A pilot rule refuses the change."""


MESSAGES = {
    "unit_kind": _l("该单位的类型不能作为这一类试点。"),
    "already_pilot": _l("该单位已是试点单位。"),
    "withdrawn": _l("该试点单位已撤销。"),
    "withdrawn_before": _l("撤销日期不能早于确定日期。"),
    "designated_in_future": _l("日期不能晚于今天。"),
    "withdrawn_in_future": _l("日期不能晚于今天。"),
    "stage_order": _l("结束日期不能早于开始日期。"),
    "stage_overlap": _l("与其他阶段的日期重叠。"),
    "last_stage": _l("至少要保留一个阶段。"),
}


def _error(code: str) -> PilotError:
    return PilotError(MESSAGES[code], code=code)


@dataclass(frozen=True)
class Contacts:
    """The pilot's 一把手 (who answers for it) and the person who runs it day to day."""

    head_name: str
    head_post: str
    head_phone: str | None
    contact_name: str
    contact_post: str
    contact_phone: str | None


def pilot_root(unit: Unit) -> int:
    """The id of the top of ``unit``'s tree: the province whose pilot it takes part in."""
    return int(unit.path.strip("/").split("/")[0])


def is_active_pilot(unit: Unit) -> bool:
    """Whether ``unit`` is a pilot unit now (a withdrawn designation does not count)."""
    return (
        db.session.scalars(
            select(PilotUnit.id).where(
                PilotUnit.unit_id == unit.id, PilotUnit.withdrawn_on.is_(None)
            )
        ).first()
        is not None
    )


def _set_contacts(pilot: PilotUnit, contacts: Contacts) -> None:
    pilot.head_name = contacts.head_name
    pilot.head_post = contacts.head_post
    pilot.head_phone = contacts.head_phone or None
    pilot.contact_name = contacts.contact_name
    pilot.contact_post = contacts.contact_post
    pilot.contact_phone = contacts.contact_phone or None


def designate(
    *, actor: User, unit: Unit, kind: PilotKind, designated_on: date, contacts: Contacts
) -> PilotUnit:
    """Make ``unit`` a pilot unit; the province's designations are 省级, a city's 市级, a
    county bureau's 县级."""
    if unit.kind not in UNIT_KINDS_FOR_PILOT[kind]:
        raise _error("unit_kind")
    if designated_on > local_today():
        raise _error("designated_in_future")
    if is_active_pilot(unit):
        raise _error("already_pilot")
    level = LEVEL_OF_DESIGNATING_BUREAU[actor.unit.kind]
    pilot = PilotUnit(
        unit_id=unit.id,
        kind=kind,
        level=level,
        designated_on=designated_on,
        designated_by_id=actor.id,
        designated_by_unit_id=actor.unit_id,
    )
    _set_contacts(pilot, contacts)
    db.session.add(pilot)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        # Designated meanwhile by another request: the partial unique index refuses it.
        raise _error("already_pilot") from None
    audit.record(
        "pilot_unit.designate",
        pilot,
        actor_id=actor.id,
        unit_id=unit.id,
        details={"kind": kind.value, "level": level.value},
    )
    return pilot


def update(
    *, actor: User, pilot: PilotUnit, kind: PilotKind, designated_on: date, contacts: Contacts
) -> None:
    """Correct a pilot unit's kind, date or responsible persons."""
    if not pilot.is_active:
        raise _error("withdrawn")
    if pilot.unit.kind not in UNIT_KINDS_FOR_PILOT[kind]:
        raise _error("unit_kind")
    if designated_on > local_today():
        raise _error("designated_in_future")
    pilot.kind = kind
    pilot.designated_on = designated_on
    _set_contacts(pilot, contacts)
    db.session.flush()
    audit.record(
        "pilot_unit.update",
        pilot,
        actor_id=actor.id,
        unit_id=pilot.unit_id,
        details={"kind": kind.value},
    )


def withdraw(*, actor: User, pilot: PilotUnit, on: date) -> None:
    """End a unit's designation; the record stays, marked withdrawn."""
    if not pilot.is_active:
        raise _error("withdrawn")
    if on < pilot.designated_on:
        raise _error("withdrawn_before")
    if on > local_today():
        raise _error("withdrawn_in_future")
    pilot.withdrawn_on = on
    db.session.flush()
    audit.record(
        "pilot_unit.withdraw",
        pilot,
        actor_id=actor.id,
        unit_id=pilot.unit_id,
        details={"withdrawn_on": on.isoformat()},
    )


# Stages -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """A stage of the pilot; ``id`` is None for the plan's stages while none are stored."""

    name: str
    starts_on: date
    ends_on: date
    id: int | None = None

    def is_current(self, today: date) -> bool:
        return self.starts_on <= today <= self.ends_on


# The plan (吉民发〔2010〕31号, 27 April 2010) sets the steps of 分步推进实施 and their end,
# the end of the 12th five-year plan ("十二五"末); the years between are the defaults a
# province bureau adjusts.
PLAN_STAGES = (
    (
        _l("准备部署：确定试点单位，成立工作机构，制定工作方案"),
        date(2010, 4, 27),
        date(2010, 12, 31),
    ),
    (_l("岗位开发与制度建设"), date(2011, 1, 1), date(2012, 12, 31)),
    (_l("教育培训与持证推进"), date(2013, 1, 1), date(2015, 12, 31)),
)


def stages_for(province_id: int) -> list[Stage]:
    """The province's stages in date order, or the plan's when it has stored none."""
    rows = db.session.scalars(
        select(PilotStage)
        .where(PilotStage.province_id == province_id)
        .order_by(PilotStage.starts_on, PilotStage.id)
    ).all()
    if not rows:
        return [Stage(str(name), start, end) for name, start, end in PLAN_STAGES]
    return [Stage(row.name, row.starts_on, row.ends_on, row.id) for row in rows]


def current_stage(stages: list[Stage], today: date) -> Stage | None:
    """The stage ``today`` falls in; None before the first or after the last."""
    return next((stage for stage in stages if stage.is_current(today)), None)


def _store_plan_stages(province_id: int) -> None:
    """Editing starts from the plan's stages: store them the first time one is changed."""
    exists = db.session.scalars(
        select(PilotStage.id).where(PilotStage.province_id == province_id)
    ).first()
    if exists is None:
        for name, start, end in PLAN_STAGES:
            db.session.add(
                PilotStage(province_id=province_id, name=str(name), starts_on=start, ends_on=end)
            )
        db.session.flush()


def _check_dates(province_id: int, starts_on: date, ends_on: date, stage_id: int | None) -> None:
    if ends_on < starts_on:
        raise _error("stage_order")
    for other in stages_for(province_id):
        if other.id != stage_id and other.starts_on <= ends_on and starts_on <= other.ends_on:
            raise _error("stage_overlap")


def add_stage(*, actor: User, name: str, starts_on: date, ends_on: date) -> PilotStage:
    province_id = pilot_root(actor.unit)
    _store_plan_stages(province_id)
    _check_dates(province_id, starts_on, ends_on, None)
    stage = PilotStage(province_id=province_id, name=name, starts_on=starts_on, ends_on=ends_on)
    db.session.add(stage)
    db.session.flush()
    audit.record("pilot_stage.add", stage, actor_id=actor.id, details={"name": name})
    return stage


def stage_of(actor: User, stage_id: int) -> PilotStage | None:
    """The stored stage ``stage_id`` of the actor's province, else None."""
    return db.session.scalars(
        select(PilotStage).where(
            PilotStage.id == stage_id, PilotStage.province_id == pilot_root(actor.unit)
        )
    ).first()


def plan_stage(actor: User, number: int) -> PilotStage | None:
    """The plan's ``number``-th stage (from 1) while the province has stored none: the
    plan's stages are stored first, so that it has a row. None once stages are stored (an
    address from a page shown before then), or for a number the plan does not have."""
    province_id = pilot_root(actor.unit)
    stored = db.session.scalars(
        select(PilotStage.id).where(PilotStage.province_id == province_id)
    ).first()
    if stored is not None or not 1 <= number <= len(PLAN_STAGES):
        return None
    _store_plan_stages(province_id)
    return db.session.scalars(
        select(PilotStage)
        .where(PilotStage.province_id == province_id)
        .order_by(PilotStage.starts_on, PilotStage.id)
        .offset(number - 1)
    ).first()


def update_stage(
    *, actor: User, stage: PilotStage, name: str, starts_on: date, ends_on: date
) -> None:
    _check_dates(stage.province_id, starts_on, ends_on, stage.id)
    stage.name = name
    stage.starts_on = starts_on
    stage.ends_on = ends_on
    db.session.flush()
    audit.record("pilot_stage.update", stage, actor_id=actor.id, details={"name": name})


def delete_stage(*, actor: User, stage: PilotStage) -> None:
    """Delete a stored stage; never the last one, which would bring back the plan's."""
    others = db.session.scalars(
        select(PilotStage.id).where(
            PilotStage.province_id == stage.province_id, PilotStage.id != stage.id
        )
    ).first()
    if others is None:
        raise _error("last_stage")
    audit.record("pilot_stage.delete", stage, actor_id=actor.id, details={"name": stage.name})
    db.session.delete(stage)
    db.session.flush()
