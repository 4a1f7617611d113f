"""The index follows every insert, change and archive/deletion, and rebuilds in bulk."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import func, select

from casework.extensions import db
from casework.search.index import Section, rebuild
from casework.search.models import SearchDocument
from casework.search.queries import candidates
from casework.search.tokens import parse_query
from tests.factories import ServiceUserFactory, StationFactory
from tests.search.helpers import add_record, case_in_intervention


def _found(user: Any, query: str, section: Section) -> set[tuple[str, int]]:
    docs = candidates(user, parse_query(query), section, after=None, limit=100)
    return {(kind, entity_id) for _, kind, entity_id in docs}


def test_a_new_service_record_is_found(app: Flask) -> None:
    case = case_in_intervention(StationFactory())
    record = add_record(case, "老人独居，需要助餐服务")
    assert ("service_records", record.id) in _found(case.worker, "助餐", Section.RECORD)


def test_a_changed_record_is_found_by_its_new_text_only(app: Flask) -> None:
    case = case_in_intervention(StationFactory())
    record = add_record(case, "申请低保")
    record.content = "申请特困供养"
    db.session.commit()
    assert ("service_records", record.id) in _found(case.worker, "特困", Section.RECORD)
    assert ("service_records", record.id) not in _found(case.worker, "低保", Section.RECORD)


def test_a_deleted_record_leaves_the_index(app: Flask) -> None:
    case = case_in_intervention(StationFactory())
    record = add_record(case, "邻里纠纷调解")
    db.session.delete(record)
    db.session.commit()
    count = db.session.scalar(
        select(func.count()).where(
            SearchDocument.kind == "service_records", SearchDocument.entity_id == record.id
        )
    )
    assert count == 0


def test_an_archived_person_leaves_the_index(app: Flask) -> None:
    case = case_in_intervention(StationFactory())
    person = ServiceUserFactory(unit=case.unit, name="李秀英")
    person.is_archived = True
    db.session.commit()
    assert _found(case.worker, "秀英", Section.PERSON) == set()


def test_a_renamed_person_is_found_by_the_new_name(app: Flask) -> None:
    case = case_in_intervention(StationFactory())
    person = case.service_user
    person.name = "欧阳娜娜"
    db.session.commit()
    assert ("service_users", person.id) in _found(case.worker, "oyn", Section.PERSON)


def test_rebuild_recreates_the_same_index(app: Flask) -> None:
    case = case_in_intervention(StationFactory())
    record = add_record(case, "家暴风险评估")
    with db.engine.begin() as connection:
        connection.execute(SearchDocument.__table__.delete())
        count = rebuild(connection, batch_size=2)
    assert count == db.session.scalar(select(func.count()).select_from(SearchDocument))
    assert ("service_records", record.id) in _found(case.worker, "家暴", Section.RECORD)
    assert ("cases", case.id) in _found(case.worker, case.number, Section.CASE)


def test_the_reindex_command_reports_the_documents(app: Flask) -> None:
    case_in_intervention(StationFactory())
    result = app.test_cli_runner().invoke(args=["casework", "search-reindex"])
    assert result.exit_code == 0
    assert "search index:" in result.output


def test_rebuild_writes_the_tokens_the_orm_events_write(app: Flask) -> None:
    station = StationFactory()
    case = case_in_intervention(station, person=ServiceUserFactory(unit=station, name="曾小Ann"))
    add_record(case, "独居老人，电话13912345678；Call OK", next_step="跟进2次")
    rows = select(SearchDocument.kind, SearchDocument.entity_id, SearchDocument.tokens)
    by_events = {tuple(row) for row in db.session.execute(rows)}
    db.session.rollback()  # the rebuild locks the table
    with db.engine.begin() as connection:
        rebuild(connection)
    db.session.expire_all()
    assert {tuple(row) for row in db.session.execute(rows)} == by_events
    assert len(by_events) >= 3


def test_a_second_rebuild_finds_each_record_once(app: Flask) -> None:
    case = case_in_intervention(StationFactory())
    record = add_record(case, "家暴风险评估")
    db.session.rollback()
    for _ in range(2):
        with db.engine.begin() as connection:
            rebuild(connection)
    docs = candidates(case.worker, parse_query("家暴"), Section.RECORD, after=None, limit=100)
    assert [(kind, entity_id) for _, kind, entity_id in docs] == [("service_records", record.id)]


def test_the_rebuilt_full_text_index_matches_the_documents(app: Flask) -> None:
    case = case_in_intervention(StationFactory())
    add_record(case, "独居老人需要助餐")
    db.session.rollback()
    with db.engine.begin() as connection:
        rebuild(connection)
        if connection.dialect.name == "sqlite":
            # Raises if any FTS5 entry differs from what the documents' tokens give.
            connection.exec_driver_sql(
                "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"
            )
            checked = True
        else:
            checked = connection.exec_driver_sql(
                "SELECT indisvalid FROM pg_index WHERE indexrelid = "
                "'ix_search_documents_tokens'::regclass"
            ).scalar_one()
    assert checked
