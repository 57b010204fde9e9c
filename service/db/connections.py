"""A small pool of asyncpg connections for the event loop's single-statement reads.

asyncpg's own pool costs as much CPU as the query it wraps (about 40 of 78 µs per read,
16 at a time): a holder per connection, a queue, a timeout on every acquire, a shielded
release and a reset. The reads need none of that: a statement leaves no session state, so a
connection is handed to the next read as it is, and a connection that failed in any way is
dropped rather than repaired.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable

import asyncpg


class ConnectionPool:
    """At most `size` connections, opened on demand, the most recently used first.

    A read waits at most `timeout` seconds for a connection (then TimeoutError). A place
    freed by a dropped connection goes to the longest waiter, which opens a new one.
    """

    def __init__(
        self, connect: Callable[[], Awaitable[asyncpg.Connection]], *, size: int, timeout: float
    ) -> None:
        self._connect = connect
        self._size = size
        self._timeout = timeout
        self._idle: list[asyncpg.Connection] = []
        # Each waiter gets a connection, or None: a free place to open one in.
        self._waiters: deque[asyncio.Future[asyncpg.Connection | None]] = deque()
        self._places = 0  # connections idle, lent or being opened
        self._closed = False

    @property
    def connections(self) -> int:
        """Connections open or being opened now."""
        return self._places

    async def acquire(self) -> asyncpg.Connection:
        """A connection of the pool's own: give it back with release()."""
        if self._closed:
            raise asyncpg.InterfaceError("the pool is closed")
        if self._idle:
            return self._idle.pop()
        if self._places < self._size:
            self._places += 1
        else:
            connection = await self._wait()
            if connection is not None:
                return connection
        try:
            return await self._connect()
        except BaseException:
            self._free_place()
            raise

    async def _wait(self) -> asyncpg.Connection | None:
        waiter: asyncio.Future[asyncpg.Connection | None]
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(self._timeout):
                return await waiter
        except BaseException:
            if not waiter.done():
                waiter.cancel()
                self._waiters.remove(waiter)
            elif not waiter.cancelled() and waiter.exception() is None:
                # Handed over as the wait ended (a timeout or a cancellation): pass it on.
                handed = waiter.result()
                if handed is None:
                    self._free_place()
                else:
                    self.release(handed)
            raise

    def release(self, connection: asyncpg.Connection, *, usable: bool = True) -> None:
        """Give a connection back; one that failed (`usable=False`) is dropped."""
        if usable and not self._closed and not connection.is_closed():
            while self._waiters:
                waiter = self._waiters.popleft()
                if not waiter.done():
                    waiter.set_result(connection)
                    return
            self._idle.append(connection)
            return
        connection.terminate()
        self._free_place()

    def _free_place(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the waiter opens a connection in this place
                return
        self._places -= 1

    def drop_idle(self) -> None:
        """Drop every idle connection (after one was lost: the server may have restarted)."""
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.terminate()
            self._free_place()

    async def close(self) -> None:
        """Close the idle connections; lent ones are closed as they come back."""
        self._closed = True
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_exception(asyncpg.InterfaceError("the pool is closed"))
        idle, self._idle = self._idle, []
        self._places -= len(idle)
        await asyncio.gather(*(connection.close() for connection in idle))
