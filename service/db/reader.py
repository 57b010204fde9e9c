"""Single-statement reads that never leave the event loop (the hot GET endpoints).

A worker-thread hop costs more than an indexed SQLite lookup, so on SQLite the statement runs
in the event loop on a connection of its own, in autocommit mode: each statement reads one
consistent WAL snapshot and holds no lock, however many writers there are. On PostgreSQL the
statement is awaited on an asyncio (psycopg) pool, so the loop never blocks on the network.
Either way a read is one statement: no BEGIN, no ROLLBACK.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, Executable, Row
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

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
    """An asyncio pool of autocommit connections."""

    def __init__(self, url: str, *, pool_size: int) -> None:
        self._engine: AsyncEngine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=0,
            pool_pre_ping=True,
            isolation_level="AUTOCOMMIT",
        )

    async def rows(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> Sequence[Row[Any]]:
        async with self._engine.connect() as connection:
            return (await connection.execute(statement, params)).all()

    async def close(self) -> None:
        await self._engine.dispose()


def make_reader(engine: Engine, *, pool_size: int = 10) -> Reader:
    """The reader for the engine's database."""
    if engine.dialect.name == "sqlite":
        return SqliteReader(engine)
    return PostgresReader(engine.url.render_as_string(hide_password=False), pool_size=pool_size)
