"""The audit log is append-only at the database and its hash chain shows any change."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from casework.core import audit, audit_chain
from casework.core.audit import AuditEntry
from casework.core.models import utcnow
from casework.extensions import db
from tests.conftest import Login
from tests.factories import ServiceUserFactory, WorkerFactory


def _entries(count: int, *, days_ago: int = 0) -> list[int]:
    entries = [
        audit.record("test.entry", details={"n": n}, unit_id=None, actor_id=None)
        for n in range(count)
    ]
    for entry in entries:
        entry.at = utcnow() - timedelta(days=days_ago)
    db.session.flush()
    ids = [entry.id for entry in entries]
    db.session.commit()  # and no read after it: a statement below may need the table's lock
    return ids


def _owner_runs(statement: str, **params: object) -> None:
    """The database owner, with the triggers dropped for the statement."""
    with db.engine.begin() as connection, audit_chain.guard_lifted(connection):
        connection.execute(text(statement), params)


def test_sealing_numbers_the_entries_in_order(app: Flask) -> None:
    ids = _entries(3)
    audit_chain.seal_pending()
    db.session.expire_all()
    assert [db.session.get(AuditEntry, i).seq for i in ids] == [1, 2, 3]  # type: ignore[union-attr]


def test_an_intact_log_verifies(app: Flask) -> None:
    _entries(5)
    audit_chain.seal_pending()
    assert audit_chain.verify() == audit_chain.Verdict(checked=5)


def test_sealing_spans_batches(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_chain, "SEAL_BATCH", 2)
    _entries(5)
    assert audit_chain.seal_pending() == 5
    assert audit_chain.verify().checked == 5


def test_updating_an_entry_fails_at_the_database(app: Flask) -> None:
    (entry_id,) = _entries(1)
    with pytest.raises(DatabaseError), db.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_entries SET action = 'case.view' WHERE id = :id"), {"id": entry_id}
        )


def test_updating_a_sealed_entrys_hash_fails_at_the_database(app: Flask) -> None:
    (entry_id,) = _entries(1)
    audit_chain.seal_pending()
    with pytest.raises(DatabaseError), db.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_entries SET entry_hash = NULL, seq = NULL WHERE id = :id"),
            {"id": entry_id},
        )


def test_deleting_a_recent_entry_fails_at_the_database(app: Flask) -> None:
    (entry_id,) = _entries(1)
    with pytest.raises(DatabaseError), db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": entry_id})


def test_truncating_the_log_fails_on_postgresql(app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    _entries(1)
    with pytest.raises(DatabaseError), db.engine.begin() as connection:
        connection.execute(text("TRUNCATE audit_entries CASCADE"))


def test_an_entry_past_the_floor_may_be_deleted(app: Flask) -> None:
    (entry_id,) = _entries(1, days_ago=200)
    with db.engine.begin() as connection:
        deleted = connection.execute(
            text("DELETE FROM audit_entries WHERE id = :id"), {"id": entry_id}
        ).rowcount
    assert deleted == 1


def test_verify_finds_an_entry_the_owner_altered(app: Flask) -> None:
    ids = _entries(4)
    audit_chain.seal_pending()
    _owner_runs("UPDATE audit_entries SET actor_id = NULL, action = 'x' WHERE id = :id", id=ids[2])
    verdict = audit_chain.verify()
    assert (verdict.broken_at, verdict.entry_id, verdict.reason) == (3, ids[2], "entry altered")


def test_verify_finds_an_entry_the_owner_removed(app: Flask) -> None:
    ids = _entries(4)
    audit_chain.seal_pending()
    _owner_runs("DELETE FROM audit_entries WHERE id = :id", id=ids[1])
    verdict = audit_chain.verify()
    assert (verdict.broken_at, verdict.reason) == (2, "entries missing before this one")


def test_verify_finds_entries_cut_from_the_end(app: Flask) -> None:
    ids = _entries(3)
    audit_chain.seal_pending()
    _owner_runs("DELETE FROM audit_entries WHERE id = :id", id=ids[2])
    assert audit_chain.verify().reason == "entries missing at the end"


def test_a_chain_recomputed_without_the_key_does_not_verify(app: Flask) -> None:
    _entries(2)
    audit_chain.seal_pending()
    app.config["AUDIT_KEY"] = "cd" * 32
    assert audit_chain.verify().reason == "entry altered"


def test_pruning_keeps_the_chain_verifiable(app: Flask) -> None:
    _entries(3, days_ago=400)
    _entries(2)
    audit_chain.seal_pending()
    assert audit_chain.prune(365) == 3
    assert audit_chain.verify() == audit_chain.Verdict(checked=2)


def test_pruning_refuses_to_go_below_the_floor(app: Flask) -> None:
    with pytest.raises(ValueError, match="at least 180 days"):
        audit_chain.prune(179)


def test_an_audited_page_view_is_sealed_once_answered(
    client: FlaskClient, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    monkeypatch.setattr(audit_chain, "_last_sealed", 0.0)  # no sealing in the last second
    client.get(f"/people/{person.id}", buffered=True)
    unsealed = db.session.scalar(
        db.select(db.func.count()).select_from(AuditEntry).where(AuditEntry.seq.is_(None))
    )
    assert unsealed == 0


def test_the_command_reports_an_intact_log(app: Flask) -> None:
    _entries(2)
    result = app.test_cli_runner().invoke(args=["casework", "verify-audit"])
    assert (result.exit_code, "intact: 2 entries" in result.output) == (0, True)


def test_the_command_fails_at_the_first_broken_link(app: Flask) -> None:
    ids = _entries(2)
    audit_chain.seal_pending()
    _owner_runs("UPDATE audit_entries SET action = 'x' WHERE id = :id", id=ids[0])
    result = app.test_cli_runner().invoke(args=["casework", "verify-audit"])
    assert result.exit_code == 1
    assert f"BROKEN at sequence 1 (entry id {ids[0]})" in result.output


def test_a_retention_below_180_days_refuses_to_start(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(ValueError, match="AUDIT_RETENTION_DAYS"):
        make_app(AUDIT_RETENTION_DAYS=90)


def test_a_worker_seals_at_most_once_a_second(
    client: FlaskClient, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    monkeypatch.setattr(audit_chain, "_last_sealed", time.monotonic())  # sealed just now
    client.get(f"/people/{person.id}", buffered=True)
    unsealed = db.session.scalar(
        db.select(db.func.count()).select_from(AuditEntry).where(AuditEntry.seq.is_(None))
    )
    assert unsealed > 0
