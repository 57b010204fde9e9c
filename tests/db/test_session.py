"""Sessions: beginning a write transaction without waiting for SQLite's write lock."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import JSON, Column, Engine, MetaData, Table, insert, select, text
from sqlalchemy.orm import Session

from service.db.migrate import upgrade
from service.db.session import (
    BUSY_TIMEOUT_MS,
    begin_without_waiting,
    make_engine,
    make_session_factory,
)
from tests.conftest import BACKENDS, make_database


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = make_database(request.param, request, tmp_path, "keepwarm_session")
    upgrade(url)
    engine = make_engine(url)
    with engine.connect():
        pass  # the first connection puts a SQLite file in WAL mode, for good
    yield engine
    engine.dispose()


def _other_connection(engine: Engine) -> sqlite3.Connection:
    assert engine.url.database
    return sqlite3.connect(engine.url.database, isolation_level=None)


def _lock_is_free(engine: Engine) -> bool:
    probe = _other_connection(engine)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        probe.close()


def test_a_free_lock_is_taken_at_once_and_held_to_the_end(engine: Engine) -> None:
    with make_session_factory(engine)() as session:
        begun = begin_without_waiting(session)
        if engine.dialect.name != "sqlite":
            assert not begun  # PostgreSQL's statements can wait on any row
            return
        assert begun
        assert not _lock_is_free(engine)
        session.execute(text("UPDATE accounts SET email = email"))
        session.commit()
    assert _lock_is_free(engine)


def test_a_held_lock_is_not_waited_for_and_the_session_goes_on(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    other = _other_connection(engine)
    other.execute("PRAGMA busy_timeout=0")
    other.execute("BEGIN IMMEDIATE")
    session: Session = make_session_factory(engine)()
    try:
        assert not begin_without_waiting(session)
        other.execute("ROLLBACK")
        # The session begins as any other once the lock is free, with the usual patience.
        timeout = session.execute(text("PRAGMA busy_timeout")).scalar_one()
        assert timeout == BUSY_TIMEOUT_MS
        session.execute(text("UPDATE accounts SET email = email"))
        assert not _lock_is_free(engine)
        session.commit()
    finally:
        session.close()
        other.close()
    assert _lock_is_free(engine)


def test_json_columns_store_standard_json_and_read_it_back(engine: Engine) -> None:
    # Written by orjson (service.db.session._json): the stored text is what any JSON reader,
    # and json.dumps's own output, agree on.
    value = {
        "text": 'Zoë — café ✓ "quoted" \\ back\nline',
        "nested": [1, 2.5, None, True, {"k": []}],
        3: "an int key becomes a string, as with json.dumps",
    }
    table = "json_check"
    with engine.begin() as connection:
        connection.execute(text(f"CREATE TABLE {table} (doc JSON)"))
    try:
        docs = Table(table, MetaData(), Column("doc", JSON))
        with engine.begin() as connection:
            connection.execute(insert(docs), {"doc": value})
            raw = connection.execute(text(f"SELECT CAST(doc AS TEXT) FROM {table}")).scalar_one()
            read = connection.execute(select(docs.c.doc)).scalar_one()
        expected = json.loads(json.dumps(value))
        assert json.loads(raw) == expected
        assert read == expected
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP TABLE {table}"))
