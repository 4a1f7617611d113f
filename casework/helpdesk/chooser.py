"""The help form's first step: find one's station by area (district → street → station) or by
name, as plain links that work without script, instead of one select of every station.

A province offers over a thousand stations; each page here lists the areas or stations of
one level only, and a level with a single area is skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from casework.extensions import db
from casework.helpdesk.public_forms import UNIT_FACTS, OfferedUnit, UnitFacts, offered_units
from casework.orgs.models import Unit

QUERY_MAX = 40
MATCHES_SHOWN = 30


@dataclass(frozen=True)
class Area:
    """A bureau or centre with stations below it, and how many."""

    id: int
    name: str
    stations: int


@dataclass
class Step:
    """What the first step shows: where the resident is, and what lies one level below."""

    trail: list[Area] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    stations: list[OfferedUnit] = field(default_factory=list)
    query: str = ""
    matches: list[OfferedUnit] | None = None
    more_matches: int = 0


def _path_ids(unit: UnitFacts) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part]


class Tree:
    """The offered stations and the areas above them, from one query of six columns."""

    def __init__(self, units: Sequence[UnitFacts]) -> None:
        self.by_id = {unit.id: unit for unit in units}
        self.offered = offered_units(units)
        self.children: dict[int | None, list[int]] = {}
        self.station_count: dict[int, int] = {}
        offered_ids = {item.unit.id for item in self.offered}
        for item in self.offered:
            ids = _path_ids(item.unit)
            parent: int | None = None
            for unit_id in ids:
                siblings = self.children.setdefault(parent, [])
                if unit_id not in siblings:
                    siblings.append(unit_id)
                if unit_id not in offered_ids:
                    self.station_count[unit_id] = self.station_count.get(unit_id, 0) + 1
                parent = unit_id
        self._offered_by_id = {item.unit.id: item for item in self.offered}

    @classmethod
    def load(cls) -> Tree:
        return cls(list(db.session.execute(select(*UNIT_FACTS).order_by(Unit.path))))

    def _area(self, unit_id: int) -> Area:
        return Area(unit_id, self.by_id[unit_id].name, self.station_count.get(unit_id, 0))

    def step(self, area_id: int | None) -> Step:
        """The level below ``area_id`` (the top when None or not an area)."""
        if area_id not in self.station_count:
            area_id = None
        trail = [] if area_id is None else [self._area(i) for i in self._trail_ids(area_id)]
        below = self.children.get(area_id, [])
        # A level with one area and no station is skipped: nothing to choose there.
        while len(below) == 1 and below[0] in self.station_count:
            area_id = below[0]
            trail.append(self._area(area_id))
            below = self.children.get(area_id, [])
        return Step(
            trail=trail,
            areas=[self._area(i) for i in below if i in self.station_count],
            stations=[self._offered_by_id[i] for i in below if i in self._offered_by_id],
        )

    def _trail_ids(self, area_id: int) -> list[int]:
        return [i for i in _path_ids(self.by_id[area_id]) if i in self.station_count]

    def search(self, query: str) -> Step:
        """Stations whose name, or whose street or district, contains ``query``."""
        query = " ".join(query.split())[:QUERY_MAX]
        if not query:
            return self.step(None)
        folded = query.casefold()
        found = [
            item
            for item in self.offered
            if folded in item.unit.name.casefold() or folded in item.group.casefold()
        ]
        return Step(
            query=query,
            matches=found[:MATCHES_SHOWN],
            more_matches=max(0, len(found) - MATCHES_SHOWN),
        )
