"""What every part of the generator shares: its state, the people and sites it makes, the audit.

``GeneratorBase`` declares the state that the parts (``cases``, ``community``) and the
``Generator`` that joins them read and write; nothing else is shared between them.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from casework.core import crypto
from casework.generate import identity
from casework.generate.banks import Bank
from casework.generate.scales import Scale
from casework.generate.writer import BulkWriter, Clock

SPAN_DAYS = 6 * 365  # cases were opened over the last six years
# The mean of RECORDS_BY_STATUS over the status mix STATUS_BY_AGE gives (measured).
_BASE_RECORDS_PER_CASE = 3.3


def _weighted(pairs: tuple[tuple[str, float], ...]) -> Bank:
    return Bank([item for item, _ in pairs], [weight for _, weight in pairs])


AGENCIES = Bank(
    ["区法律援助中心", "区妇联", "精神卫生中心", "区残联", "街道劳动保障所", "区救助站"]
)


@dataclass
class Site:
    """A unit where casework happens (a station or a welfare home) and its staff."""

    id: int
    code: str
    name: str
    kind: str
    city: str
    county: str
    region: str
    weight: float
    head_id: int = 0
    workers: list[tuple[int, str]] = field(default_factory=list)
    tutor_id: int = 0


@dataclass
class Person:
    id: int
    male: bool
    first_day: int  # the ordinal of the day the person was registered


def _minute(rng: random.Random) -> int:
    """A working-day minute in UTC: 08:30–17:30 in Beijing."""
    return rng.randint(30, 570)


class GeneratorBase:
    def __init__(
        self,
        writer: BulkWriter,
        scale: Scale,
        *,
        seed: int,
        as_of: date,
        password_hash: str,
        tag_ids: dict[str, int],
        checkpoint: Callable[[], None] | None = None,
    ) -> None:
        self.w = writer
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311  (reproducible test data, not secrets)
        self.clock = Clock(writer.dialect)
        self.today = as_of.toordinal()
        self.password_hash = password_hash
        self.tag_ids = tag_ids
        self.checkpoint = checkpoint or (lambda: None)
        # Identifiers are written encrypted, with their blind indexes (core.crypto).
        self.key = crypto.current_key()
        self.sites: list[Site] = []
        self._codes: set[str] = set()
        # One person, one ID number: the database refuses a second record with one.
        self._id_numbers: set[str] = set()
        self.long_cases: list[int] = []
        self._records_factor = (scale.service_records / scale.cases) / _BASE_RECORDS_PER_CASE

    def unique_id_number(self, rng: random.Random, region: str, born: date, male: bool) -> str:
        """An ID number no other generated person has (another serial where one is taken)."""
        while (number := identity.id_number(rng, region, born, male)) in self._id_numbers:
            pass
        self._id_numbers.add(number)
        return number

    def sealed(self, value: str | None, purpose: str) -> str | None:
        return crypto.encrypt(value, purpose, self.key) if value else None

    def _audit(
        self,
        day: int,
        actor_id: int | None,
        action: str,
        object_type: str,
        object_id: int,
        unit_id: int,
        details: dict[str, str] | None,
    ) -> None:
        self.w.add(
            "audit_entries",
            (
                self.w.next_id("audit_entries"),
                self.clock.at(day, _minute(self.rng)),
                actor_id,
                action,
                object_type,
                object_id,
                unit_id,
                json.dumps(details or {}),
            ),
        )
