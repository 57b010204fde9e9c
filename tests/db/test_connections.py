"""The event loop's PostgreSQL connections: bounded, fair, and never lost to a failed read."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import literal_column, select
from sqlalchemy.exc import OperationalError

from service.db.connections import ConnectionPool
from service.db.reader import PostgresReader
from service.db.session import make_engine
from tests.pg import create_database

PID = "SELECT pg_backend_pid()"


@pytest.fixture(scope="module")
def url(pg_server: str) -> str:
    return create_database(pg_server, "connections")


@pytest.fixture
def dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def run(test: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(test())


def pool_of(dsn: str, size: int, timeout: float = 5.0) -> ConnectionPool:
    return ConnectionPool(lambda: asyncpg.connect(dsn), size=size, timeout=timeout)


async def held_and_waiting(
    pool: ConnectionPool,
) -> tuple[asyncpg.Connection, asyncio.Task[asyncpg.Connection]]:
    """The pool's one connection lent, and a read waiting for it."""
    held = await pool.acquire()
    waiting = asyncio.create_task(pool.acquire())
    await asyncio.sleep(0.05)
    assert not waiting.done()
    return held, waiting


def test_reads_beyond_the_size_wait_their_turn_on_that_many_connections(dsn: str) -> None:
    async def test() -> tuple[set[int], int]:
        pool = pool_of(dsn, size=2)

        async def read() -> int:
            connection = await pool.acquire()
            try:
                pid: int = await connection.fetchval("SELECT pg_backend_pid() FROM pg_sleep(0.02)")
                return pid
            finally:
                pool.release(connection)

        pids = await asyncio.gather(*(read() for _ in range(20)))
        size = pool.connections
        await pool.close()
        return set(pids), size

    pids, size = run(test)

    assert len(pids) == 2 and size == 2


def test_a_wait_for_a_connection_ends_after_the_timeout(dsn: str) -> None:
    async def test() -> tuple[float, int, int]:
        pool = pool_of(dsn, size=1, timeout=0.2)
        held = await pool.acquire()
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            await pool.acquire()
        waited = time.monotonic() - started
        pool.release(held)
        again = await pool.acquire()  # the timed-out wait took nothing with it
        pid_before, pid_after = await held.fetchval(PID), await again.fetchval(PID)
        pool.release(again)
        await pool.close()
        return waited, pid_before, pid_after

    waited, before, after = run(test)

    assert 0.15 < waited < 2 and before == after


def test_a_dropped_connection_frees_its_place_for_the_next_waiter(dsn: str) -> None:
    async def test() -> tuple[int, int, int]:
        pool = pool_of(dsn, size=1)
        first, waiting = await held_and_waiting(pool)
        first_pid = await first.fetchval(PID)

        pool.release(first, usable=False)  # failed mid-read: dropped, not handed on
        second = await asyncio.wait_for(waiting, 5)
        second_pid = await second.fetchval(PID)
        pool.release(second)
        size = pool.connections
        await pool.close()
        return first_pid, second_pid, size

    first_pid, second_pid, size = run(test)

    assert first_pid != second_pid and size == 1


def test_a_cancelled_wait_leaves_the_pool_as_it_was(dsn: str) -> None:
    async def test() -> tuple[bool, int]:
        pool = pool_of(dsn, size=1)
        held, waiting = await held_and_waiting(pool)
        waiting.cancel()
        await asyncio.sleep(0)
        pool.release(held)
        again = await asyncio.wait_for(pool.acquire(), 1)
        same = again is held
        pool.release(again)
        size = pool.connections
        await pool.close()
        return same, size

    same, size = run(test)

    assert same and size == 1


def test_a_wait_cancelled_as_its_connection_arrives_passes_the_connection_on(dsn: str) -> None:
    async def test() -> bool:
        pool = pool_of(dsn, size=1, timeout=1)
        held, waiting = await held_and_waiting(pool)
        pool.release(held)  # handed to the waiter...
        waiting.cancel()  # ...which is cancelled before it runs again
        with pytest.raises(asyncio.CancelledError):
            await waiting
        again = await pool.acquire()  # not lost: no wait, no timeout
        same = again is held
        pool.release(again)
        await pool.close()
        return same

    assert run(test)


def test_closing_fails_the_waiters_and_closes_lent_connections_on_return(dsn: str) -> None:
    async def test() -> tuple[bool, int]:
        pool = pool_of(dsn, size=1)
        held, waiting = await held_and_waiting(pool)
        await pool.close()
        with pytest.raises(asyncpg.InterfaceError):
            await waiting
        pool.release(held)
        return held.is_closed(), pool.connections

    closed, size = run(test)

    assert closed and size == 0


@pytest.fixture
def reader(url: str) -> Iterator[Callable[..., PostgresReader]]:
    engine = make_engine(url)
    yield lambda **options: PostgresReader(engine, **options)
    engine.dispose()


SLEEP = select(literal_column("pg_sleep(2)").label("slept"))
ONE = select(literal_column("1").label("one"))


def test_a_statement_past_the_timeout_is_an_operational_error_and_the_next_read_works(
    reader: Callable[..., PostgresReader],
) -> None:
    async def test() -> tuple[float, list[Any]]:
        mine = reader(pool_size=1, timeout=0.5)
        started = time.monotonic()
        with pytest.raises(OperationalError):
            await mine.rows(SLEEP)
        waited = time.monotonic() - started
        rows = await asyncio.wait_for(mine.rows(ONE), 5)
        await mine.close()
        return waited, list(rows)

    waited, rows = run(test)

    assert 0.4 < waited < 0.9  # once: a timeout is not retried
    assert [row.one for row in rows] == [1]


def test_a_read_waiting_past_the_timeout_for_a_connection_is_an_operational_error(
    reader: Callable[..., PostgresReader],
) -> None:
    async def test() -> float:
        mine = reader(pool_size=1, timeout=0.5)
        held = await mine._pool.acquire()  # its only connection, busy for longer
        started = time.monotonic()
        with pytest.raises(OperationalError):
            await mine.rows(ONE)
        waited = time.monotonic() - started
        mine._pool.release(held)
        await mine.close()
        return waited

    assert 0.4 < run(test) < 0.9


def test_a_cancelled_read_does_not_keep_its_connection(
    reader: Callable[..., PostgresReader],
) -> None:
    async def test() -> list[Any]:
        mine = reader(pool_size=1)
        slow = asyncio.create_task(mine.rows(SLEEP))
        await asyncio.sleep(0.2)
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        rows = await asyncio.wait_for(mine.rows(ONE), 1)  # not after the 2 s sleep
        await mine.close()
        return list(rows)

    assert [row.one for row in run(test)] == [1]


def test_an_unreachable_database_is_an_operational_error() -> None:
    async def test() -> None:
        engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
        mine = PostgresReader(engine, pool_size=1, timeout=1)
        with pytest.raises(OperationalError):
            await mine.rows(ONE)
        await mine.close()

    run(test)
