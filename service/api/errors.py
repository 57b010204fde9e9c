"""The one place where errors become RFC 9457 problem documents."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from service.services.errors import DomainError, InvalidField, TooManyRequests

log = logging.getLogger("keepwarm")
PROBLEM_TYPE = "https://keepwarm.dev/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"
_LOCATIONS = {"body", "query", "path", "header", "cookie"}


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    members: dict[str, str] | None = None,
) -> JSONResponse:
    """A problem+json response; `members` are RFC 9457 extension members."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(members or {})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _field_error(error: dict[str, Any]) -> dict[str, str]:
    loc: Sequence[Any] = error.get("loc", ())
    location = str(loc[0]) if loc and loc[0] in _LOCATIONS else "body"
    path = [str(part) for part in (loc[1:] if loc and loc[0] in _LOCATIONS else loc)]
    message = str(error.get("msg", "invalid value"))
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    return {
        "field": ".".join(path) or location,
        "location": location,
        "message": message,
        "type": str(error.get("type", "invalid")),
    }


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [_field_error(dict(e)) for e in exc.errors()]
    if any(e["type"] == "json_invalid" for e in errors):
        return problem(400, "malformed-json", "Malformed JSON", "The body is not valid JSON.")
    names = ", ".join(sorted({e["field"] for e in errors}))
    return problem(
        422,
        "validation-error",
        "Your request is not valid",
        f"Check these fields: {names}.",
        errors=errors,
    )


async def _domain(request: Request, exc: DomainError) -> JSONResponse:
    headers = None
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.retry_after)}
    elif exc.status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="keepwarm"'}
    errors = None
    if isinstance(exc, InvalidField):
        errors = [
            {
                "field": exc.field,
                "location": exc.location,
                "message": exc.message,
                "type": "invalid",
            }
        ]
    return problem(exc.status, exc.slug, exc.title, exc.detail, errors=errors, headers=headers)


def _allowed_methods(app: FastAPI, path: str) -> set[str]:
    # Starlette's Allow names only the first route on the path; collect every route's methods.
    table: list[tuple[re.Pattern[str], set[str]]] | None = getattr(app.state, "allow_table", None)
    if table is None:
        table = [
            (
                re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$"),
                {method.upper() for method in item},
            )
            for template, item in app.openapi().get("paths", {}).items()
        ]
        app.state.allow_table = table
    return {method for pattern, methods in table if pattern.match(path) for method in methods}


async def _http(request: Request, exc: HTTPException) -> Response:
    titles = {404: "Not found", 405: "Method not allowed", 401: "Unauthorized"}
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == 405:
        allowed = _allowed_methods(request.app, request.url.path)
        if request.method == "OPTIONS" and allowed:
            # An OPTIONS request (a preflight when CORS is off) learns what the path allows.
            allow = ", ".join(sorted(allowed | {"OPTIONS"}))
            return Response(status_code=204, headers={"Allow": allow})
        if allowed:
            headers = {**(headers or {}), "Allow": ", ".join(sorted(allowed))}
    return problem(
        exc.status_code,
        "http-" + str(exc.status_code),
        titles.get(exc.status_code, "HTTP error"),
        str(exc.detail),
        headers=headers,
    )


async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
    # A race with a concurrent request (same Idempotency-Key, same email): the loser retries.
    log.info("integrity conflict on %s: %s", request.url.path, exc.orig)
    return problem(409, "conflict", "Conflict", "A concurrent request changed this; retry.")


async def _unavailable(request: Request, exc: OperationalError) -> JSONResponse:
    log.warning("database unavailable on %s: %s", request.url.path, exc.orig)
    return problem(
        503,
        "unavailable",
        "Service unavailable",
        "The database is busy; retry shortly.",
        headers={"Retry-After": "1"},
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Starlette answers a 500 outside every middleware: the headers they add are set here.
    headers = {"X-Content-Type-Options": "nosniff"}
    members = {}
    rid: str | None = getattr(request.state, "request_id", None)  # service.api.headers
    if rid is not None:
        headers["X-Request-Id"] = members["request_id"] = rid
    log.exception(
        "unhandled error on %s %s", request.method, request.url.path, extra=members or None
    )
    detail = "Something went wrong on our side" + (
        "; quote request_id when you report it." if members else "."
    )
    return problem(500, "internal", "Internal error", detail, headers=headers, members=members)


def install_error_handlers(app: FastAPI) -> None:
    """Render every error as problem+json."""
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(DomainError, _domain)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(IntegrityError, _integrity)  # type: ignore[arg-type]
    app.add_exception_handler(OperationalError, _unavailable)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
