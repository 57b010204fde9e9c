"""Engine and session factory; the one commit point for requests and jobs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from sqlite3 import OperationalError
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.close()


READ_ONLY = "keepwarm_read_only"
NO_WAIT = "keepwarm_no_wait"
SQLITE_READERS = 4
_SQLITE_BUSY = 5


class WriterBusy(Exception):
    """SQLite's write lock is held by another connection, and this one would not wait."""


def _begin(conn: Any) -> None:
    # SQLite: a writer takes the write lock when its transaction starts, so writers queue on
    # busy_timeout instead of failing on a lock upgrade; readers take no lock at all (WAL).
    # Sent on the driver: SQLAlchemy's execution machinery cost more than the BEGIN.
    options = conn.get_execution_options()
    driver = conn.connection.driver_connection
    if options.get(READ_ONLY, False):
        driver.execute("BEGIN")
    elif not options.get(NO_WAIT, False):
        driver.execute("BEGIN IMMEDIATE")
    else:
        driver.execute("PRAGMA busy_timeout=0")
        try:
            driver.execute("BEGIN IMMEDIATE")
        except OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF == _SQLITE_BUSY:  # extended codes too
                raise WriterBusy() from exc
            raise
        finally:
            driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def begin_without_waiting(session: Session) -> bool:
    """Begin the session's write transaction now if that needs no wait; False if it would.

    On SQLite, true when no other connection holds the write lock: the transaction then
    holds it until it ends, so nothing in it waits for a lock. PostgreSQL's statements can
    wait on any row, so there it is always False. A False leaves the session as it was.
    """
    if session.get_bind().dialect.name != "sqlite":
        return False
    try:
        session.connection(execution_options={NO_WAIT: True})
    except WriterBusy:
        return False
    return True


def _json(value: Any) -> str:
    # JSON columns: orjson writes what json.dumps(separators=(",", ":"), ensure_ascii=False)
    # would, about eight times as fast; a logged attempt stores some 4 KB of it.
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for SQLite (foreign keys, WAL, busy timeout) or PostgreSQL."""
    kwargs = {"json_serializer": _json, "json_deserializer": orjson.loads, **kwargs}
    if url.startswith("sqlite"):
        # Readers, one request writer, the in-process scheduler and the event loop's reader
        # each get a connection.
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "isolation_level": None},
            pool_size=SQLITE_READERS + 3,
            max_overflow=0,
            pool_timeout=30,
            **kwargs,
        )
        event.listen(engine, "connect", _tune_sqlite)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=0, **kwargs)


def make_session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (read-only: no write lock)."""
    bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
    return sessionmaker(bind, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work: commit on success, roll back on error."""
    with factory() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()
