"""Headers every response carries, no-store where it shows a secret, and HEAD answered as GET."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class SecurityHeaders:
    """nosniff on every response; Cache-Control: no-store on those carrying a secret.

    Wrap the whole app (outside Starlette's ServerErrorMiddleware), so a 500 says it too.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                # The router has matched by now: it records the route in the scope.
                template = getattr(scope.get("route"), "path", None)
                if (scope["method"], template) in SECRETS:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)


class HeadAsGet:
    """HEAD runs as GET: the same status and headers (ETag, Content-Length), no body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # A copy: the server keeps its own scope, and with it the knowledge that this is HEAD.
        await self.app({**scope, "method": "GET"}, receive, without_body)
