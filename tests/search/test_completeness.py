"""The index finds exactly what a LIKE scan finds, within what the user may see."""

from __future__ import annotations

import random

from flask import Flask

from tests.factories import StationFactory
from tests.search.helpers import add_record, case_in_intervention, index_search, like_scan

# A small alphabet, so that random 2- and 3-character phrases occur often.
ALPHABET = "独居老人低保家暴社区服务困难子女照料邻里纠纷心理疏导就业"
PUNCTUATION = "，。 、"


def _random_text(rng: random.Random) -> str:
    length = rng.randint(8, 60)
    return "".join(
        rng.choice(PUNCTUATION) if rng.random() < 0.08 else rng.choice(ALPHABET)
        for _ in range(length)
    )


def test_two_and_three_character_phrases_find_exactly_the_like_set(app: Flask) -> None:
    rng = random.Random(20261129)
    mine, theirs = StationFactory(), StationFactory()
    cases = [case_in_intervention(mine) for _ in range(3)] + [case_in_intervention(theirs)]
    texts = []
    for number in range(300):
        text = _random_text(rng)
        texts.append(text)
        add_record(cases[number % len(cases)], text, response=_random_text(rng)[:10])
    worker = cases[0].worker
    phrases = set()
    while len(phrases) < 60:
        text = rng.choice(texts)
        size = rng.choice((2, 3))
        start = rng.randrange(0, max(1, len(text) - size))
        phrase = text[start : start + size]
        if len(phrase) == size and not any(mark in phrase for mark in PUNCTUATION):
            phrases.add(phrase)
    for phrase in sorted(phrases):
        expected = like_scan(worker, phrase)
        assert index_search(worker, phrase) == expected, phrase
    assert any(like_scan(worker, phrase) for phrase in phrases)
