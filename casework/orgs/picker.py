"""Choosing a unit from thousands (a province): the units near one's own by default, or
those whose code or name matches what the user typed, never the whole organisation at
once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import Select, or_

from casework.core.forms import SelectChoice
from casework.core.inputs import db_int
from casework.extensions import db
from casework.orgs.models import Unit

LIMIT = 50
# Levels above one's own unit whose subtree counts as "near" (the street centre's district).
NEAR_LEVELS = 2


@dataclass(frozen=True)
class UnitChoices:
    choices: list[SelectChoice]
    # More units matched than are offered: the user should narrow the search.
    more: bool
    term: str


def near_prefix(unit: Unit) -> str:
    """The path of ``unit``'s ancestor ``NEAR_LEVELS`` up (or the root)."""
    ids = unit.path.strip("/").split("/")
    kept = ids[: max(1, len(ids) - NEAR_LEVELS)]
    return "/" + "/".join(kept) + "/"


def picked(form: Any, field: str) -> tuple[str, int | None]:
    """The search term (``unit_q`` in the query string) and the unit a submitted form
    chose, if it is a number an id can be."""
    term = request.args.get("unit_q") or ""
    try:
        chosen = db_int(str(form[field].raw_data[0])) if form[field].raw_data else None
    except (ValueError, IndexError):
        chosen = None
    return term, chosen


def pick_units(
    candidates: Select[Unit], *, near: Unit, term: str, chosen: int | None
) -> UnitChoices:
    """At most ``LIMIT`` of ``candidates``: those matching ``term`` anywhere, or without a
    term those near ``near``; the ``chosen`` one (a submitted form's) is always offered
    when it is a candidate, so that a form shown again keeps it."""
    term = term.strip()[:50]
    if term:
        query = candidates.where(
            or_(
                Unit.name.contains(term, autoescape=True),
                Unit.code.contains(term.upper(), autoescape=True),
            )
        )
    else:
        query = candidates.where(Unit.path.startswith(near_prefix(near), autoescape=True))
    units = list(db.session.scalars(query.order_by(Unit.path).limit(LIMIT + 1)))
    more = len(units) > LIMIT
    units = units[:LIMIT]
    if chosen is not None and chosen not in {unit.id for unit in units}:
        units[:0] = db.session.scalars(candidates.where(Unit.id == chosen)).all()
    return UnitChoices(
        [SelectChoice(str(unit.id), f"{unit.code} {unit.name}") for unit in units], more, term
    )
