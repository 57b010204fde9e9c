"""Operations endpoints: liveness, readiness, metrics (no API key)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field

from service.api.openapi import VERSION
from service.api.routes import PUBLIC
from service.api.schemas.common import Problem
from service.build import commit
from service.config import Signup
from service.db.migrate import readiness
from service.domain.tokens import bearer_matches
from service.services.errors import Unauthorized

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: Literal["ok", "unavailable"]
    # "wrong_password": the server refused the user or password of KEEPWARM_DATABASE_URL.
    database: Literal["ok", "unreachable", "wrong_password"]
    # "ahead": a newer release has migrated the database; this one still works with it.
    migrations: Literal["head", "ahead", "behind", "unknown"]


class Server(BaseModel):
    version: str = Field(description="keepwarm's version (the OpenAPI document's).")
    commit: str = Field(
        description="The git commit this server was built from ('unknown' if not recorded)."
    )
    signup: Signup = Field(
        description="Whether POST /v1/accounts takes new accounts on this server ('closed': "
        "its operator creates them)."
    )
    reminders: bool = Field(
        description="Whether this server sends reminder emails (an account's `reminders` "
        "setting does nothing where it does not)."
    )


@router.get("/v1/server", openapi_extra=PUBLIC, response_model=Server, tags=["accounts"])
async def server(request: Request) -> Server:
    """What a client may ask before anyone signs in: can I sign up here, and which version
    (and commit) answers."""
    settings = request.app.state.settings
    return Server(
        version=VERSION,
        commit=commit(),
        signup=settings.signup,
        reminders=settings.sends_reminders(),
    )


@router.get("/healthz", openapi_extra=PUBLIC, response_model=Health)
async def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get(
    "/readyz", openapi_extra=PUBLIC, response_model=Readiness, responses={503: {"model": Readiness}}
)
async def readyz(request: Request, response: Response) -> Readiness:
    """The database answers, and its schema is at this release's newest migration or past it.

    Past it (`migrations: "ahead"`) is ready: a release's migrations keep the previous release
    working, so replicas of the previous release stay in service while the new one rolls out.
    `migrations: "behind"` answers 503 until `keepwarm migrate` has run.
    """
    url: str = request.app.state.settings.database_url
    ready, answer = await run_in_threadpool(readiness, request.app.state.engine, url)
    if not ready:
        response.status_code = 503
    return Readiness.model_validate(answer)


_METRICS_ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
    401: {
        "model": Problem,
        "description": "The server sets KEEPWARM_METRICS_TOKEN and the request does not send it.",
        "content": {"application/problem+json": {}},
    },
}


@router.get("/metrics", response_class=Response, responses=_METRICS_ANSWERS, openapi_extra=PUBLIC)
async def metrics(request: Request) -> Response:
    """Prometheus metrics in the text exposition format: requests and latency per route; the
    in-process scheduler's ticks, due follow-ups, outbox backlog and webhook deliveries (when
    this process runs the scheduler); the process (CPU, memory, open files, collections).

    Open unless the server sets `KEEPWARM_METRICS_TOKEN`; then send
    `Authorization: Bearer <that token>` (it is not an API key).
    """
    token: str | None = request.app.state.settings.metrics_token
    if token and not bearer_matches(request.headers.get("authorization", ""), token):
        raise Unauthorized("Send the metrics token as Authorization: Bearer <token>.")
    # The process collector reads files under /proc: off the event loop.
    body = await run_in_threadpool(generate_latest, request.app.state.metrics.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
