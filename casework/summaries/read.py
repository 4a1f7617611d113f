"""Reading the summaries for a set of units and a range of days.

A set of units is covered by as few rows as possible: a unit whose whole subtree is in the
set reads its ``tree`` rows (one row per key and month, however many stations lie below),
and a unit in the set without all of its subtree (a tutor who supervises a centre but not
its stations) reads its ``own`` rows. Whole months come from month rows; the days before
the first and after the last whole month from day rows.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import g, has_app_context
from sqlalchemy import Select, func, or_, select

from casework.extensions import db
from casework.orgs.models import Unit
from casework.summaries.measures import BY_NAME
from casework.summaries.models import DAY, MONTH, OWN, TREE, UnitSummary

TABLE = UnitSummary.__table__
BEGINNING = date(1900, 1, 1)

# key -> [count, amount]
Totals = dict[str, list[int]]


@dataclass(frozen=True)
class Cover:
    """The rows that add up to a set of units: ``whole`` read tree rows, ``alone`` own rows."""

    whole: tuple[int, ...]
    alone: tuple[int, ...]


def _compute_cover(ids: set[int]) -> Cover:
    children: dict[int, list[int]] = defaultdict(list)
    parent: dict[int, int | None] = {}
    for unit_id, parent_id in db.session.execute(
        select(Unit.id, Unit.parent_id).where(or_(Unit.id.in_(ids), Unit.parent_id.in_(ids)))
    ):
        if unit_id in ids:
            parent[unit_id] = parent_id
        if parent_id in ids:
            children[parent_id].append(unit_id)
    known: dict[int, bool] = {}

    def is_whole(unit_id: int) -> bool:
        if unit_id not in known:
            known[unit_id] = all(
                child in ids and is_whole(child) for child in children.get(unit_id, ())
            )
        return known[unit_id]

    whole: list[int] = []
    alone: list[int] = []

    def walk(unit_id: int) -> None:
        if is_whole(unit_id):
            whole.append(unit_id)
            return
        alone.append(unit_id)
        for child in children.get(unit_id, ()):
            if child in ids:
                walk(child)

    for unit_id in sorted(parent):
        if parent[unit_id] not in ids:
            walk(unit_id)
    return Cover(tuple(sorted(whole)), tuple(sorted(alone)))


def cover(units: Sequence[int] | Select[Any]) -> Cover:
    """The cover of ``units`` (ids, or a query of ids), worked out once per request."""
    ids = set(db.session.scalars(units) if isinstance(units, Select) else units)
    key = frozenset(ids)
    cache: dict[frozenset[int], Cover] | None = None
    if has_app_context():
        cache = g.setdefault("summary_covers", {})
        if key in cache:
            return cache[key]
    found = _compute_cover(ids) if ids else Cover((), ())
    if cache is not None:
        cache[key] = found
    return found


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first and last month-starts of the whole months within [start, end], if any."""
    first = start if start.day == 1 else _next_month(start)
    last_day = calendar.monthrange(end.year, end.month)[1]
    after = _next_month(end) if end.day == last_day else end.replace(day=1)
    if first >= after:
        return None
    last = (after - timedelta(days=1)).replace(day=1)
    return first, last


def _sum(query: Select[Any], totals: Totals) -> None:
    for key, count, amount in db.session.execute(query):
        cell = totals.setdefault(key, [0, 0])
        cell[0] += int(count or 0)
        cell[1] += int(amount or 0)


def _rows(measure: str, scope: str, grain: str, units: Sequence[int]) -> Select[Any]:
    return (
        select(TABLE.c.key, func.sum(TABLE.c.count), func.sum(TABLE.c.amount))
        .where(
            TABLE.c.measure == measure,
            TABLE.c.scope == scope,
            TABLE.c.grain == grain,
            TABLE.c.unit_id.in_(units),
        )
        .group_by(TABLE.c.key)
    )


def totals(measure: str, units: Cover, start: date, end: date) -> Totals:
    """Count and amount per key of ``measure`` over the days ``start`` to ``end``."""
    if measure not in BY_NAME:
        raise KeyError(measure)
    found: Totals = {}
    if units.whole:
        day_ranges = [(start, end)]
        months = _whole_months(start, end)
        if months is not None:
            first, last = months
            _sum(
                _rows(measure, TREE, MONTH, units.whole).where(
                    TABLE.c.day >= first, TABLE.c.day <= last
                ),
                found,
            )
            day_ranges = [(start, first - timedelta(days=1)), (_next_month(last), end)]
        for low, high in day_ranges:
            if low <= high:
                _sum(
                    _rows(measure, TREE, DAY, units.whole).where(
                        TABLE.c.day >= low, TABLE.c.day <= high
                    ),
                    found,
                )
    if units.alone:
        _sum(
            _rows(measure, OWN, DAY, units.alone).where(TABLE.c.day >= start, TABLE.c.day <= end),
            found,
        )
    return found


def up_to(measure: str, units: Cover, day: date) -> Totals:
    """Running totals of ``measure`` from the beginning up to and including ``day``."""
    return totals(measure, units, BEGINNING, day)


def by_month(measure: str, units: Cover, first: date, months: int) -> dict[tuple[date, str], int]:
    """Counts per (month start, key) for ``months`` whole months from ``first``."""
    first = first.replace(day=1)
    after = first
    for _index in range(months):
        after = _next_month(after)
    found: dict[tuple[date, str], int] = defaultdict(int)
    # Month rows of the whole subtrees; day rows, summed into months, of the units alone.
    for scope, grain, ids in ((TREE, MONTH, units.whole), (OWN, DAY, units.alone)):
        if not ids:
            continue
        query = (
            select(TABLE.c.day, TABLE.c.key, func.sum(TABLE.c.count))
            .where(
                TABLE.c.measure == measure,
                TABLE.c.scope == scope,
                TABLE.c.grain == grain,
                TABLE.c.unit_id.in_(ids),
                TABLE.c.day >= first,
                TABLE.c.day < after,
            )
            .group_by(TABLE.c.day, TABLE.c.key)
        )
        for day, key, count in db.session.execute(query):
            found[(day.replace(day=1), key)] += int(count)
    return dict(found)


def raw_totals(measure: str, unit_ids: Sequence[int], start: date, end: date) -> Totals:
    """The same totals computed from the raw rows (the consistency check's reference)."""
    found: Totals = {}
    rows = BY_NAME[measure].rows(db.session.connection(), list(unit_ids), start, end)
    for (_unit, _day, key), (count, amount) in rows.items():
        cell = found.setdefault(key, [0, 0])
        cell[0] += count
        cell[1] += amount
    return found


def differences(
    unit_ids: Sequence[int], start: date, end: date
) -> dict[str, tuple[Totals, Totals]]:
    """Measures whose summary totals differ from the raw rows': (summary, raw) for each."""
    units = cover(unit_ids)
    found = {}
    for name in BY_NAME:
        summary, raw = totals(name, units, start, end), raw_totals(name, unit_ids, start, end)
        if summary != raw:
            found[name] = (summary, raw)
    return found
