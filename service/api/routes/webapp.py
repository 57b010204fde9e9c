"""The web app at /app/: static files shipped in the package, a client of /v1 like any other."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from starlette.datastructures import MutableHeaders
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

router = APIRouter(include_in_schema=False)

# Only the app's own files run, style and load; the API is the only place it talks to.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
WEBAPP_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    # Revalidate each time (a 304 is cheap), so a new release is never half-cached.
    "Cache-Control": "no-cache",
}


class WithHeaders:
    """Set fixed headers on every response of the wrapped app."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


@router.get("/app")
def app_root() -> RedirectResponse:
    """The web app lives under /app/."""
    # A relative reference: right behind any proxy prefix, whatever the Host header says.
    return RedirectResponse("app/", status_code=308)


@router.get("/")
def root() -> RedirectResponse:
    """A person who opens the server's address lands in the web app."""
    return RedirectResponse("app/", status_code=307)


def install(app: FastAPI) -> None:
    """Serve the web app on the application."""
    app.include_router(router)
    files = StaticFiles(packages=[("service", "webapp/static")], html=True)
    app.mount("/app", WithHeaders(files, WEBAPP_HEADERS), name="webapp")
