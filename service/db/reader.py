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
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy import Dialect, Engine, Executable
from sqlalchemy.exc import OperationalError


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


class _Compiled:
    """A statement compiled once for one dialect, with SQLAlchemy's own conversions.

    Running it means: the SQL (IN lists expanded for the values at hand), the parameters
    converted and in the driver's order, then each column converted back (UUIDs, UTC
    timestamps, enums, JSON) into a row with attribute access, as SQLAlchemy's rows have.
    The conversions come from SQLAlchemy's compiled statement (stable through 2.x, private
    by name); a test holds the rows equal to SQLAlchemy's, value for value and type for type.
    """

    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        compiled: Any = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
        columns = compiled._result_columns
        self._compiled = compiled
        self._expanding = "POSTCOMPILE" in compiled.string
        self._binds: dict[str, Callable[[Any], Any]] = dict(compiled._bind_processors)
        self._results = tuple(c.type._cached_result_processor(dialect, None) for c in columns)
        self._row: Any = namedtuple("Row", [c.keyname for c in columns])  # type: ignore[misc]
        self.positional = compiled.positiontup is not None

    def sql(self, params: Mapping[str, Any]) -> tuple[str, Any]:
        """The SQL and its parameters (a list for positional drivers, else a dict)."""
        compiled = self._compiled
        if self._expanding:
            expanded = compiled.construct_expanded_state(params)
            sql, names, values = expanded.statement, expanded.positiontup, expanded.parameters
            binds = {**self._binds, **expanded.processors}
        else:
            sql, names, binds = compiled.string, compiled.positiontup, self._binds
            values = compiled.construct_params(params)
        converted = {n: binds[n](v) if n in binds else v for n, v in values.items()}
        return sql, [converted[n] for n in names] if self.positional else converted

    def rows(self, found: Sequence[Sequence[Any]]) -> list[Any]:
        """The driver's rows, converted."""
        make, results = self._row._make, self._results
        return [
            make([v if f is None else f(v) for f, v in zip(results, raw, strict=True)])
            for raw in found
        ]


class _Statements:
    """Compiled statements by statement (statements are built once: module constants)."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._compiled: dict[Executable, _Compiled] = {}

    def __getitem__(self, statement: Executable) -> _Compiled:
        found = self._compiled.get(statement)
        if found is None:
            found = self._compiled[statement] = _Compiled(statement, self._dialect)
        return found


class SqliteReader:
    """One autocommit sqlite3 connection, used from the event loop only (never concurrently).

    SQLAlchemy's execution machinery cost three times an indexed lookup: statements run on
    the driver's connection instead, with the conversions SQLAlchemy compiled for them.
    """

    def __init__(self, engine: Engine) -> None:
        self._statements = _Statements(engine.dialect)
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
        self._statements = _Statements(engine.dialect)
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
