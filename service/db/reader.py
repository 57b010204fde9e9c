"""Single-statement reads that never leave the event loop (the hot GET endpoints).

A worker-thread hop costs more than an indexed SQLite lookup, so on SQLite the statement runs
in the event loop on a sqlite3 connection of its own, in autocommit mode: each statement reads
one consistent WAL snapshot and holds no lock, however many writers there are. On PostgreSQL
it is awaited on a psycopg asyncio pool, so the loop never blocks on the network. Either way
a read is one statement (no BEGIN, no ROLLBACK), compiled once by SQLAlchemy and run on the
driver directly with SQLAlchemy's conversions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy import Engine, Executable
from sqlalchemy.exc import OperationalError

from service.db.compiled import statements_for


class Reader(Protocol):
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


class PostgresReader:
    """A psycopg asyncio pool; statements compiled once, with SQLAlchemy's conversions.

    SQLAlchemy's asyncio layer cost five times the query itself (greenlet hops, pre-ping).
    """

    def __init__(self, engine: Engine, *, pool_size: int) -> None:
        self._statements = statements_for(engine.dialect)
        conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._pool = AsyncConnectionPool(
            conninfo,
            min_size=1,
            max_size=pool_size,
            open=False,
            timeout=10,  # then the read answers 503
            kwargs={"autocommit": True},
        )

    async def rows(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> Sequence[Any]:
        compiled = self._statements[statement]
        sql, values = compiled.sql(params or {})
        for retry in (True, False):
            try:
                async with self._pool.connection() as connection:
                    found = await (await connection.execute(sql, values)).fetchall()
                return compiled.rows(found)
            except psycopg.OperationalError as exc:
                # Connections the server dropped (restart, failover) fail once: check the
                # pool's idle ones and repeat the read (it is safe to). Beyond that the
                # database is unavailable.
                if not retry:
                    raise OperationalError(sql, values, exc) from exc
                await self._pool.check()
            except PoolTimeout as exc:  # no connection could be made in time
                raise OperationalError(sql, values, exc) from exc
        raise AssertionError("unreachable")

    async def open(self) -> None:
        await self._pool.open(wait=False)  # connects in the background; reads wait for it

    async def close(self) -> None:
        await self._pool.close()


def make_reader(engine: Engine, *, pool_size: int = 10) -> Reader:
    """The reader for the engine's database."""
    if engine.dialect.name == "sqlite":
        return SqliteReader(engine)
    return PostgresReader(engine, pool_size=pool_size)
