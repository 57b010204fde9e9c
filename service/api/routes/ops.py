"""Operations endpoints: liveness, readiness, metrics (no authentication)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from service.api.routes import PUBLIC
from service.db.migrate import current_revisions

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    database: str
    migrations: str


@router.get("/healthz", openapi_extra=PUBLIC, response_model=Health)
async def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get(
    "/readyz", openapi_extra=PUBLIC, response_model=Readiness, responses={503: {"model": Readiness}}
)
async def readyz(request: Request, response: Response) -> Readiness:
    """The database answers and its schema is at the newest migration."""
    heads: set[str] = request.app.state.migration_heads
    try:
        current = await run_in_threadpool(current_revisions, request.app.state.engine)
    except SQLAlchemyError:
        response.status_code = 503
        return Readiness(status="unavailable", database="unreachable", migrations="unknown")
    if current != heads:
        response.status_code = 503
        return Readiness(status="unavailable", database="ok", migrations="behind")
    return Readiness(status="ok", database="ok", migrations="head")


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
    openapi_extra=PUBLIC,
)
async def metrics(request: Request) -> Response:
    """Prometheus metrics in the text exposition format."""
    body = generate_latest(request.app.state.metrics.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
