"""The worker's own HTTP endpoints: /healthz, /readyz and /metrics."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from service.db.migrate import SchemaState, schema_state
from service.domain.tokens import bearer_matches

# A schema a newer release migrated is one this code still runs (migrations stay compatible).
READY_STATES: frozenset[SchemaState] = frozenset({"head", "ahead"})


def health_app(
    *,
    schema: Callable[[], SchemaState],
    registry: CollectorRegistry,
    metrics_token: str | None,
) -> Starlette:
    """The endpoints; `schema` reads the database's schema state (blocking, run in a thread)."""

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        try:
            state = await run_in_threadpool(schema)
        except (SQLAlchemyError, OSError):
            return _readiness(503, database="unreachable", migrations="unknown")
        return _readiness(200 if state in READY_STATES else 503, database="ok", migrations=state)

    async def metrics(request: Request) -> Response:
        authorization = request.headers.get("authorization", "")
        if metrics_token and not bearer_matches(authorization, metrics_token):
            # The same problem document as the API's /metrics answers.
            problem = {
                "type": "https://keepwarm.dev/problems/unauthorized",
                "title": "Unauthorized",
                "status": 401,
                "detail": "Send the metrics token as Authorization: Bearer <token>.",
            }
            return JSONResponse(
                problem,
                status_code=401,
                media_type="application/problem+json",
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
        body = await run_in_threadpool(generate_latest, registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
        ]
    )


def database_schema(engine: Engine, url: str) -> Callable[[], SchemaState]:
    """The schema check /readyz runs."""
    return lambda: schema_state(engine, url)


def _readiness(status: int, *, database: str, migrations: str) -> JSONResponse:
    ready = "ok" if status == 200 else "unavailable"
    return JSONResponse(
        {"status": ready, "database": database, "migrations": migrations}, status_code=status
    )
