"""Request limits: the body size (413 before the body is read) and the time a request may take."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.api.errors import problem
from service.config import Settings, get_settings


class BodyTooLarge(HTTPException):
    """Raised into the app when a streamed body passes the limit (the 413 is already sent)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than {limit} bytes.")


def body_limits(settings: Settings) -> dict[str, int]:
    """The body limit of each path prefix; "" is every other path."""
    imports = settings.max_import_body_bytes
    return {"": settings.max_body_bytes, "/v1/import": imports, "/v1/contacts/import": imports}


class BodyLimit:
    """Answers 413 to a body over its path's limit: at once on Content-Length, else at the limit."""

    def __init__(self, app: ASGIApp, limits: Mapping[str, int]) -> None:
        self.app = app
        # Longest prefix first, so a specific path wins over "".
        self.limits = sorted(limits.items(), key=lambda item: len(item[0]), reverse=True)

    def limit_for(self, path: str) -> int:
        """The limit of the longest prefix that `path` starts with (a whole segment)."""
        for prefix, limit in self.limits:
            if path == prefix or path.startswith(prefix + "/") or not prefix:
                return limit
        raise LookupError(path)  # pragma: no cover - "" matches every path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = chunked = None
        for name, value in scope["headers"]:
            if name == b"content-length" and declared is None:
                declared = value
            elif name == b"transfer-encoding":
                chunked = value
        if declared is None and chunked is None:
            # Neither a length nor chunks: HTTP/1.1 says there is no body (most GETs).
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        if declared is not None and declared.isdigit():
            if len(declared) > 18 or int(declared) > limit:  # int() refuses 4,301 digits
                await too_large(limit)(scope, receive, send)
            else:
                # The server reads no more than Content-Length: nothing to count.
                await self.app(scope, receive, send)
            return
        received = 0
        answered = started = False

        async def counted() -> Message:
            nonlocal received, answered
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if not started:
                        await too_large(limit)(scope, receive, send)
                        answered = True
                    raise BodyTooLarge(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if answered:
                return  # the app's own answer to BodyTooLarge: ours went first
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if not answered:
                raise


def too_large(limit: int) -> ASGIApp:
    """The 413 problem for a body over `limit` bytes."""
    detail = f"The request body is larger than {limit} bytes; send less."
    # The connection cannot carry another request: the rest of the body was never read.
    headers = {"Connection": "close"}
    return problem(413, "too-large", "Request body too large", detail, headers=headers)


_HEAD_END = b"\r\n\r\n"
_TOO_LARGE_TEXT = b"The request's headers are too large.\n"
_HEADERS_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: %d\r\n"
    b"x-content-type-options: nosniff\r\nconnection: close\r\n\r\n%s"
) % (len(_TOO_LARGE_TEXT), _TOO_LARGE_TEXT)


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with two bounds on what a client sends before its request.

    httptools reads a request head of any size, and uvicorn times out only the wait between
    requests: a client that connects and sends nothing, or headers a byte at a time, would
    hold its connection for ever. The guard sees only what asyncio.Protocol passes through
    (the transport and the bytes): a connection whose request head is not complete within
    KEEPWARM_REQUEST_TIMEOUT_SECONDS is closed, and a head past KEEPWARM_MAX_HEADER_BYTES is
    answered 431 and closed. Between kept-alive requests, uvicorn's own timeout applies.
    """

    guarded: asyncio.Transport | None = None
    head = b""
    deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the request head."""
        self.guarded = transport
        self.head_limit = get_settings().max_header_bytes
        seconds = get_settings().request_timeout_seconds
        self.deadline = asyncio.get_running_loop().call_later(seconds, transport.close)
        super().connection_made(transport)

    def data_received(self, data: bytes) -> None:
        """Pass the bytes on; until the head is complete, count it."""
        if self.deadline is not None:
            self.head += data
            if _HEAD_END in self.head:
                self.release()
            elif len(self.head) > self.head_limit and self.guarded is not None:
                self.release()
                self.guarded.write(_HEADERS_TOO_LARGE)
                self.guarded.close()
                return
        super().data_received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock."""
        self.release()
        super().connection_lost(exc)

    def release(self) -> None:
        """The head has arrived (or the connection is over): no more counting or clock."""
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None
        self.head = b""
