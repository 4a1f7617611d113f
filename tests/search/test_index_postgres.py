"""PostgreSQL's rebuild into a shadow table: the live index keeps serving until the swap."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from casework.extensions import db
from casework.search import index
from casework.search.index import Section, rebuild
from casework.search.queries import candidates
from casework.search.tokens import parse_query
from tests.factories import StationFactory
from tests.search.helpers import add_record, case_in_intervention


@pytest.fixture
def postgres(app: Flask) -> Flask:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the shadow-table rebuild is PostgreSQL's")
    return app


def _found(user: Any, query: str) -> list[tuple[str, int]]:
    docs = candidates(user, parse_query(query), Section.RECORD, after=None, limit=100)
    return [(kind, entity_id) for _, kind, entity_id in docs]


def _during_the_load(monkeypatch: pytest.MonkeyPatch, action: Any) -> None:
    """Run ``action`` on another connection once the shadow table is loaded."""
    load = index._postgres_load

    def load_then_act(*args: Any, **kwargs: Any) -> int:
        loaded = load(*args, **kwargs)
        other = create_engine(db.engine.url)
        try:
            with other.begin() as connection:
                connection.execute(text("SET LOCAL lock_timeout = '2s'"))
                action(connection)
        finally:
            other.dispose()
        return loaded

    monkeypatch.setattr(index, "_postgres_load", load_then_act)


def _rebuild() -> None:
    db.session.rollback()
    with db.engine.begin() as connection:
        rebuild(connection)


def test_searches_go_on_while_the_index_is_rebuilt(
    postgres: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_record(case_in_intervention(StationFactory()), "独居老人需要助餐")
    counted: list[int] = []
    _during_the_load(
        monkeypatch,
        lambda connection: counted.append(
            connection.execute(text("SELECT count(*) FROM search_documents")).scalar_one()
        ),
    )
    _rebuild()
    assert counted[0] >= 3


def test_a_document_written_during_the_rebuild_is_in_the_new_index(
    postgres: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = case_in_intervention(StationFactory())
    record = add_record(case, "独居老人需要助餐")
    db.session.commit()
    _during_the_load(
        monkeypatch,
        lambda connection: connection.execute(
            text(
                "UPDATE search_documents SET tokens = tokens || ' 家暴', updated_at = now() "
                "WHERE kind = 'service_records' AND entity_id = :id"
            ),
            {"id": record.id},
        ),
    )
    _rebuild()
    assert _found(case.worker, "家暴") == [("service_records", record.id)]


def test_the_swapped_table_keeps_the_names_of_its_indexes(postgres: Flask) -> None:
    _rebuild()
    names = db.session.scalars(
        text("SELECT indexname FROM pg_indexes WHERE tablename = 'search_documents'")
    ).all()
    assert set(names) == {name for name, _statement in index.SHADOW_INDEXES}


def test_a_record_written_after_a_rebuild_is_found(postgres: Flask) -> None:
    case = case_in_intervention(StationFactory())
    _rebuild()
    record = add_record(case, "家暴风险评估")
    db.session.commit()
    assert _found(case.worker, "家暴") == [("service_records", record.id)]
