"""Keeping the search index in step with the data, and rebuilding it in bulk.

Design (measured; figures from ``python -m bench.search_index``, see the end):

- ``search_documents`` holds one row per indexed entity (a service user, a case, each
  narrative record) with its unit, case and person for scoping, and ``tokens``: the text
  expanded into overlapping CJK bigrams, digit 4-grams, lower-case Latin words, pinyin
  (full and initials) for names, plus scope tokens ``k<section>`` and ``u<unit id>``.
- SQLite: an FTS5 external-content table ``search_fts`` over ``tokens`` with the stock
  ``unicode61`` tokenizer (every bigram is one token), kept in step by triggers on
  ``search_documents``. A query is a phrase of the query's bigrams (adjacent bigrams =
  substring), ANDed with the section and the user's units, newest rowid first.
  PostgreSQL: a GIN index on ``to_tsvector('simple', tokens)``; the bigrams are ANDed
  (``<->`` phrases made PostgreSQL re-parse each candidate: 50 ms instead of 9 ms) with the
  user's units; the section is filtered by the ``kind`` column, not its token (a token in
  most documents made the GIN scan three times slower at province scale).
- The ORM's ``after_flush`` event (``register_index_events``) mirrors every insert,
  change, archive and deletion; Core bulk writes must call ``rebuild`` afterwards.
- Every candidate is rechecked against the source text (substring), so results are exact;
  they are always re-read through ``cases_visible_to`` / ``people_visible_to``.
- Why not trigrams: FTS5's trigram tokenizer finds nothing for 2-character queries (and a
  2-character LIKE it serves returns 0 rows on SQLite 3.40.1); pg_trgm scans everything for
  them. Plain LIKE is linear (100–160 ms per 100k records).
- Storage: ``tokens`` is about 2.5 times the indexed text; the index is derived data and
  ``rebuild()`` recreates it from the source tables.

Measured on this 2-core machine, ``python -m bench.search_index <url>`` (100 stations,
30k people, 50k cases, 150k service records of ~100 characters = 230k documents), one
station's worker, per call (SQLite 3.40.1 / PostgreSQL 15):

    query                 people p50   records page p50 (p95)
    2-char name           1.7 / 7 ms   0.8 / 4 ms
    pinyin initials zw    1.8 / 5 ms   0.8 / 4 ms
    2-char phrase 独居    1.1 / 17 ms  5 (12) / 20 (27) ms
    3-char phrase         1.2 / 5 ms   9 (16) / 21 (36) ms
    ID fragment (6 dig.)  1.5 / 5 ms   0.8 / 4 ms
    LIKE '%独居%', no index: 166 ms (SQLite) / 310 ms (PostgreSQL) per full scan.

``rebuild`` (``flask casework search-reindex``) on PostgreSQL loads a shadow table and swaps
it in: searches and writes go on meanwhile. City scale, 889,323 documents: 25,900
documents/s on SQLite (34 s), 17,700/s on PostgreSQL (50 s, of which the GIN index build is
about 27 s: parsing every row with ``to_tsvector``, single-threaded in PostgreSQL 15).
Province scale, 8,894,089 documents: 410 s on SQLite (21,700/s, peak RSS 2.3 GB), 402 s on
PostgreSQL (22,100/s). On SQLite the FTS5 entries are written beside the documents: FTS5's
own ``rebuild`` pass and a final ``optimize`` did not finish in 30 minutes at province
scale (see ``_sqlite_finish_fts``).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum
from itertools import islice
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    Select,
    Table,
    cast,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    null,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import Session

from casework.cases.enums import AssessmentArea
from casework.cases.models import (
    Assessment,
    Case,
    ClosureReport,
    Evaluation,
    FollowUp,
    IntakeRecord,
    Referral,
    ServicePlan,
    ServiceRecord,
    SupervisorComment,
)
from casework.core.crypto import DataKey, current_key, decrypt, digit_gram_token
from casework.core.models import utcnow
from casework.people.models import ServiceUser
from casework.search.models import SearchDocument
from casework.search.tokens import name_tokens, text_tokens, token_string

_TABLE: Table = SearchDocument.__table__  # type: ignore[assignment]


class Section(IntEnum):
    PERSON = 1
    CASE = 2
    RECORD = 3


@dataclass(frozen=True)
class Source:
    """An indexed table: its searchable columns and the date that orders its rows."""

    model: type[Any]
    section: Section
    fields: tuple[str, ...]
    date_field: str

    @property
    def kind(self) -> str:
        return str(self.model.__tablename__)


SOURCES = (
    Source(ServiceUser, Section.PERSON, ("name", "id_number", "phone"), "created_at"),
    Source(Case, Section.CASE, ("number", "summary"), "opened_on"),
    Source(
        IntakeRecord,
        Section.RECORD,
        ("presenting_problem", "arrival", "first_judgement"),
        "created_at",
    ),
    Source(
        Assessment,
        Section.RECORD,
        (
            "needs",
            "strengths",
            "risks",
            "summary",
            *(f"{area.value}_note" for area in AssessmentArea),
        ),
        "created_at",
    ),
    Source(ServicePlan, Section.RECORD, ("overall_goal",), "created_at"),
    Source(ServiceRecord, Section.RECORD, ("content", "response", "next_step"), "served_on"),
    Source(Referral, Section.RECORD, ("reason", "to_agency", "outcome_note"), "referred_on"),
    Source(Evaluation, Section.RECORD, ("client_view", "summary"), "created_at"),
    Source(ClosureReport, Section.RECORD, ("summary", "follow_up_plan"), "created_at"),
    Source(FollowUp, Section.RECORD, ("content",), "followed_on"),
    Source(SupervisorComment, Section.RECORD, ("body",), "at"),
)
SOURCE_BY_KIND = {source.kind: source for source in SOURCES}
_SOURCE_BY_MODEL = {source.model: source for source in SOURCES}

# The database side of the index, also created by the migration (which keeps its own copy).
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='search_documents', "
    "content_rowid='id', columnsize=0, tokenize='unicode61 remove_diacritics 0')"
)
SQLITE_TRIGGERS = (
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
)
SQLITE_TRIGGER_NAMES = ("search_documents_ai", "search_documents_ad", "search_documents_au")


# A person's ID and phone numbers are encrypted in their table; the index holds only the
# HMACs of their tokens (core.crypto.digit_gram_token), so a fragment still finds the person.
IDENTIFIER_FIELDS = frozenset({"id_number", "phone"})


def identifier_tokens(value: str | None, key: DataKey | None = None) -> list[str]:
    key = key or current_key()
    return [digit_gram_token(token, key) for token in text_tokens(value)]


def document_tokens(source: Source, values: Mapping[str, Any], unit_id: int) -> str:
    """The ``tokens`` column for an entity with these field values."""
    words = [f"k{source.section.value}", f"u{unit_id}"]
    for field in source.fields:
        value = values.get(field)
        if field == "name" and source.section is Section.PERSON:
            words += name_tokens(value or "")
        elif field in IDENTIFIER_FIELDS:
            words += identifier_tokens(value)
        else:
            words += text_tokens(value)
    return " ".join(words)


def _is_indexed(source: Source, obj: Any) -> bool:
    return not (source.section is Section.PERSON and obj.is_archived)


def _after_flush(session: Session, _context: Any) -> None:
    """Mirror every flushed insert, change and deletion of an indexed entity."""
    changed: list[tuple[Source, Any]] = []
    removed: list[tuple[str, int]] = []
    # Each of these properties builds a new set on every access: read them once, or a
    # flush of n objects costs n² (a 10,000-row import).
    new, dirty, deleted = session.new, session.dirty, session.deleted
    for obj in deleted:
        source = _SOURCE_BY_MODEL.get(type(obj))
        if source is not None:
            removed.append((source.kind, obj.id))
    for obj in (*new, *dirty):
        source = _SOURCE_BY_MODEL.get(type(obj))
        if source is None or obj in deleted:
            continue
        if obj not in new and not _relevant_change(source, obj):
            continue
        if _is_indexed(source, obj):
            changed.append((source, obj))
        else:
            removed.append((source.kind, obj.id))
    if changed or removed:
        _write(session.connection(), changed, removed)


def _relevant_change(source: Source, obj: Any) -> bool:
    state = inspect(obj)
    watched = (*source.fields, "is_archived", "unit_id", "case_id")
    return any(name in state.attrs and state.attrs[name].history.has_changes() for name in watched)


def _write(
    connection: Connection, changed: list[tuple[Source, Any]], removed: list[tuple[str, int]]
) -> None:
    table = _TABLE
    if removed:
        connection.execute(
            delete(table).where(tuple_(table.c.kind, table.c.entity_id).in_(removed))
        )
    if not changed:
        return
    case_ids = {obj.case_id for source, obj in changed if source.section is Section.RECORD}
    cases = {
        row.id: row
        for row in connection.execute(
            select(Case.id, Case.unit_id, Case.service_user_id).where(Case.id.in_(case_ids))
        )
    }
    now = utcnow()
    rows = []
    for source, obj in changed:
        values = {field: getattr(obj, field) for field in source.fields}
        if source.section is Section.PERSON:
            unit_id, case_id, person_id = obj.unit_id, None, obj.id
        elif source.section is Section.CASE:
            unit_id, case_id, person_id = obj.unit_id, obj.id, obj.service_user_id
        else:
            case = cases[obj.case_id]
            unit_id, case_id, person_id = case.unit_id, case.id, case.service_user_id
        rows.append(
            {
                "kind": source.kind,
                "entity_id": obj.id,
                "unit_id": unit_id,
                "case_id": case_id,
                "person_id": person_id,
                "updated_at": now,
                "tokens": document_tokens(source, values, unit_id),
            }
        )
    keys = [(row["kind"], row["entity_id"]) for row in rows]
    existing = {
        (row[0], row[1])
        for row in connection.execute(
            select(table.c.kind, table.c.entity_id).where(
                tuple_(table.c.kind, table.c.entity_id).in_(keys)
            )
        )
    }
    for row in rows:
        if (row["kind"], row["entity_id"]) in existing:
            connection.execute(
                update(table)
                .where(table.c.kind == row["kind"], table.c.entity_id == row["entity_id"])
                .values(row)
            )
    new_rows = [row for row in rows if (row["kind"], row["entity_id"]) not in existing]
    if new_rows:
        connection.execute(insert(table), new_rows)


def register_index_events() -> None:
    """Keep the index in step with every ORM flush (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


# --- bulk ----------------------------------------------------------------------------------
#
# ``rebuild`` works on the DBAPI connection under the SQLAlchemy one: rows are read as plain
# tuples, tokens are built as one string per document (``token_string``), and loaded with
# ``executemany`` (SQLite) or ``COPY`` (PostgreSQL). On SQLite the FTS5 entries are written
# in the same pass with automatic merging off (no merge at the end); PostgreSQL's GIN
# index is built once at the end. Figures: see the module docstring.

_COPY_NULL = "\\N"  # NULL in COPY's text format
# SQLite page cache (KiB) while the index is written; for the rebuild only.
SQLITE_REBUILD_CACHE_KIB = 1_048_576
# FTS5's default: merge once 4 segments of a level exist.
SQLITE_FTS_AUTOMERGE = 4
# PostgreSQL's memory for building the GIN index (for this transaction only).
POSTGRES_INDEX_MEMORY = "256MB"


def _sort_key_column(connection: Connection, column: Any) -> Any:
    """The day that orders a source's rows, as the driver returns it, never NULL.

    Days compare the same way as the dates they name: ``YYYY-MM-DD`` text on SQLite (dates
    and timestamps are stored as ISO text there), a ``date`` on PostgreSQL (timestamps taken
    in the session's time zone, as the driver would convert them).
    """
    if connection.dialect.name == "sqlite":
        return func.coalesce(func.substr(column, 1, 10), "")
    return func.coalesce(cast(column, Date), literal(date.min, Date))


def _source_query(connection: Connection, source: Source) -> Select[Any]:
    """id, unit, case, person, sort day, then the searchable fields, oldest first."""
    model = source.model
    fields = [getattr(model, field) for field in source.fields]
    ordered_by = getattr(model, source.date_field)
    day = _sort_key_column(connection, ordered_by)
    if source.section is Section.PERSON:
        query = select(model.id, model.unit_id, null(), model.id, day, *fields).where(
            model.is_archived.is_(False)
        )
    elif source.section is Section.CASE:
        query = select(model.id, model.unit_id, model.id, model.service_user_id, day, *fields)
    else:
        query = select(
            model.id, Case.unit_id, model.case_id, Case.service_user_id, day, *fields
        ).join(Case, Case.id == model.case_id)
    return query.order_by(ordered_by, model.id)


def _raw_rows(
    connection: Connection, statement: Select[Any], name: str, batch_size: int
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``statement`` straight from the driver, read ``batch_size`` at a time."""
    compiled = statement.compile(dialect=connection.dialect)
    raw: Any = connection.connection.dbapi_connection
    if connection.dialect.name == "postgresql":
        # A server-side cursor: the result is not held in memory, and it can be read between
        # two COPY statements on the same connection.
        cursor = raw.cursor(name=f"search_rebuild_{name}")
        cursor.itersize = batch_size
        cursor.execute(str(compiled), compiled.params)
    else:
        cursor = raw.cursor()
        positions = compiled.positiontup or []
        cursor.execute(str(compiled), [compiled.params[key] for key in positions])
    try:
        while rows := cursor.fetchmany(batch_size):
            yield from rows
    finally:
        cursor.close()


def _documents(
    source: Source, rows: Iterable[tuple[Any, ...]], names: dict[str, str]
) -> Iterator[tuple[Any, ...]]:
    """(sort day, kind, entity, unit, case, person, tokens) for each source row.

    The tokens equal ``document_tokens`` (the tests check this); pinyin is looked up once
    per distinct name in ``names``.
    """
    kind = source.kind
    prefix = f"k{source.section.value} u"
    is_person = source.section is Section.PERSON
    key = current_key()
    # The rows come straight from the driver: identifiers are still encrypted.
    identifiers = [field for field in source.fields if field in IDENTIFIER_FIELDS]
    for entity_id, unit_id, case_id, person_id, day, *values in rows:
        parts = [prefix + str(unit_id)]
        if is_person:
            name = values[0] or ""
            spelled = names.get(name)
            if spelled is None:
                spelled = names[name] = " ".join(name_tokens(name))
            parts.append(spelled)
            for field, stored in zip(identifiers, values[1:], strict=True):
                if stored:
                    parts.append(" ".join(identifier_tokens(decrypt(stored, field), key)))
            values = []
        for value in values:
            if value:
                parts.append(token_string(value))
        yield day, kind, entity_id, unit_id, case_id, person_id, " ".join(filter(None, parts))


def _sqlite_load(
    connection: Connection, documents: Iterator[tuple[Any, ...]], batch_size: int
) -> int:
    """Insert the documents and their FTS5 entries in the same pass, ids from 1.

    Writing the FTS5 entries from the rows in hand, rather than with FTS5's ``rebuild``
    afterwards, spares reading every document back (at province scale, 8.9 million rows
    that a ``rebuild`` re-read through SQLite's write-ahead log).
    """
    raw: Any = connection.connection.dbapi_connection
    updated_at = _bound(connection, utcnow())
    documents_statement = (
        "INSERT INTO search_documents (id, kind, entity_id, unit_id, case_id, person_id, "
        "updated_at, tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    fts_statement = "INSERT INTO search_fts(rowid, tokens) VALUES (?, ?)"
    total = 0
    cursor = raw.cursor()
    try:
        while batch := [
            (total + position, kind, entity_id, unit_id, case_id, person_id, updated_at, tokens)
            for position, (_, kind, entity_id, unit_id, case_id, person_id, tokens) in enumerate(
                islice(documents, batch_size), start=1
            )
        ]:
            cursor.executemany(documents_statement, batch)
            cursor.executemany(fts_statement, [(row[0], row[7]) for row in batch])
            total += len(batch)
    finally:
        cursor.close()
    return total


def _postgres_load(
    connection: Connection,
    documents: Iterator[tuple[Any, ...]],
    batch_size: int,
    table: str = "search_documents",
) -> int:
    raw: Any = connection.connection.dbapi_connection
    updated_at = utcnow().isoformat()
    statement = (
        f"COPY {table} (kind, entity_id, unit_id, case_id, person_id, updated_at, "
        "tokens) FROM STDIN"
    )
    total = 0
    cursor = raw.cursor()
    try:
        # Tokens hold only letters, digits, CJK characters and spaces, and kinds are table
        # names: nothing that COPY's text format would need escaped.
        while lines := [
            f"{kind}\t{entity_id}\t{unit_id}\t"
            f"{_COPY_NULL if case_id is None else case_id}\t"
            f"{_COPY_NULL if person_id is None else person_id}\t{updated_at}\t{tokens}\n"
            for _, kind, entity_id, unit_id, case_id, person_id, tokens in islice(
                documents, batch_size
            )
        ]:
            with cursor.copy(statement) as copy:
                copy.write("".join(lines))
            total += len(lines)
    finally:
        cursor.close()
    return total


def _bound(connection: Connection, value: datetime) -> Any:
    """``value`` as SQLAlchemy would store it in ``search_documents.updated_at``."""
    column_type = _TABLE.c.updated_at.type.dialect_impl(connection.dialect)
    processor = column_type.bind_processor(connection.dialect)
    return processor(value) if processor else value


def rebuild(connection: Connection, *, batch_size: int = 5000) -> int:
    """Recreate the whole index from the source tables; return the number of documents.

    ``with db.engine.begin() as connection: rebuild(connection)`` — call it after writing
    rows with Core inserts (which bypass the ORM events). Speed: see the module docstring.

    Runs in the caller's transaction (the caller commits). Documents are inserted oldest
    first, so the newest get the highest ids and come first in results. SQLite's triggers
    are dropped during the bulk insert and its FTS5 entries written in bulk beside the
    documents with automatic merging off (SQLite has one writer: writes wait for the
    rebuild). PostgreSQL loads a shadow table, builds its indexes once at the end (several
    times faster than row by row) and swaps it in, so searches and writes go on meanwhile.
    """
    dialect = connection.dialect.name
    if dialect not in ("sqlite", "postgresql"):  # pragma: no cover
        raise NotImplementedError(f"no search index for {dialect}")
    if dialect == "sqlite":
        for name in SQLITE_TRIGGER_NAMES:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        connection.execute(delete(_TABLE))  # without triggers: SQLite's truncate
    started = utcnow()  # documents the ORM writes from here on replace the rebuilt ones
    names: dict[str, str] = {}
    streams = [
        _documents(
            source,
            _raw_rows(connection, _source_query(connection, source), source.kind, batch_size),
            names,
        )
        for source in SOURCES
    ]
    documents = heapq.merge(*streams, key=itemgetter(0))
    if dialect == "sqlite":
        # A larger page cache for this connection while the index's b-trees are written.
        cache_kib = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
        connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_REBUILD_CACHE_KIB:d}")
        try:
            _sqlite_prepare_fts(connection)
            total = _sqlite_load(connection, documents, batch_size)
            _sqlite_finish_fts(connection)
        finally:
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(cache_kib):d}")
    else:
        total = _postgres_rebuild(connection, documents, batch_size, started)
    return total


SHADOW = "search_documents_shadow"
# The live table's constraints and indexes, created on the shadow table under a temporary
# name and renamed at the swap (PostgreSQL index names are unique per schema).
SHADOW_INDEXES = (
    ("pk_search_documents", "ALTER TABLE {table} ADD CONSTRAINT {name} PRIMARY KEY (id)"),
    (
        "uq_search_documents_kind_entity_id",
        "ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE (kind, entity_id)",
    ),
    ("ix_search_documents_case_id", "CREATE INDEX {name} ON {table} (case_id)"),
    (
        "ix_search_documents_tokens",
        "CREATE INDEX {name} ON {table} USING gin (to_tsvector('simple'::regconfig, tokens))",
    ),
)


def _postgres_rebuild(
    connection: Connection,
    documents: Iterator[tuple[Any, ...]],
    batch_size: int,
    started: datetime,
) -> int:
    """Build the index into a shadow table, then swap it in.

    The live table keeps serving searches and taking the ORM's writes while the shadow
    table is loaded and indexed (minutes at province scale); the swap locks it only to copy
    what was written since ``started`` and to rename the tables. (A transaction still open
    at ``started`` and committed after its sources were read is missed until its rows
    change again.)
    """
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {SHADOW}")
    connection.exec_driver_sql(
        f"CREATE TABLE {SHADOW} (LIKE search_documents INCLUDING DEFAULTS INCLUDING STORAGE)"
    )
    total = _postgres_load(connection, documents, batch_size, table=SHADOW)
    connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{POSTGRES_INDEX_MEMORY}'")
    for name, statement in SHADOW_INDEXES:
        connection.exec_driver_sql(statement.format(table=SHADOW, name=f"{name}_shadow"))
    connection.exec_driver_sql("LOCK TABLE search_documents IN ACCESS EXCLUSIVE MODE")
    since = {"since": _bound(connection, started)}
    # The table names are this module's constants; the time is a bound parameter.
    refresh = (
        "DELETE FROM search_documents_shadow AS s USING search_documents AS d "
        "WHERE d.updated_at >= %(since)s AND s.kind = d.kind AND s.entity_id = d.entity_id",
        "INSERT INTO search_documents_shadow (kind, entity_id, unit_id, case_id, person_id, "
        "updated_at, tokens) SELECT kind, entity_id, unit_id, case_id, person_id, updated_at, "
        "tokens FROM search_documents WHERE updated_at >= %(since)s ORDER BY id",
    )
    for statement in refresh:
        connection.exec_driver_sql(statement, since)
    connection.exec_driver_sql(f"ALTER SEQUENCE search_documents_id_seq OWNED BY {SHADOW}.id")
    connection.exec_driver_sql("DROP TABLE search_documents")
    connection.exec_driver_sql(f"ALTER TABLE {SHADOW} RENAME TO search_documents")
    for name, statement in SHADOW_INDEXES:
        if statement.startswith("ALTER TABLE"):
            connection.exec_driver_sql(
                f"ALTER TABLE search_documents RENAME CONSTRAINT {name}_shadow TO {name}"
            )
        else:
            connection.exec_driver_sql(f"ALTER INDEX {name}_shadow RENAME TO {name}")
    connection.exec_driver_sql("ANALYZE search_documents")
    return total


def _sqlite_prepare_fts(connection: Connection) -> None:
    """Empty the FTS5 index and stop its automatic merging while the documents load.

    The triggers are gone and ``search_documents`` was emptied without them, so the FTS5
    index is cleared on its own (``delete-all``, valid for an external-content table).
    """
    connection.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
    connection.exec_driver_sql("INSERT INTO search_fts(search_fts, rank) VALUES ('automerge', 0)")


def _sqlite_finish_fts(connection: Connection) -> None:
    """Turn FTS5's automatic merging back on and restore the triggers.

    No ``optimize`` (merging every segment into one): at province scale (8.9 million
    documents) it re-read the index from the write-ahead log page by page for more than ten
    minutes without finishing. FTS5's crisis merges keep the number of segments bounded
    during the load (16 per level by default), automatic merging tidies them as documents
    are added later, and the search figures in README were measured on the unmerged index.
    """
    connection.exec_driver_sql(
        "INSERT INTO search_fts(search_fts, rank) VALUES ('automerge', ?)",
        (SQLITE_FTS_AUTOMERGE,),
    )
    for statement in SQLITE_TRIGGERS:
        connection.exec_driver_sql(statement)


__all__ = ["SOURCES", "Section", "rebuild", "register_index_events"]
