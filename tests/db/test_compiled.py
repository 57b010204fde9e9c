"""Statements run on the driver: rows when they select, none when they write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    select,
    text,
    update,
)

from service.db import compiled
from service.db.session import make_engine

notes = Table("notes", MetaData(), Column("id", Integer, primary_key=True), Column("body", String))
BODY = select(notes.c.body).where(notes.c.id == bindparam("id"))
RENAME = update(notes).where(notes.c.id == bindparam("id")).values(body=bindparam("body"))


@pytest.fixture
def connection(tmp_path: Path) -> Iterator[Connection]:
    engine = make_engine(f"sqlite:///{tmp_path / 'compiled.db'}")
    notes.create(engine)
    with engine.begin() as conn:
        conn.execute(notes.insert(), [{"id": 1, "body": "first"}])
        yield conn
    engine.dispose()


def test_a_select_returns_its_rows_and_a_write_none(connection: Connection) -> None:
    assert compiled.execute(connection, RENAME, {"id": 1, "body": "renamed"}) == []
    assert [row.body for row in compiled.execute(connection, BODY, {"id": 1})] == ["renamed"]
    assert compiled.execute(connection, BODY, {"id": 2}) == []


def test_a_text_statement_must_say_its_columns(connection: Connection) -> None:
    with pytest.raises(ValueError, match="columns"):
        compiled.execute(connection, text("SELECT body FROM notes"))

    rows = compiled.execute(connection, text("SELECT body FROM notes").columns(notes.c.body))

    assert [row.body for row in rows] == ["first"]
