"""Single-statement reads that never leave the event loop (the hot GET endpoints).

A worker-thread hop costs more than an indexed SQLite lookup, so on SQLite the statement runs
in the event loop on a connection of its own, in autocommit mode: each statement reads one
consistent WAL snapshot and holds no lock, however many writers there are. On PostgreSQL the
statement is awaited on a psycopg asyncio pool, so the loop never blocks on the network.
Either way a read is one statement: no BEGIN, no ROLLBACK.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import psycopg
from psycopg.rows import namedtuple_row
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Compiled, Connection, Engine, Executable, Row
from sqlalchemy.exc import OperationalError

IN_LOOP = "keepwarm_in_loop"


class Reader(Protocol):
    async def rows(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> Sequence[Row[Any]]:
        """Every row the statement selects (build statements once, with bind parameters)."""
        ...

    async def close(self) -> None:
        """Release the connections."""
        ...


class SqliteReader:
    """One autocommit connection used from the event loop only (so never concurrently)."""

    def __init__(self, engine: Engine) -> None:
        options = {IN_LOOP: True, "isolation_level": "AUTOCOMMIT"}
        self._connection: Connection = engine.execution_options(**options).connect()

    async def rows(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> Sequence[Row[Any]]:
        return self._connection.execute(statement, params).all()

    async def close(self) -> None:
        self._connection.close()


class PostgresReader:
    """A psycopg asyncio pool running statements SQLAlchemy compiled once.

    SQLAlchemy's asyncio layer cost five times the query itself (greenlet hops, pre-ping);
    the statements here take only values psycopg adapts natively (str, int, UUID, aware
    datetimes) and the rows come back with attribute access, like SQLAlchemy's.
    """

    def __init__(self, engine: Engine, *, pool_size: int) -> None:
        self._dialect = engine.dialect
        conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._pool = AsyncConnectionPool(
            conninfo,
            min_size=1,
            max_size=pool_size,
            open=False,
            kwargs={
                "autocommit": True,
                "row_factory": namedtuple_row,
                "options": "-c TimeZone=UTC",
            },
        )
        self._compiled: dict[Executable, tuple[Compiled, bool]] = {}

    def _sql(self, statement: Executable, params: Mapping[str, Any]) -> tuple[str, Any]:
        found = self._compiled.get(statement)
        if found is None:
            compiled = statement.compile(dialect=self._dialect)  # type: ignore[attr-defined]
            found = compiled, "POSTCOMPILE" in compiled.string
            self._compiled[statement] = found  # statements are built once (module constants)
        compiled, expanding = found
        if not expanding:
            return compiled.string, dict(params)
        expanded = compiled.construct_expanded_state(params)  # type: ignore[attr-defined]
        return expanded.statement, expanded.parameters

    async def rows(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> Sequence[Any]:
        if self._pool.closed:
            await self._pool.open(wait=True, timeout=30)
        sql, values = self._sql(statement, params or {})
        for retry in (True, False):
            try:
                async with self._pool.connection() as connection:
                    return await (await connection.execute(sql, values)).fetchall()
            except psycopg.OperationalError as exc:
                # Connections the server dropped (restart, failover) fail once: check the
                # pool's idle ones and repeat the read (it is safe to). Beyond that the
                # database is unavailable.
                if not retry:
                    raise OperationalError(sql, values, exc) from exc
                await self._pool.check()
        raise AssertionError("unreachable")

    async def close(self) -> None:
        await self._pool.close()


def make_reader(engine: Engine, *, pool_size: int = 10) -> Reader:
    """The reader for the engine's database."""
    if engine.dialect.name == "sqlite":
        return SqliteReader(engine)
    return PostgresReader(engine, pool_size=pool_size)
