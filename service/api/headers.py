"""Headers every response carries (a request id, nosniff), no-store where it shows a secret,
one access line and the metrics of each request, and HEAD answered as GET."""

from __future__ import annotations

import logging
import re
import time
import uuid
from urllib.parse import quote

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.metrics import Metrics
from service.logs import redact, request_id

access_log = logging.getLogger("keepwarm.access")
# Probes and scrapes come every few seconds: their lines at DEBUG, not among the users',
# while they succeed. One that fails (a /readyz 503, a /metrics 401) is a WARNING.
PROBE_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# A client's own id is kept when it is short, visible ASCII (no spaces): safe in a log line.
_CLIENT_ID = re.compile(rb"[\x21-\x7e]{1,128}")

# (method, route template) of each response that shows a secret: an API key, a webhook's
# signing secret, the calendar feed's secret URL. Neither a browser nor a proxy keeps them.
SECRETS = frozenset(
    {
        ("POST", "/v1/accounts"),
        ("POST", "/v1/tokens"),
        ("POST", "/v1/api-keys"),
        ("POST", "/v1/webhooks"),
        ("POST", "/v1/webhooks/{webhook_id}/rotate-secret"),
        ("GET", "/v1/calendar"),
        ("POST", "/v1/calendar/rotate-token"),
    }
)


class ResponseHeaders:
    """nosniff on every response; Cache-Control: no-store on those carrying a secret; HEAD
    answered as GET (the same status and headers, ETag and Content-Length, no body); and
    each answer counted and timed in the metrics, by route template.

    One middleware for the three, so an answer passes one wrapper of `send`, not three. A
    500 is answered outside it (by Starlette): its own headers are set by its handler.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            # A copy: the server keeps its own scope, and with it the knowledge of HEAD.
            scope = {**scope, "method": "GET"}
        started = time.perf_counter()
        status = 500  # nothing sent: the app raised, and Starlette answers 500

        async def answer(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                # The router has matched by now: it records the route in the scope.
                template = getattr(scope.get("route"), "path", None)
                if (scope["method"], template) in SECRETS:
                    headers["Cache-Control"] = "no-store"
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(scope, receive, answer)
        finally:
            self.metrics.record_request(scope, status, time.perf_counter() - started)


class RequestLog:
    """X-Request-Id on every response (the client's own, if well-formed), and one access line.

    Add it last, outside the other middleware: it times and logs what they answer. A 500 is
    answered outside it (by Starlette), so the error handler sets the header itself from
    `request.state.request_id`.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _client_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        status = 500  # nothing sent: the app raised, and Starlette answers 500
        started = time.perf_counter()

        async def with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                MutableHeaders(scope=message)["X-Request-Id"] = rid
            await send(message)

        token = request_id.set(rid)
        try:
            await self.app(scope, receive, with_id)
        finally:
            request_id.reset(token)
            level = _level(scope["path"], status)
            if access_log.isEnabledFor(level):
                _log_access(scope, status, (time.perf_counter() - started) * 1000, rid, level)


def _level(path: str, status: int) -> int:
    if path not in PROBE_PATHS:
        return logging.INFO
    return logging.DEBUG if status < 400 else logging.WARNING


def _client_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            return value.decode("ascii") if _CLIENT_ID.fullmatch(value) else None
    return None


def _log_access(scope: Scope, status: int, duration_ms: float, rid: str, level: int) -> None:
    # Quoted as sent: a decoded %0A would otherwise start a forged line.
    path = quote(scope["path"])
    if scope.get("query_string"):
        path += "?" + scope["query_string"].decode("latin-1")
    path = redact(path)
    host, port = scope.get("client") or ("-", 0)
    client = f"{host}:{port}"
    access_log.log(
        level,
        '%s "%s %s HTTP/%s" %d %.1f ms request_id=%s',
        client,
        scope["method"],
        path,
        scope.get("http_version", "1.1"),
        status,
        duration_ms,
        rid,
        extra={
            "request_id": rid,
            "method": scope["method"],
            "path": path,
            "status": status,
            "duration_ms": round(duration_ms, 3),
            "client": client,
        },
    )
