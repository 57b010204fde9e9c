"""Shared OpenAPI declarations of the routes."""

from __future__ import annotations

from typing import Any

from service.api.schemas.common import Problem


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Declare problem+json answers for these status codes."""
    described = {
        400: "Malformed request (bad JSON, bad cursor).",
        401: "Missing or invalid API key.",
        403: "Not allowed.",
        404: "No such resource in your account.",
        409: "Conflicts with the current state.",
        412: "If-Match does not match the current ETag.",
        422: "A field is invalid; `errors` names each one.",
        429: "Too many attempts; see Retry-After.",
    }
    return {
        status: {
            "model": Problem,
            "description": described[status],
            "content": {"application/problem+json": {}},
        }
        for status in statuses
    }


# The response headers clients rely on, declared on the answers that carry them.
HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {
        "description": "The resource's version: send it back in If-Match to change it.",
        "schema": {"type": "string"},
    },
    "Location": {"description": "The URL of what was created.", "schema": {"type": "string"}},
    "Link": {
        "description": 'The next page, as <URL>; rel="next" (RFC 8288), while there is one.',
        "schema": {"type": "string"},
    },
}


def headers(status: int, *names: str) -> dict[int | str, dict[str, Any]]:
    """Declare the headers an answer of this status carries (merged into FastAPI's own)."""
    return {status: {"headers": {name: HEADERS[name] for name in names}}}


PUBLIC: dict[str, Any] = {"security": []}
AUTHED = problems(400, 401, 422)
ONE = problems(400, 401, 404, 422)
WRITE_ONE = problems(400, 401, 404, 409, 412, 422)
