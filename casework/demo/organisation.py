"""The demo organisation: a Changchun unit tree and one account per role."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from casework.accounts import services as accounts
from casework.accounts.models import Role, User
from casework.demo.tables import UnitCode
from casework.orgs.models import Unit, UnitKind
from casework.orgs.services import create_unit


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: UnitKind
    parent: UnitCode | None = None  # listed before its children


@dataclass(frozen=True)
class AccountSpec:
    username: str
    display_name: str
    role: Role
    unit: UnitCode
    supervised_units: tuple[UnitCode, ...] = ()


def seed_units(specs: Sequence[UnitSpec]) -> dict[str, Unit]:
    """The unit tree in file order, parents first; the units by code."""
    units: dict[str, Unit] = {}
    for spec in specs:
        units[spec.code] = create_unit(
            actor_id=None,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            parent=units[spec.parent] if spec.parent else None,
        )
    return units


def seed_accounts(
    specs: Sequence[AccountSpec], units: dict[str, Unit], password: str
) -> dict[str, User]:
    """The demo accounts, all with the public demo password; the accounts by username."""
    return {
        spec.username: accounts.create_user(
            actor=None,
            username=spec.username,
            display_name=spec.display_name,
            password=password,
            role=spec.role,
            unit=units[spec.unit],
            supervised_units=[units[code] for code in spec.supervised_units],
        )
        for spec in specs
    }
