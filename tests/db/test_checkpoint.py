"""The write-ahead log reaches the database file without a commit paying for it."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.db.checkpoint import Checkpointer
from tests.conftest import eventually, in_database_file


def _in_database_file(path: Path) -> list[str]:
    return [name for (name,) in in_database_file(path, "SELECT name FROM notes ORDER BY name")]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[Path, sqlite3.Connection]]:
    path = tmp_path / "notes.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # no commit ever copies the log
    writer.execute("CREATE TABLE notes (name TEXT)")
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    yield path, writer
    writer.close()


def test_committed_writes_are_copied_into_the_database_file(
    database: tuple[Path, sqlite3.Connection],
) -> None:
    path, writer = database
    checkpointer = Checkpointer(str(path), every=0.05)
    checkpointer.start()
    try:
        writer.execute("INSERT INTO notes VALUES ('first')")
        eventually(lambda: _in_database_file(path) == ["first"])
        writer.execute("INSERT INTO notes VALUES ('second')")
        eventually(lambda: _in_database_file(path) == ["first", "second"])
    finally:
        checkpointer.stop()


def test_without_it_the_writes_stay_in_the_log(database: tuple[Path, sqlite3.Connection]) -> None:
    path, writer = database
    writer.execute("INSERT INTO notes VALUES ('first')")
    time.sleep(0.2)

    assert _in_database_file(path) == []
    assert [n for (n,) in writer.execute("SELECT name FROM notes")] == ["first"]


def test_a_reader_holding_a_snapshot_does_not_stop_it(
    database: tuple[Path, sqlite3.Connection],
) -> None:
    path, writer = database
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM notes").fetchone() == (0,)
    checkpointer = Checkpointer(str(path), every=0.05)
    checkpointer.start()
    try:
        writer.execute("INSERT INTO notes VALUES ('first')")
        time.sleep(0.2)  # the reader's snapshot predates the write: it stays in the log
        writer.execute("INSERT INTO notes VALUES ('second')")
        reader.execute("COMMIT")
        eventually(lambda: _in_database_file(path) == ["first", "second"])
    finally:
        checkpointer.stop()
        reader.close()
