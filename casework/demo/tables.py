"""Turning the tables of a demo data file into the spec dataclasses, checking as it goes.

A spec's type hints are its schema: a field typed ``UnitCode`` must name a unit the
organisation file defines, an enum field takes the member's stored value, a date field a
TOML date. Whatever does not fit raises ``DemoDataError`` naming the file and the key, so
a typo in the data fails before seeding starts rather than half-way through it.
"""

from __future__ import annotations

import dataclasses
import enum
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

T = TypeVar("T")


class DemoDataError(ValueError):
    """A demo data file that does not describe valid demo data."""


@dataclass(frozen=True)
class Reference:
    """Marks a string field as the key of something defined elsewhere in the demo data."""

    kind: str


UnitCode = Annotated[str, Reference("unit")]
Username = Annotated[str, Reference("account")]
TagName = Annotated[str, Reference("tag")]
PersonName = Annotated[str, Reference("person")]
VolunteerName = Annotated[str, Reference("volunteer")]
ProfileKey = Annotated[str, Reference("profile")]


@dataclass(frozen=True)
class Where:
    """A place in a data file, for error messages: ``cases.toml: cases[3].worker``."""

    file: str
    path: str = ""

    def key(self, name: str) -> Where:
        return Where(self.file, f"{self.path}.{name}" if self.path else name)

    def item(self, index: int) -> Where:
        return Where(self.file, f"{self.path}[{index}]")

    def error(self, message: str) -> DemoDataError:
        return DemoDataError(f"{self.file}: {self.path or '(top)'}: {message}")


@dataclass
class References:
    """The keys defined so far, by kind; a file may only refer to what is already known."""

    known: dict[str, set[str]] = field(default_factory=dict)

    def define(self, kind: str, key: str, where: Where) -> None:
        keys = self.known.setdefault(kind, set())
        if key in keys:
            raise where.error(f"{kind} {key!r} is defined twice")
        keys.add(key)

    def check(self, kind: str, key: str, where: Where) -> None:
        if key not in self.known.get(kind, set()):
            raise where.error(f"unknown {kind} {key!r}")


def read_table(path: Path) -> dict[str, Any]:
    """The file's top-level table; a syntax error names the file."""
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{path.name}: {error}") from error


def build_all(spec: type[T], items: Any, where: Where, references: References) -> tuple[T, ...]:
    """Each table of the array at ``where`` as a ``spec``."""
    if not isinstance(items, list):
        raise where.error("expected an array of tables")
    return tuple(
        build(spec, item, where.item(index), references) for index, item in enumerate(items)
    )


def build(spec: type[T], table: Any, where: Where, references: References) -> T:
    """One ``spec`` dataclass from a table: every key known, every required key present."""
    if not isinstance(table, dict):
        raise where.error("expected a table")
    fields = {item.name: item for item in dataclasses.fields(spec)}  # type: ignore[arg-type]
    unknown = sorted(set(table) - set(fields))
    if unknown:
        raise where.error(f"unknown key {unknown[0]!r} (expected one of {', '.join(fields)})")
    hints = typing.get_type_hints(spec, include_extras=True)
    values: dict[str, Any] = {}
    for name, item in fields.items():
        if name in table:
            values[name] = convert(hints[name], table[name], where.key(name), references)
        elif _is_required(item):
            raise where.error(f"missing key {name!r}")
    return spec(**values)


def _is_required(item: dataclasses.Field[Any]) -> bool:
    no_default = item.default is dataclasses.MISSING
    return no_default and item.default_factory is dataclasses.MISSING


def convert(hint: Any, value: Any, where: Where, references: References) -> Any:
    """``value`` as the type ``hint`` names, or a ``DemoDataError`` saying why not."""
    origin = typing.get_origin(hint)
    if origin is Annotated:
        base, *marks = typing.get_args(hint)
        converted = convert(base, value, where, references)
        for mark in marks:
            if isinstance(mark, Reference):
                references.check(mark.kind, converted, where)
        return converted
    if origin is Literal:
        choices = typing.get_args(hint)
        if value not in choices:
            raise where.error(f"{value!r} is not one of {', '.join(map(str, choices))}")
        return value
    if origin in (types.UnionType, typing.Union):
        (present,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
        return convert(present, value, where, references)
    if origin is tuple:
        item_hint = typing.get_args(hint)[0]
        items = _expect(list, value, where)
        return tuple(
            convert(item_hint, item, where.item(index), references)
            for index, item in enumerate(items)
        )
    if origin is dict:
        key_hint, value_hint = typing.get_args(hint)
        table = _expect(dict, value, where)
        return {
            convert(key_hint, key, where.key(key), references): convert(
                value_hint, item, where.key(key), references
            )
            for key, item in table.items()
        }
    return _convert_plain(hint, value, where, references)


def _convert_plain(hint: Any, value: Any, where: Where, references: References) -> Any:
    if dataclasses.is_dataclass(hint):
        return build(hint, value, where, references)  # type: ignore[arg-type]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _member(hint, value, where)
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise where.error(f"expected a number, not {value!r}")
        return float(value)
    if hint is date and isinstance(value, datetime):
        raise where.error(f"expected a date without a time, not {value!r}")
    return _expect(hint, value, where)


def _member(enum_class: type[enum.Enum], value: Any, where: Where) -> enum.Enum:
    """The member stored as ``value``; the error lists the values allowed."""
    for member in enum_class:
        if member.value == value:
            return member
    allowed = ", ".join(str(member.value) for member in enum_class)
    raise where.error(f"{value!r} is not a {enum_class.__name__} (one of {allowed})")


def _expect(kind: type[T], value: Any, where: Where) -> T:
    wrong_bool = isinstance(value, bool) and kind is not bool
    if wrong_bool or not isinstance(value, kind):
        raise where.error(f"expected {_NAMES.get(kind, kind.__name__)}, not {value!r}")
    return value


_NAMES: Mapping[type, str] = {
    str: "a string",
    int: "an integer",
    bool: "true or false",
    list: "an array",
    dict: "a table",
    date: "a date (1990-01-31)",
    time: "a time of day (09:30:00)",
}
