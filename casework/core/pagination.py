"""Keyset pagination for the long lists (caseload, people, help queue, audit log).

An offset (``LIMIT 25 OFFSET 25000``) makes the database walk past every skipped row, so
deep pages get slower as a table grows. Here the "next" link names the last row of the
page (``?page=3&after=<id>``) and the next page starts right after that row's sort key,
which an index on the sort columns finds directly; "previous" names the first row
(``before=<id>``). Only row ids travel in the URL, never the sort values (a person's name
is personal data). A bare ``?page=N`` (an old link or a bookmark) still works, by offset.

The page object offers what ``macros/forms.html``'s ``pagination`` macro and the list
templates read from Flask-SQLAlchemy's pagination (items, page, pages, total, has_prev,
has_next, prev_num, next_num), plus the cursor arguments of the two links.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from casework.core.inputs import db_int
from casework.extensions import db

# (column, descending)
SortKey = tuple[InstrumentedAttribute[Any], bool]


@dataclass
class KeysetPage:
    items: list[Any]
    page: int
    per_page: int
    total: int
    prev_args: dict[str, Any] = field(default_factory=dict)
    next_args: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def _after(keys: Sequence[SortKey], values: Sequence[Any], *, forward: bool) -> Any:
    """Rows strictly after (or, going back, before) ``values`` in the order of ``keys``.

    ``(a, b) > (x, y)`` written as ``a >= x AND (a > x OR (a = x AND b > y))``, which works
    for mixed directions on every database; the leading ``a >= x`` is an index range.
    """

    def beyond(column: Any, descending: bool, value: Any) -> Any:
        later = column < value if descending else column > value
        earlier = column > value if descending else column < value
        return later if forward else earlier

    alternatives = []
    for index, (column, descending) in enumerate(keys):
        equal = [keys[j][0] == values[j] for j in range(index)]
        alternatives.append(and_(*equal, beyond(column, descending, values[index])))
    first_column, first_descending = keys[0]
    upward = first_descending != forward
    leading = first_column >= values[0] if upward else first_column <= values[0]
    return and_(leading, or_(*alternatives))


def _ordered(query: Select[Any], keys: Sequence[SortKey], *, reverse: bool = False) -> Any:
    clauses = []
    for column, descending in keys:
        down = descending != reverse
        clauses.append(column.desc() if down else column.asc())
    return query.order_by(None).order_by(*clauses)


def _int_arg(args: Mapping[str, Any], name: str) -> int | None:
    try:
        value = db_int(args.get(name) or "0")
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def keyset_paginate(
    query: Select[Any],
    *,
    keys: Sequence[SortKey],
    id_column: InstrumentedAttribute[int],
    args: Mapping[str, Any],
    per_page: int,
) -> KeysetPage:
    """One page of ``query`` in the order of ``keys`` (the last key must make it unique).

    Sort keys that may be NULL cannot be compared across databases (SQLite sorts NULLs
    first, PostgreSQL last), so such orders page by offset.
    """
    page = _int_arg(args, "page") or 1
    after, before = _int_arg(args, "after"), _int_arg(args, "before")
    total = int(
        db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )
    keyset = all(not column.expression.nullable for column, _descending in keys)
    cursor = after or before
    boundary = None
    if keyset and cursor is not None:
        # Read through the page's own query: a row outside the user's scope (or filters)
        # is no boundary, so its sort values cannot be probed; the page falls back to offset.
        scoped = query.order_by(None).subquery()
        boundary = db.session.execute(
            select(*(scoped.c[column.expression.name] for column, _descending in keys)).where(
                scoped.c[id_column.expression.name] == cursor
            )
        ).first()
    if boundary is not None and after is not None:
        items = list(
            db.session.scalars(
                _ordered(query, keys).where(_after(keys, boundary, forward=True)).limit(per_page)
            )
        )
    elif boundary is not None:
        backwards = _ordered(query, keys, reverse=True).where(_after(keys, boundary, forward=False))
        items = list(reversed(list(db.session.scalars(backwards.limit(per_page)))))
        if len(items) < per_page:  # fewer rows before the cursor than a page: the first page
            page = 1
            items = list(db.session.scalars(_ordered(query, keys).limit(per_page)))
    else:
        offset = (page - 1) * per_page
        items = list(db.session.scalars(_ordered(query, keys).limit(per_page).offset(offset)))
    result = KeysetPage(items=items, page=page, per_page=per_page, total=total)
    if keyset and items and result.has_next:
        result.next_args = {"after": _row_id(items[-1], id_column)}
    if keyset and items and page > 2:  # page 1 is simply the top of the list
        result.prev_args = {"before": _row_id(items[0], id_column)}
    return result


def _row_id(item: Any, id_column: InstrumentedAttribute[int]) -> int:
    return int(getattr(item, id_column.key))
