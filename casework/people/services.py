"""Registering and updating service users; duplicate search; reference tags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.exc import IntegrityError

from casework.accounts.models import Role, User
from casework.core import audit
from casework.core.crypto import blind_candidates
from casework.core.rules import RuleError
from casework.extensions import db
from casework.orgs.models import Unit
from casework.people import idcard
from casework.people.models import (
    ConsentBasis,
    Gender,
    HouseholdMember,
    ServiceUser,
    VulnerabilityTag,
)

DEFAULT_TAGS = (
    "低保",
    "特困",
    "低收入",
    "残疾",
    "独居/孤寡老人",
    "空巢老人",
    "留守儿童",
    "困境儿童",
    "刑满释放",
    "社区矫正对象",
    "网瘾青少年",
    "家庭暴力受害者",
    "精神障碍",
    "失业",
)


class PersonError(RuleError):
    """A rule about service users forbids the change; ``code`` names the rule."""

    MESSAGES: ClassVar[dict[str, Any]] = {
        "invalid_id_number": _l("身份证号无效"),
        "birth_date_mismatch": _l("出生日期与身份证号中的出生日期不一致"),
        "tag_exists": _l("该标签已存在"),
        "legal_hold_reason": _l("请说明为什么要保留该服务对象的信息"),
    }

    def __init__(self, code: str) -> None:
        super().__init__(self.MESSAGES[code], code=code)


@dataclass(frozen=True)
class Holder:
    """Where an ID number is registered: the record, its unit and whom to ask there (the
    unit's station heads); never anything of the record's content."""

    person_id: int
    unit: Unit
    contacts: list[str]


class RegisteredElsewhere(PersonError):
    """The ID number belongs to a record already (one person, one file): the message names
    the unit and whom to ask there."""

    def __init__(self, holder: Holder) -> None:
        if holder.contacts:
            message = _l(
                "该身份证号已在%(unit)s登记（联系人：站长%(contacts)s），不能重复登记。",
                unit=holder.unit.name,
                contacts="、".join(holder.contacts),
            )
        else:
            message = _l("该身份证号已在%(unit)s登记，不能重复登记。", unit=holder.unit.name)
        RuleError.__init__(self, message, code="id_number_registered")
        self.holder = holder


def holds_id_number() -> ColumnElement[bool]:
    """The records that own their ID number (not merged away, not a registration twice
    made before the rule)."""
    return ServiceUser.merged_into_id.is_(None) & ServiceUser.id_number_conflict.is_(False)


def id_number_holder(id_number: str | None, *, excluding: int | None = None) -> Holder | None:
    """The record in the whole organisation that holds ``id_number``, if any."""
    number = idcard.normalise(id_number or "")
    if not number:
        return None
    query = select(ServiceUser).where(
        ServiceUser.id_number_index.in_(blind_candidates(number, "id_number")), holds_id_number()
    )
    if excluding is not None:
        query = query.where(ServiceUser.id != excluding)
    # Not flushing a changed record first: its new number would meet the unique index.
    with db.session.no_autoflush:
        person = db.session.scalars(query.limit(1)).first()
        if person is None:
            return None
        contacts = db.session.scalars(
            select(User.display_name)
            .where(
                User.unit_id == person.unit_id,
                User.role == Role.STATION_HEAD,
                User.is_active.is_(True),
            )
            .order_by(User.id)
        ).all()
        unit = person.unit
    return Holder(person_id=person.id, unit=unit, contacts=list(contacts))


@dataclass
class PersonDetails:
    """What a form collects about a person; services assign each field explicitly."""

    name: str
    gender: Gender | None
    birth_date: date | None
    id_number: str | None
    phone: str | None
    address: str | None
    notes: str | None
    consent_given_on: date | None
    consent_basis: ConsentBasis | None
    tags: list[VulnerabilityTag]


def _apply(person: ServiceUser, details: PersonDetails, actor: User) -> None:
    id_number = idcard.normalise(details.id_number or "") or None
    if id_number and not idcard.is_valid(id_number):
        raise PersonError("invalid_id_number")
    birth_date = details.birth_date
    if id_number:
        encoded = idcard.birth_date_of(id_number)
        if birth_date and encoded != birth_date:
            raise PersonError("birth_date_mismatch")
        birth_date = encoded
    if id_number != person.id_number:
        holder = id_number_holder(id_number, excluding=person.id)
        if holder is not None:
            raise RegisteredElsewhere(holder)
        # A record registered twice before the rule, given its correct number, holds it.
        person.id_number_conflict = False
    consent_changed = (details.consent_given_on, details.consent_basis) != (
        person.consent_given_on,
        person.consent_basis,
    )
    person.name = details.name.strip()
    person.gender = details.gender
    person.birth_date = birth_date
    person.id_number = id_number
    person.phone = (details.phone or "").strip() or None
    person.address = (details.address or "").strip() or None
    person.notes = (details.notes or "").strip() or None
    person.consent_given_on = details.consent_given_on
    person.consent_basis = details.consent_basis
    if consent_changed:
        person.consent_recorded_by_id = actor.id
    person.tags = list(details.tags)


def _flush_holding(person: ServiceUser) -> None:
    """Write ``person``; a record registered with the same ID number meanwhile (the
    database's unique index) refuses it as if it had been there before.

    The refusal rolls the request's transaction back (the form is shown again). Not a
    savepoint: the pending changes are written before one opens, so the index's refusal
    would come outside it, and on SQLite a savepoint opened before the request's first
    write is the outermost transaction."""
    id_number, person_id = person.id_number, person.id
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        holder = id_number_holder(id_number, excluding=person_id)
        if holder is None:
            raise
        raise RegisteredElsewhere(holder) from None


def register_person(*, actor: User, unit: Unit, details: PersonDetails) -> ServiceUser:
    """Add a service user to ``unit``; the ID number, if given, must be valid and not
    registered anywhere in the organisation."""
    person = ServiceUser(unit_id=unit.id, created_by_id=actor.id)
    _apply(person, details, actor)
    db.session.add(person)
    _flush_holding(person)
    audit.record("service_user.create", person, actor_id=actor.id)
    return person


def update_person(*, actor: User, person: ServiceUser, details: PersonDetails) -> None:
    _apply(person, details, actor)
    _flush_holding(person)
    audit.record("service_user.update", person, actor_id=actor.id)


def set_legal_hold(*, actor: User, person: ServiceUser, reason: str | None) -> None:
    """Hold the person's data past its retention period (``reason``), or lift the hold
    (``None``); casework/retention never anonymises a held person."""
    if reason is not None and not reason.strip():
        raise PersonError("legal_hold_reason")
    person.legal_hold = reason is not None
    person.legal_hold_reason = reason.strip() if reason is not None else None
    audit.record(
        "service_user.legal_hold" if reason is not None else "service_user.legal_hold_lifted",
        person,
        actor_id=actor.id,
    )


def find_possible_duplicates(
    scope: Select[ServiceUser],
    *,
    name: str,
    birth_date: date | None,
    id_number: str | None,
) -> list[ServiceUser]:
    """People in ``scope`` with the same ID number, or the same name and date of birth."""
    conditions: list[ColumnElement[bool]] = []
    if id_number:
        indexes = blind_candidates(idcard.normalise(id_number), "id_number")
        conditions.append(ServiceUser.id_number_index.in_(indexes))
    if name and birth_date:
        conditions.append(
            (func.lower(ServiceUser.name) == name.strip().lower())
            & (ServiceUser.birth_date == birth_date)
        )
    if not conditions:
        return []
    return list(db.session.scalars(scope.where(or_(*conditions)).order_by(ServiceUser.id)))


def add_household_member(
    *,
    actor: User,
    person: ServiceUser,
    name: str,
    relationship: str,
    birth_year: int | None,
    lives_together: bool,
    notes: str | None,
) -> HouseholdMember:
    member = HouseholdMember(
        service_user=person,
        name=name.strip(),
        relationship_to_user=relationship.strip(),
        birth_year=birth_year,
        lives_together=lives_together,
        notes=(notes or "").strip() or None,
    )
    db.session.add(member)
    db.session.flush()
    audit.record(
        "service_user.household_add",
        person,
        actor_id=actor.id,
        details={"member_id": member.id},
    )
    return member


def remove_household_member(*, actor: User, member: HouseholdMember) -> None:
    person = member.service_user
    db.session.delete(member)
    audit.record(
        "service_user.household_remove",
        person,
        actor_id=actor.id,
        details={"member_id": member.id},
    )


def active_tags() -> list[VulnerabilityTag]:
    return list(
        db.session.scalars(
            select(VulnerabilityTag)
            .where(VulnerabilityTag.is_active.is_(True))
            .order_by(VulnerabilityTag.position, VulnerabilityTag.id)
        )
    )


def all_tags() -> list[VulnerabilityTag]:
    return list(
        db.session.scalars(
            select(VulnerabilityTag).order_by(VulnerabilityTag.position, VulnerabilityTag.id)
        )
    )


def add_tag(*, actor: User | None, name: str) -> VulnerabilityTag:
    name = name.strip()
    if db.session.scalar(select(VulnerabilityTag).where(VulnerabilityTag.name == name)):
        raise PersonError("tag_exists")
    position = db.session.scalar(select(func.coalesce(func.max(VulnerabilityTag.position), 0)))
    tag = VulnerabilityTag(name=name, position=(position or 0) + 1)
    db.session.add(tag)
    db.session.flush()
    audit.record("tag.create", tag, actor_id=actor.id if actor else None, details={"name": name})
    return tag


def set_tag_active(*, actor: User, tag: VulnerabilityTag, active: bool) -> None:
    tag.is_active = active
    audit.record("tag.enable" if active else "tag.disable", tag, actor_id=actor.id)


def load_default_tags() -> int:
    """Add the standard vulnerable-group tags that are missing; returns how many were added."""
    existing = set(db.session.scalars(select(VulnerabilityTag.name)))
    added = 0
    for name in DEFAULT_TAGS:
        if name not in existing:
            add_tag(actor=None, name=name)
            added += 1
    return added
