"""Sessions: SQLite's write lock taken as a write transaction begins, JSON columns."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import JSON, Column, Engine, MetaData, Table, insert, select, text
from sqlalchemy.exc import OperationalError

from service.db import session as session_module
from service.db.migrate import upgrade
from service.db.session import (
    BUSY_TIMEOUT_MS,
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


def test_a_write_session_takes_the_write_lock_as_it_begins(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    with make_session_factory(engine)() as session:
        session.execute(text("SELECT 1"))  # a read, yet the lock is held from BEGIN
        assert not _lock_is_free(engine)
        session.commit()
    assert _lock_is_free(engine)


def test_a_read_session_takes_no_lock(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    with make_session_factory(engine, read_only=True)() as session:
        assert session.execute(text("SELECT count(*) FROM accounts")).scalar_one() == 0
        assert _lock_is_free(engine)
        session.commit()


def test_a_writer_waits_for_the_lock_with_the_busy_timeout(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    with make_session_factory(engine)() as session:
        timeout = session.execute(text("PRAGMA busy_timeout")).scalar_one()
        assert timeout == BUSY_TIMEOUT_MS
        session.rollback()


def test_a_writer_that_cannot_have_the_lock_gets_sqlalchemys_error(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The error the API answers 503 (Retry-After) and a command reports in one line."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    monkeypatch.setattr(session_module, "BUSY_TIMEOUT_MS", 50)
    impatient = make_engine(engine.url.render_as_string(hide_password=False))
    holder = _other_connection(engine)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with (
            make_session_factory(impatient)() as session,
            pytest.raises(OperationalError, match="locked"),
        ):
            session.execute(text("SELECT 1"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        impatient.dispose()


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
