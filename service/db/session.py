"""Engine and session factory; the one commit point for requests and jobs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from service.db.urls import check_database_url

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
POOL_SIZE = 10
SQLITE_READERS = 4


def _begin(conn: Any) -> None:
    # SQLAlchemy's recipe for SQLite transactions: the driver's own handling is off
    # (isolation_level=None), and a writer takes the write lock as its transaction starts,
    # so writers queue on busy_timeout instead of failing on a lock upgrade. Readers take
    # no lock at all (WAL).
    read_only = conn.get_execution_options().get(READ_ONLY, False)
    # Through SQLAlchemy, not straight to the driver (11 µs cheaper): a lock not had within
    # busy_timeout must arrive as SQLAlchemy's OperationalError, which the API answers 503
    # with Retry-After and a command as its one line; the driver's own error was a 500.
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _json(value: Any) -> str:
    # JSON columns: orjson writes what json.dumps(separators=(",", ":"), ensure_ascii=False)
    # would, about eight times as fast; a logged attempt stores some 4 KB of it.
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def make_engine(url: str, *, pool_size: int = POOL_SIZE, **kwargs: Any) -> Engine:
    """An engine for SQLite (foreign keys, WAL, busy timeout) or PostgreSQL (`pool_size`
    connections kept, KEEPWARM_DB_POOL_SIZE; a burst may open half as many again).

    Raises DatabaseUrlError for a URL whose parameters would not all reach the driver.
    """
    check_database_url(url)
    kwargs = {"json_serializer": _json, "json_deserializer": orjson.loads, **kwargs}
    if url.startswith("sqlite"):
        # Readers, one request writer, the in-process scheduler and a key's last-use write
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
    # The overflow serves bursts beside the requests' share (the in-process scheduler, a
    # key's last-use write) and is closed once returned: the pool stays at pool_size.
    return create_engine(
        url, pool_pre_ping=True, pool_size=pool_size, max_overflow=pool_size // 2, **kwargs
    )


def make_session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (read-only: no write lock)."""
    bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
    return sessionmaker(bind, expire_on_commit=False)


def finish(session: Session, *, commit: bool) -> None:
    """End a unit of work: commit or roll back, and give the connection back."""
    try:
        session.commit() if commit else session.rollback()
    finally:
        session.close()


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work outside a request (jobs, commands): commit on success, else roll back."""
    session = factory()
    try:
        yield session
    except BaseException:
        finish(session, commit=False)
        raise
    finish(session, commit=True)


# PostgreSQL's answers that mean "run the whole transaction again": a deadlock was broken by
# ending this one, or a serializable snapshot could not be kept.
RETRY_SQLSTATES = frozenset({"40P01", "40001"})


def must_retry(exc: BaseException) -> bool:
    """Whether the database ended the transaction so that running it again can succeed."""
    return isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in RETRY_SQLSTATES
