"""The English catalogue translates every message the sources mark for translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

import casework

CATALOGUE = Path(casework.__file__).parent / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def test_every_message_has_an_english_translation() -> None:
    with CATALOGUE.open("rb") as source:
        catalogue = read_po(source)

    untranslated = [
        message.id
        for message in catalogue
        if message.id and (message.fuzzy or not all(_strings(message.string)))
    ]

    assert untranslated == []


def _strings(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)
