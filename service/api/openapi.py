"""The OpenAPI document: FastAPI's, with what the middleware and error handlers answer too."""

from __future__ import annotations

import copy
from importlib.metadata import version
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from service.api.errors import PROBLEM_MEDIA_TYPE

VERSION = version("keepwarm")
_PROBLEM = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}
_TOO_LARGE = {
    "description": "The body is larger than the limit (KEEPWARM_MAX_BODY_BYTES).",
    "content": _PROBLEM,
}
_CONFLICT = {
    "description": "Conflicts with the current state, or with a concurrent request; retry.",
    "content": _PROBLEM,
}
_UNAVAILABLE = {
    "description": "The database is unreachable or busy; retry after Retry-After seconds.",
    "content": _PROBLEM,
    "headers": RETRY_AFTER,
}
# service.api.headers.RequestLog: on every answer.
REQUEST_ID = {
    "description": "The request's id: the X-Request-Id you sent (up to 128 visible ASCII "
    "characters), else one of ours. Its access log line carries it; quote it in a report.",
    "required": True,
    "schema": {"type": "string", "maxLength": 128},
}
_REQUEST_ID_REF = {"$ref": "#/components/headers/X-Request-Id"}
# Answered without the database, or (/readyz) with a 503 of its own that sets no Retry-After.
_NO_DATABASE = frozenset({"/healthz", "/metrics", "/readyz"})


def document(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document, built once."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            webhooks=app.webhooks.routes,
        )
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                _complete(path, method, operation)
        schema.setdefault("components", {})["headers"] = {"X-Request-Id": REQUEST_ID}
        app.openapi_schema = schema
    return app.openapi_schema


def _complete(path: str, method: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status, answer in responses.items():
        content = answer.get("content", {})
        # Problem answers are problem+json only (FastAPI also lists application/json).
        if status.startswith(("4", "5")) and PROBLEM_MEDIA_TYPE in content:
            content[PROBLEM_MEDIA_TYPE] = content.pop("application/json", {})
        # A route's own 503 can also be the database's, which says when to retry.
        if status == "429" or (status == "503" and path not in _NO_DATABASE):
            answer.setdefault("headers", {}).update(copy.deepcopy(RETRY_AFTER))
    if "requestBody" in operation:  # service.api.limits.BodyLimit
        responses.setdefault("413", copy.deepcopy(_TOO_LARGE))
    if method in ("post", "patch", "delete"):  # a unique index a concurrent write took first
        responses.setdefault("409", copy.deepcopy(_CONFLICT))
    if path not in _NO_DATABASE:  # service.api.errors, service.api.retry
        responses.setdefault("503", copy.deepcopy(_UNAVAILABLE))
    for answer in responses.values():
        answer.setdefault("headers", {})["X-Request-Id"] = dict(_REQUEST_ID_REF)
