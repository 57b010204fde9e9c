"""Engine and session factory; the one commit point for requests and jobs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.close()


READ_ONLY = "keepwarm_read_only"
SQLITE_READERS = 4


def _begin(conn: Any) -> None:
    # SQLite: a writer takes the write lock when its transaction starts, so writers queue on
    # busy_timeout instead of failing on a lock upgrade; readers take no lock at all (WAL).
    # Sent on the driver: SQLAlchemy's execution machinery cost more than the BEGIN.
    read_only = conn.get_execution_options().get(READ_ONLY, False)
    conn.connection.driver_connection.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for SQLite (foreign keys, WAL, busy timeout) or PostgreSQL."""
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
