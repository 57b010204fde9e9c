"""Run a request again when the database broke a deadlock by ending its transaction."""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.deps import RetryUnitOfWork
from service.api.errors import problem

log = logging.getLogger(__name__)

ATTEMPTS = 3


class RetryConflicts:
    """Pure ASGI middleware: a unit of work ended by a deadlock or a serialization failure
    (PostgreSQL's SQLSTATE 40P01, 40001) is run again from the start, up to ATTEMPTS times,
    before the client gets a 503 with Retry-After.

    The request's unit of work rolled everything back, and nothing was sent yet (the session
    commits before the response starts), so the request is replayed as it came: its body is
    kept for that, within the body limit already checked.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)  # reads take no row locks
            return
        body: list[Message] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body.append(message)
            more = message.get("more_body", False)
        state = dict(scope.get("state", {}))
        for attempt in range(1, ATTEMPTS + 1):
            started = False

            async def watch(message: Message) -> None:
                nonlocal started
                started = True
                await send(message)

            # Each run gets the request state as it came in, not what a failed run left. The
            # scope itself is shared: the outer middlewares read the matched route from it.
            scope["state"] = dict(state)
            try:
                await self.app(scope, _replaying(body, receive), watch)
                return
            except RetryUnitOfWork:
                if started:
                    raise
                log.info("deadlock or serialization failure; ran again (%d)", attempt)
        response = problem(
            503,
            "unavailable",
            "Service unavailable",
            "Concurrent changes to the same records kept colliding; retry shortly.",
            headers={"Retry-After": "1"},
        )
        await response(scope, receive, send)


def _replaying(body: list[Message], receive: Receive) -> Receive:
    """A receive that gives the kept body again, then whatever the client sends next."""
    unread = list(body)

    async def replay() -> Message:
        if unread:
            return unread.pop(0)
        return await receive()  # a disconnect, or waits as the server would

    return replay
