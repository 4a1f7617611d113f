"""Demo pilot units (试点单位): a few units the city bureau designated, with their 一把手
and day-to-day contacts; phone numbers from a generator with a fixed seed."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from casework.accounts.models import User
from casework.core.clock import local_today
from casework.demo.tables import UnitCode, Username
from casework.orgs.models import Unit
from casework.pilot import services
from casework.pilot.models import PilotKind

PHONE_PREFIXES = ("130", "131", "135", "138", "139", "150", "155", "158", "186", "188")


@dataclass(frozen=True)
class PilotSpec:
    unit: UnitCode
    kind: PilotKind
    designated_by: Username
    days_ago: int
    head_name: str
    head_post: str
    contact_name: str
    contact_post: str


def seed_pilots(
    pilots: tuple[PilotSpec, ...], units: Mapping[str, Unit], users: Mapping[str, User]
) -> None:
    """The data file's pilot units, designated through the service; no commit."""
    rng = random.Random(2010)  # noqa: S311  (demo phone numbers, not secrets)

    def phone() -> str:
        return f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**8):08d}"

    for spec in pilots:
        services.designate(
            actor=users[spec.designated_by],
            unit=units[spec.unit],
            kind=spec.kind,
            designated_on=local_today() - timedelta(days=spec.days_ago),
            contacts=services.Contacts(
                head_name=spec.head_name,
                head_post=spec.head_post,
                head_phone=phone(),
                contact_name=spec.contact_name,
                contact_post=spec.contact_post,
                contact_phone=phone(),
            ),
        )
