"""Single-statement reads that never leave the event loop (the hot GET endpoints).

A worker-thread hop costs more than an indexed SQLite lookup, so on SQLite the statement runs
in the event loop on a sqlite3 connection of its own, in autocommit mode: each statement reads
one consistent WAL snapshot and holds no lock, however many writers there are. On PostgreSQL
it is awaited on an asyncpg pool, so the loop never blocks on the network. Either way
a read is one statement (no BEGIN, no ROLLBACK), compiled once by SQLAlchemy and run on the
driver directly with SQLAlchemy's conversions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import asyncpg
from sqlalchemy import Engine, Executable
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.exc import OperationalError

from service.db.compiled import statements_for
from service.db.connections import ConnectionPool


class Reader(Protocol):
    remote: bool  # each statement is a round trip to a server (fewer, larger ones pay)

    async def rows(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> Sequence[Any]:
        """Every row the statement selects, with attribute access (build statements once)."""
        ...

    async def open(self) -> None:
        """Start (the app's lifespan calls it once)."""
        ...

    async def close(self) -> None:
        """Release the connections."""
        ...


class SqliteReader:
    """One autocommit sqlite3 connection, used from the event loop only (never concurrently).

    SQLAlchemy's execution machinery cost three times an indexed lookup: statements run on
    the driver's connection instead, with the conversions SQLAlchemy compiled for them.
    """

    remote = False

    def __init__(self, engine: Engine) -> None:
        self._statements = statements_for(engine.dialect)
        self._pooled = engine.raw_connection()  # tuned by make_engine (WAL, foreign keys)
        self._connection: sqlite3.Connection = self._pooled.driver_connection  # type: ignore[assignment]

    async def open(self) -> None:
        pass  # the connection is open from the start

    async def rows(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> Sequence[Any]:
        compiled = self._statements[statement]
        sql, args = compiled.sql(params or {})
        try:
            return compiled.rows(self._connection.execute(sql, args).fetchall())
        except sqlite3.OperationalError as exc:
            raise OperationalError(sql, args, exc) from exc

    async def close(self) -> None:
        self._pooled.close()


TIMEOUT = 10  # seconds to connect, to wait for a connection, or for an answer: then 503

# What a connection the server ended (a restart, a failover, an administrator) raises.
_CONNECTION_LOST = (
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,  # "terminating connection", shutting down
    asyncpg.InterfaceError,  # the connection is closed
    asyncpg.exceptions.InternalClientError,  # a connection left mid-operation by a loss
    OSError,
)


class PostgresReader:
    """asyncpg connections; statements compiled once for asyncpg, with SQLAlchemy's conversions.

    SQLAlchemy's asyncio layer cost five times the query itself (greenlet hops, pre-ping),
    psycopg's asyncio cursor, waits and pool about twice asyncpg's (153 against 72 µs of
    CPU per query, 16 at a time), and asyncpg's own pool about half of that (hence
    service.db.connections). JSON is decoded as SQLAlchemy's engine decodes it, so rows are
    the same as the engine's (UUIDs too: see service.db.compiled).
    """

    remote = True

    def __init__(self, engine: Engine, *, pool_size: int, timeout: float = TIMEOUT) -> None:
        dialect = asyncpg_dialect(  # type: ignore[no-untyped-call]
            json_serializer=engine.dialect._json_serializer,
            json_deserializer=engine.dialect._json_deserializer,
        )
        self._statements = statements_for(dialect)
        self._dialect = dialect  # the registry holds statements as long as their dialect
        self._dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._timeout = timeout
        self._pool = ConnectionPool(self._connect, size=pool_size, timeout=timeout)

    async def _connect(self) -> asyncpg.Connection:
        connection = await asyncpg.connect(self._dsn, timeout=self._timeout)
        try:
            for name in ("json", "jsonb"):
                await connection.set_type_codec(
                    name,
                    schema="pg_catalog",
                    encoder=str,
                    decoder=self._dialect._json_deserializer,
                    format="text",
                )
        except BaseException:
            connection.terminate()
            raise
        return connection

    async def rows(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> Sequence[Any]:
        compiled = self._statements[statement]
        sql, values = compiled.sql(params or {})
        pool = self._pool
        for retry in (True, False):
            # TimeoutError is an OSError: it is told apart first, and never retried.
            try:
                connection = await pool.acquire()
            except TimeoutError as exc:
                raise OperationalError(sql, values, exc) from exc
            except _CONNECTION_LOST as exc:
                if not retry:
                    raise OperationalError(sql, values, exc) from exc
                continue
            try:
                found = await connection.fetch(sql, *values, timeout=self._timeout)
            except TimeoutError as exc:
                pool.release(connection, usable=False)  # left mid-operation
                raise OperationalError(sql, values, exc) from exc
            except _CONNECTION_LOST as exc:
                # Connections the server dropped (restart, failover) fail once: the pool
                # drops the connections it holds, and the read is repeated (it is safe to).
                # Beyond that the database is unavailable.
                pool.release(connection, usable=False)
                pool.drop_idle()
                if not retry:
                    raise OperationalError(sql, values, exc) from exc
                continue
            except asyncpg.PostgresError:
                pool.release(connection)  # the server refused the statement: still usable
                raise
            except BaseException:  # a cancelled read: left mid-operation
                pool.release(connection, usable=False)
                raise
            pool.release(connection)
            return compiled.rows(found)
        raise AssertionError("unreachable")

    async def open(self) -> None:
        pass  # no connection yet: the app starts while the database is down (/readyz says so)

    async def close(self) -> None:
        await self._pool.close()


def make_reader(engine: Engine, *, pool_size: int = 10) -> Reader:
    """The reader for the engine's database."""
    if engine.dialect.name == "sqlite":
        return SqliteReader(engine)
    return PostgresReader(engine, pool_size=pool_size)
