"""On data from ``flask casework generate``, search finds everything a scan finds, in scope.

The generator writes with Core bulk inserts and then rebuilds the index in bulk, so these
tests cover the bulk path (``index.rebuild``) on realistic Chinese text and names.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from flask import Flask
from pypinyin import lazy_pinyin
from sqlalchemy import func, select

from casework.accounts.models import Role, User
from casework.cases.models import Case, ServiceRecord
from casework.cases.permissions import cases_visible_to
from casework.extensions import db
from casework.people.models import ServiceUser
from casework.people.permissions import people_visible_to
from casework.search.queries import search_people
from casework.search.tokens import parse_query
from tests.search.helpers import index_search, like_scan


@pytest.fixture
def worker(app: Flask) -> User:
    """A generated social worker with the most service records in their station."""
    args = ["casework", "generate", "--scale", "station", "--seed", "11", "--as-of", "2026-11-01"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    busiest = db.session.execute(
        select(Case.worker_id, func.count())
        .join(ServiceRecord, ServiceRecord.case_id == Case.id)
        .group_by(Case.worker_id)
        .order_by(func.count().desc(), Case.worker_id)
    ).first()
    assert busiest is not None
    user = db.session.get(User, busiest[0])
    assert user is not None
    assert user.role is Role.SOCIAL_WORKER
    return user


def _visible_people(user: User) -> list[ServiceUser]:
    return list(db.session.scalars(people_visible_to(user)))


def _found_people(user: User, query: str) -> set[int]:
    return {hit.entity.id for hit in search_people(user, parse_query(query))}


def _record_bigrams(user: User) -> list[str]:
    """Two-character phrases that occur in the user's records, most frequent first."""
    texts = db.session.scalars(
        select(ServiceRecord.content).where(
            ServiceRecord.case_id.in_(cases_visible_to(user).with_only_columns(Case.id))
        )
    )
    counts: dict[str, int] = {}
    for text in texts:
        for first, second in pairwise(text):
            if "\u4e00" <= first <= "\u9fff" and "\u4e00" <= second <= "\u9fff":
                counts[first + second] = counts.get(first + second, 0) + 1
    return sorted(counts, key=lambda bigram: (-counts[bigram], bigram))


def test_record_phrases_find_exactly_what_a_scan_finds(worker: User) -> None:
    bigrams = _record_bigrams(worker)
    # Common and rare phrases alike, and the plan's key words when they occur.
    phrases = [*bigrams[:5], *bigrams[-5:], *(w for w in ("独居", "低保") if w in bigrams)]
    assert len(phrases) >= 10
    for phrase in phrases:
        expected = like_scan(worker, phrase)
        assert expected, phrase
        assert index_search(worker, phrase) == expected, phrase


def test_two_character_names_find_every_visible_namesake(worker: User) -> None:
    people = _visible_people(worker)
    names = sorted({person.name for person in people if len(person.name) == 2})
    assert names
    for name in names[:10]:
        expected = {person.id for person in people if name in person.name}
        assert _found_people(worker, name) == expected, name


def test_pinyin_initials_find_every_visible_person_with_them(worker: User) -> None:
    people = _visible_people(worker)

    def initials(person: ServiceUser) -> str:
        return "".join(syllable[0] for syllable in lazy_pinyin(person.name))

    for query in sorted({initials(person) for person in people})[:10]:
        expected = {person.id for person in people if initials(person) == query}
        assert expected <= _found_people(worker, query), query


def test_id_fragments_find_every_visible_holder(worker: User) -> None:
    people = _visible_people(worker)
    holders = [person for person in people if person.id_number]
    assert holders
    for holder in holders[:10]:
        fragment = (holder.id_number or "")[-6:]
        expected = {
            person.id
            for person in people
            if fragment in (person.id_number or "") or fragment in (person.phone or "")
        }
        assert _found_people(worker, fragment) == expected, fragment


def test_nothing_is_found_outside_the_workers_scope(worker: User) -> None:
    others: Any = select(ServiceUser.name).where(
        ServiceUser.id.not_in(people_visible_to(worker).with_only_columns(ServiceUser.id))
    )
    names = sorted(set(db.session.scalars(others)))
    assert names
    visible = {person.id for person in _visible_people(worker)}
    for name in names[:10]:
        assert _found_people(worker, name) <= visible, name
