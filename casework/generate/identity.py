"""Fictitious people: names, GB 11643 ID numbers and mobile numbers."""

from __future__ import annotations

import random
from datetime import date

from casework.generate import names, places
from casework.people.idcard import check_character


def person_name(rng: random.Random, male: bool, born_year: int) -> str:
    """A surname and a given name of one or two characters.

    One-character given names (张伟, 王芳) were far commoner among people born before the
    1990s, which is why two-character names are so frequent in casework.
    """
    given = names.MALE_GIVEN if male else names.FEMALE_GIVEN
    single_share = 0.45 if born_year < 1970 else 0.3 if born_year < 1990 else 0.15
    first = given.pick(rng)
    if rng.random() < single_share:
        return names.SURNAMES.pick(rng) + first
    second = given.pick(rng)
    while second == first and rng.random() < 0.8:
        second = given.pick(rng)
    return names.SURNAMES.pick(rng) + first + second


def id_number(rng: random.Random, region: str, born: date, male: bool) -> str:
    """An 18-character resident ID number with a correct check character.

    The three-digit serial is odd for men and even for women, as the standard says.
    """
    serial = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first_17 = f"{region}{born:%Y%m%d}{serial:03d}"
    return first_17 + check_character(first_17)


def phone_number(rng: random.Random) -> str:
    return places.PHONE_PREFIXES.pick(rng) + f"{rng.randrange(100_000_000):08d}"


def landline(rng: random.Random) -> str:
    """A station's hotline: Jilin's area codes are 043x/044x."""
    return f"043{rng.randrange(1, 10)}-{rng.randrange(80_000_000, 89_999_999)}"
