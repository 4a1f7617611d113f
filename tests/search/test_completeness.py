"""The index finds exactly what a LIKE scan finds, within what the user may see."""

from __future__ import annotations

import random

from flask import Flask
from sqlalchemy import or_, select

from casework.cases.models import Case, ServiceRecord
from casework.cases.permissions import cases_visible_to
from casework.extensions import db
from casework.search.index import Section
from casework.search.queries import search_section
from casework.search.tokens import parse_query
from tests.factories import StationFactory
from tests.search.helpers import add_record, case_in_intervention

# A small alphabet, so that random 2- and 3-character phrases occur often.
ALPHABET = "独居老人低保家暴社区服务困难子女照料邻里纠纷心理疏导就业"
PUNCTUATION = "，。 、"


def _random_text(rng: random.Random) -> str:
    length = rng.randint(8, 60)
    return "".join(
        rng.choice(PUNCTUATION) if rng.random() < 0.08 else rng.choice(ALPHABET)
        for _ in range(length)
    )


def _like_scan(worker: object, phrase: str) -> set[int]:
    visible = cases_visible_to(worker).with_only_columns(Case.id)  # type: ignore[arg-type]
    pattern = f"%{phrase}%"
    return set(
        db.session.scalars(
            select(ServiceRecord.id).where(
                ServiceRecord.case_id.in_(visible),
                or_(
                    ServiceRecord.content.like(pattern),
                    ServiceRecord.response.like(pattern),
                    ServiceRecord.next_step.like(pattern),
                ),
            )
        )
    )


def _index_search(worker: object, phrase: str) -> set[int]:
    found: set[int] = set()
    after = None
    while True:
        page = search_section(worker, parse_query(phrase), Section.RECORD, after=after, per_page=50)  # type: ignore[arg-type]
        found |= {hit.entity.id for hit in page.hits if hit.kind == "service_records"}
        if not page.has_more:
            return found
        after = page.next_after


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
        expected = _like_scan(worker, phrase)
        assert _index_search(worker, phrase) == expected, phrase
    assert any(_like_scan(worker, phrase) for phrase in phrases)
