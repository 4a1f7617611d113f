"""Household files (户档): a household of a unit, its address and the service users who live
in it, each with their relationship to the head of the household."""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, select

from casework.accounts.models import Role, User
from casework.accounts.permissions import casework_unit_ids
from casework.core import audit
from casework.core.rules import RuleError
from casework.extensions import db
from casework.people.models import Household, HouseholdPerson, ServiceUser

# Relationships to the head of the household, as the household register (户口簿) names them:
# stored as the Chinese term, shown in the reader's language.
RELATIONSHIPS: dict[str, Any] = {
    "户主": _l("户主"),
    "配偶": _l("配偶"),
    "子女": _l("子女"),
    "父母": _l("父母"),
    "孙子女": _l("孙子女"),
    "兄弟姐妹": _l("兄弟姐妹"),
    "祖父母": _l("祖父母"),
    "其他": _l("其他"),
}


class HouseholdError(RuleError):
    MESSAGES: ClassVar[dict[str, Any]] = {
        "other_unit": _l("只能加入本单位的服务对象"),
        "in_household": _l("该服务对象已属于一个户档"),
        "relationship": _l("请选择与户主的关系"),
        "name": _l("请填写户档名称"),
    }

    def __init__(self, code: str) -> None:
        super().__init__(self.MESSAGES[code], code=code)


def households_visible_to(user: User) -> Select[Household]:
    """The households of the units the user works with or supervises (as for people)."""
    query = select(Household)
    units = casework_unit_ids(user)
    if not units:
        return query.where(false())
    return query.where(Household.unit_id.in_(units))


def can_edit_household(user: User, household: Household) -> bool:
    return (
        user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD)
        and user.unit_id == household.unit_id
        and not user.is_pending_confirmation
    )


def can_list_households(user: User) -> bool:
    """The staff of the unit and its tutors (``casework_unit_ids``), as for people."""
    return bool(casework_unit_ids(user))


def can_create_household(user: User) -> bool:
    return user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD) and bool(casework_unit_ids(user))


def create_household(
    *, actor: User, name: str, address: str | None, notes: str | None
) -> Household:
    if not name.strip():
        raise HouseholdError("name")
    household = Household(
        unit_id=actor.unit_id,
        name=name.strip(),
        address=(address or "").strip() or None,
        notes=(notes or "").strip() or None,
        created_by_id=actor.id,
    )
    db.session.add(household)
    db.session.flush()
    audit.record("household.create", household, actor_id=actor.id)
    return household


def update_household(
    *, actor: User, household: Household, name: str, address: str | None, notes: str | None
) -> None:
    if not name.strip():
        raise HouseholdError("name")
    household.name = name.strip()
    household.address = (address or "").strip() or None
    household.notes = (notes or "").strip() or None
    audit.record("household.update", household, actor_id=actor.id)


def add_member(
    *, actor: User, household: Household, person: ServiceUser, relationship: str
) -> HouseholdPerson:
    if person.unit_id != household.unit_id:
        raise HouseholdError("other_unit")
    if relationship not in RELATIONSHIPS:
        raise HouseholdError("relationship")
    if household_of(person) is not None:
        raise HouseholdError("in_household")
    place = HouseholdPerson(
        household=household, service_user_id=person.id, relationship_to_head=relationship
    )
    db.session.add(place)
    db.session.flush()
    audit.record(
        "household.member_add", household, actor_id=actor.id, details={"person_id": person.id}
    )
    return place


def remove_member(*, actor: User, place: HouseholdPerson) -> None:
    household = place.household
    person_id = place.service_user_id
    db.session.delete(place)
    audit.record(
        "household.member_remove", household, actor_id=actor.id, details={"person_id": person_id}
    )


def household_of(person: ServiceUser) -> HouseholdPerson | None:
    return db.session.scalars(
        select(HouseholdPerson).where(HouseholdPerson.service_user_id == person.id)
    ).first()


def leave_household(person: ServiceUser) -> None:
    """Take a person whose file moves out of their household file (the old unit's)."""
    place = household_of(person)
    if place is not None and place.household.unit_id == person.unit_id:
        db.session.delete(place)
