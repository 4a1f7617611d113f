"""Running a search: index candidates → visibility → exact recheck → ranked, highlighted hits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import ColumnElement, Select, column, false, select, table, text
from sqlalchemy.orm import selectinload

from casework.accounts.models import User
from casework.accounts.permissions import casework_unit_ids
from casework.cases.models import Case
from casework.cases.permissions import cases_visible_to
from casework.core.crypto import current_key, digit_gram_token
from casework.extensions import db
from casework.people.models import ServiceUser
from casework.people.permissions import people_visible_to
from casework.search.index import SOURCE_BY_KIND, SOURCES, Section, Source
from casework.search.models import SearchDocument
from casework.search.tokens import ParsedQuery, parse_query, stored_pinyin

PERSON_CANDIDATES = 200  # people are ranked in memory: bounded
MAX_ROUNDS = 5  # candidate batches read per page before handing back a cursor
SNIPPET_BEFORE = 30
SNIPPET_AFTER = 90

_fts = table("search_fts", column("rowid"))


@dataclass
class Hit:
    """One result: the entity, its case and person, and why it matched."""

    document_id: int
    kind: str
    entity: Any
    case: Case | None
    person: ServiceUser | None
    matched_field: str
    snippet: Markup
    rank: int = 9

    @property
    def served_on(self) -> date | None:
        for name in ("served_on", "followed_on", "referred_on"):
            value = getattr(self.entity, name, None)
            if isinstance(value, date):
                return value
        moment = getattr(self.entity, "created_at", None) or getattr(self.entity, "at", None)
        return moment.date() if isinstance(moment, datetime) else None


@dataclass
class Results:
    hits: list[Hit] = field(default_factory=list)
    next_after: int | None = None  # keyset cursor (a document id) for the next page
    has_more: bool = False


def highlight(value: str, needles: Sequence[str]) -> Markup:
    """``value`` with every occurrence of a needle marked; everything escaped first."""
    folded = value.lower()
    haystack = folded if len(folded) == len(value) else value
    spans: list[tuple[int, int]] = []
    for needle in needles:
        probe = needle.lower() if haystack is folded else needle
        start = haystack.find(probe) if probe else -1
        while start >= 0:
            spans.append((start, start + len(probe)))
            start = haystack.find(probe, start + len(probe))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    out = Markup()
    position = 0
    for start, end in merged:
        out += escape(value[position:start]) + Markup("<mark>") + escape(value[start:end])
        out += Markup("</mark>")
        position = end
    return out + escape(value[position:])


def snippet(value: str, needles: Sequence[str]) -> Markup:
    """A window of ``value`` around the first match, highlighted."""
    lowered = value.lower()
    positions = [lowered.find(needle.lower()) for needle in needles]
    first = min((p for p in positions if p >= 0), default=0)
    start = max(0, first - SNIPPET_BEFORE)
    end = min(len(value), first + SNIPPET_AFTER)
    body = highlight(value[start:end], needles)
    return (Markup("…") if start else Markup()) + body + (Markup("…") if end < len(value) else "")


def needles_of(query: ParsedQuery) -> list[str]:
    return [query.prefix] if query.prefix else query.text.split()


# --- candidates from the index -------------------------------------------------------------


def _fts5_expression(query: ParsedQuery, section: Section, unit_ids: Sequence[int]) -> str:
    parts = [f'"k{section.value}"']
    if query.prefix:
        parts.append(f'"{query.prefix}"*')
    parts += ['"' + " ".join(phrase) + '"' for phrase in query.phrases]
    if unit_ids:
        parts.append("(" + " OR ".join(f'"u{unit_id}"' for unit_id in unit_ids) + ")")
    return " AND ".join(parts)


def _tsquery(query: ParsedQuery, unit_ids: Sequence[int]) -> str:
    # No section token (``k3``): the ``kind`` column filters the sections, and the GIN scan
    # of a token that most documents carry cost 48 of 77 ms of a two-character phrase
    # search at province scale (25 ms without it, measured).
    parts: list[str] = []
    if query.prefix:
        parts.append(f"{query.prefix}:*")
    # AND, not the phrase operator: a phrase makes PostgreSQL re-parse every candidate's
    # tokens (5x slower, measured); the substring recheck makes the results exact anyway.
    parts += ["(" + " & ".join(phrase) + ")" for phrase in query.phrases]
    if unit_ids:
        parts.append("(" + " | ".join(f"u{unit_id}" for unit_id in unit_ids) + ")")
    return " & ".join(parts)


def _with_hashed_digits(query: ParsedQuery) -> ParsedQuery:
    """People's numbers are indexed as HMACs of their digit grams: ask for those."""
    key = current_key()
    phrases = tuple(
        tuple(digit_gram_token(token, key) if token.isdigit() else token for token in phrase)
        for phrase in query.phrases
    )
    return replace(query, phrases=phrases)


def people_with_number_fragment(digits: str) -> ColumnElement[bool]:
    """Service users whose ID or phone number holds ``digits`` (4 or more): the index's
    HMAC'd digit grams stand in for the encrypted columns. The people list filters with it
    (``people.views.search_condition``, through ``NUMBER_FRAGMENTS``); the caller's
    visibility query still scopes the rows."""
    query = parse_query(digits)
    if not query.phrases:
        return false()
    query = _with_hashed_digits(query)
    documents: Select[Any]
    if db.engine.dialect.name == "sqlite":
        documents = (
            select(SearchDocument.entity_id)
            .select_from(_fts)
            .join(SearchDocument, SearchDocument.id == _fts.c.rowid)
            .where(
                text("search_fts MATCH :fragment").bindparams(
                    fragment=_fts5_expression(query, Section.PERSON, [])
                )
            )
        )
    else:
        documents = select(SearchDocument.entity_id).where(
            text(
                "to_tsvector('simple'::regconfig, search_documents.tokens) "
                "@@ to_tsquery('simple'::regconfig, :fragment)"
            ).bindparams(fragment=_tsquery(query, []))
        )
    return ServiceUser.id.in_(documents.where(SearchDocument.kind == "service_users"))


def _visibility(user: User, section: Section) -> ColumnElement[bool]:
    """The domain visibility queries, applied to index rows."""
    if section is Section.PERSON:
        people = people_visible_to(user).with_only_columns(ServiceUser.id)
        return SearchDocument.entity_id.in_(people)
    cases = cases_visible_to(user).with_only_columns(Case.id)
    return SearchDocument.case_id.in_(cases)


def candidates(
    user: User, query: ParsedQuery, section: Section, *, after: int | None, limit: int
) -> list[tuple[int, str, int]]:
    """(document id, kind, entity id) of index matches the user may see, newest first."""
    unit_ids = casework_unit_ids(user)
    kinds = [source.kind for source in SOURCES if source.section is section]
    if section is Section.PERSON:
        query = _with_hashed_digits(query)
    statement: Select[int, str, int]
    if db.engine.dialect.name == "sqlite":
        statement = (
            select(SearchDocument.id, SearchDocument.kind, SearchDocument.entity_id)
            .select_from(_fts)
            .join(SearchDocument, SearchDocument.id == _fts.c.rowid)
            .where(
                text("search_fts MATCH :match").bindparams(
                    match=_fts5_expression(query, section, unit_ids)
                )
            )
            .order_by(_fts.c.rowid.desc())
        )
        if after is not None:
            statement = statement.where(_fts.c.rowid < after)
    else:
        statement = (
            select(SearchDocument.id, SearchDocument.kind, SearchDocument.entity_id)
            .where(
                text(
                    "to_tsvector('simple'::regconfig, search_documents.tokens) "
                    "@@ to_tsquery('simple'::regconfig, :match)"
                ).bindparams(match=_tsquery(query, unit_ids))
            )
            .order_by(SearchDocument.id.desc())
        )
        if after is not None:
            statement = statement.where(SearchDocument.id < after)
    statement = statement.where(SearchDocument.kind.in_(kinds), _visibility(user, section))
    return [(row[0], row[1], row[2]) for row in db.session.execute(statement.limit(limit))]


# --- recheck and hydrate -------------------------------------------------------------------


def _load(docs: Sequence[tuple[int, str, int]]) -> dict[tuple[str, int], Any]:
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for _, kind, entity_id in docs:
        ids_by_kind[kind].append(entity_id)
    loaded: dict[tuple[str, int], Any] = {}
    for kind, ids in ids_by_kind.items():
        model = SOURCE_BY_KIND[kind].model
        for entity in db.session.scalars(select(model).where(model.id.in_(ids))):
            loaded[(kind, entity.id)] = entity
    return loaded


def _person_match(
    person: ServiceUser, query: ParsedQuery, tokens: str | None = None
) -> tuple[int, str] | None:
    """(rank, field) when ``person`` really matches: exact name > prefix > fragment.

    For a pinyin query, ``tokens`` is the person's index row, which holds the name's pinyin.
    """
    if query.prefix:
        spellings = stored_pinyin(
            tokens or "", name=person.name, id_number=person.id_number, phone=person.phone
        )
        if query.prefix in spellings:
            return 0, "pinyin"
        if any(spelling.startswith(query.prefix) for spelling in spellings):
            return 1, "pinyin"
        return None
    needles = needles_of(query)
    if len(needles) == 1 and person.name == needles[0]:
        return 0, "name"
    if all(needle in person.name for needle in needles):
        return (1 if person.name.startswith(needles[0]) else 2), "name"
    for name in ("id_number", "phone"):
        value = (getattr(person, name) or "").upper()
        if all(needle.upper() in value for needle in needles):
            return 3, name
    return None


def _text_match(source: Source, entity: Any, query: ParsedQuery) -> tuple[int, str] | None:
    needles = [needle.lower() for needle in needles_of(query)]
    values = {name: (getattr(entity, name) or "") for name in source.fields}
    if not all(any(needle in value.lower() for value in values.values()) for needle in needles):
        return None
    for name, value in values.items():
        if needles[0] in value.lower():
            return (0 if value.lower() == needles[0] else 1), name
    return None  # pragma: no cover - the check above found every needle


def _hits(docs: Sequence[tuple[int, str, int]], query: ParsedQuery) -> list[Hit | None]:
    loaded = _load(docs)
    case_ids = {getattr(e, "case_id", None) for e in loaded.values()} - {None}
    cases = {
        case.id: case
        for case in db.session.scalars(
            select(Case).where(Case.id.in_(case_ids)).options(selectinload(Case.service_user))
        )
    }
    needles = needles_of(query)
    tokens: dict[int, str] = {}
    if query.prefix:
        person_docs = [doc[0] for doc in docs if SOURCE_BY_KIND[doc[1]].section is Section.PERSON]
        tokens = {
            row[0]: row[1]
            for row in db.session.execute(
                select(SearchDocument.id, SearchDocument.tokens).where(
                    SearchDocument.id.in_(person_docs)
                )
            )
        }
    hits: list[Hit | None] = []
    for document_id, kind, entity_id in docs:
        entity = loaded.get((kind, entity_id))
        source = SOURCE_BY_KIND[kind]
        if entity is None:
            hits.append(None)
            continue
        if source.section is Section.PERSON:
            match = _person_match(entity, query, tokens.get(document_id))
            case, person = None, entity
        else:
            match = _text_match(source, entity, query)
            case = entity if source.section is Section.CASE else cases.get(entity.case_id)
            person = case.service_user if case is not None else None
        if match is None:
            hits.append(None)
            continue
        rank, matched = match
        value = getattr(entity, matched, "") if matched not in ("pinyin",) else entity.name
        if matched in ("id_number", "phone"):
            shown = Markup()  # numbers are shown masked, never highlighted
        elif source.section is Section.PERSON:
            shown = highlight(value, needles)
        else:
            shown = snippet(value, needles)
        hits.append(Hit(document_id, kind, entity, case, person, matched, shown, rank))
    return hits


def search_people(user: User, query: ParsedQuery) -> list[Hit]:
    """Every matching service user the user may see, best first (bounded)."""
    docs = candidates(user, query, Section.PERSON, after=None, limit=PERSON_CANDIDATES)
    hits = [hit for hit in _hits(docs, query) if hit is not None]
    return sorted(hits, key=lambda hit: (hit.rank, -hit.document_id))


def search_section(
    user: User, query: ParsedQuery, section: Section, *, after: int | None, per_page: int
) -> Results:
    """One page of matching cases or records, newest first, with a keyset cursor."""
    results = Results()
    cursor = after
    for _ in range(MAX_ROUNDS):
        batch = per_page * 2
        docs = candidates(user, query, section, after=cursor, limit=batch)
        for doc, hit in zip(docs, _hits(docs, query), strict=True):
            if len(results.hits) == per_page:
                results.has_more = True
                results.next_after = cursor
                return results
            cursor = doc[0]
            if hit is not None:
                results.hits.append(hit)
        if len(docs) < batch:
            return results
    results.has_more = True
    results.next_after = cursor
    return results


def exact_case(user: User, query: ParsedQuery) -> Case | None:
    """The visible case whose number is exactly the query, if any."""
    if query.prefix or " " in query.text:
        return None
    found: Case | None = db.session.scalar(
        cases_visible_to(user)
        .where(Case.number.in_({query.text, query.text.upper()}))
        .options(selectinload(Case.service_user))
    )
    return found


def case_hit(case: Case, query: ParsedQuery) -> Hit:
    """A hit for a case found by its exact number."""
    return Hit(
        0,
        "cases",
        case,
        case,
        case.service_user,
        "number",
        highlight(case.number, needles_of(query)),
        0,
    )


def cases_of_people(user: User, person_ids: Sequence[int]) -> dict[int, list[Case]]:
    """Each listed person's cases that ``user`` may open, newest first (one query)."""
    if not person_ids:
        return {}
    found: dict[int, list[Case]] = {}
    for case in db.session.scalars(
        cases_visible_to(user)
        .where(Case.service_user_id.in_(list(person_ids)))
        .options(selectinload(Case.worker))
        .order_by(Case.opened_on.desc(), Case.id.desc())
    ):
        found.setdefault(case.service_user_id, []).append(case)
    return found
