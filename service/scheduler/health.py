"""The worker's own HTTP endpoints: /healthz, /readyz and /metrics."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from service.db.migrate import readiness
from service.domain.tokens import bearer_matches
from service.scheduler.runner import Heartbeat


def health_app(
    *,
    ready: Callable[[], tuple[bool, dict[str, str]]],
    registry: CollectorRegistry,
    metrics_token: str | None,
    heartbeat: Heartbeat | None = None,
) -> Starlette:
    """The endpoints; `ready` is /readyz's answer (blocking, run in a thread). /healthz fails
    (503) once `heartbeat` has heard of no finished pass for three tick intervals."""

    async def healthz(request: Request) -> JSONResponse:
        if heartbeat is None or heartbeat.alive():
            return JSONResponse({"status": "ok"})
        silence = heartbeat.silence()
        detail = f"no tick has finished for {silence:.0f} s (limit {heartbeat.limit:g} s)"
        return JSONResponse({"status": "stalled", "detail": detail}, status_code=503)

    async def readyz(request: Request) -> JSONResponse:
        ok, answer = await run_in_threadpool(ready)
        return JSONResponse(answer, status_code=200 if ok else 503)

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


def database_readiness(engine: Engine, url: str) -> Callable[[], tuple[bool, dict[str, str]]]:
    """The check /readyz runs: the API's (service.db.migrate.readiness)."""
    return lambda: readiness(engine, url)
