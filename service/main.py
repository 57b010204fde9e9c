"""The FastAPI application: lifespan, routers, error handlers, OpenAPI document."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime, timedelta

import anyio.to_thread
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.telemetry import TelemetryConfig
from fastapi_offline import FastAPIOffline
from starlette.middleware.cors import CORSMiddleware

from service.api import openapi
from service.api.errors import install_error_handlers
from service.api.headers import RequestLog, ResponseHeaders
from service.api.limits import BodyLimit, body_limits
from service.api.metrics import Metrics
from service.api.retry import RetryConflicts
from service.api.routes import (
    accounts,
    agenda,
    api_keys,
    attempts,
    calendar,
    contacts,
    mail,
    next_actions,
    ops,
    organizations,
    profile,
    transfer,
    webapp,
    webhooks,
)
from service.api.routes import settings as settings_routes
from service.api.routes.outgoing import document_webhooks
from service.config import Settings, Toggle, get_settings
from service.db.checkpoint import Checkpointer
from service.db.session import SQLITE_READERS, make_engine, make_session_factory
from service.logs import configure_logging
from service.scheduler.dispatcher import make_client
from service.scheduler.jobs import Ticker, delivery_budget
from service.scheduler.mail import Mail, MailMetrics
from service.scheduler.metrics import SchedulerMetrics
from service.scheduler.runner import start_scheduler, stop_scheduler, wake
from service.scheduler.worker import SchemaGate

DESCRIPTION = """\
keepwarm keeps you *pleasantly persistent* with the employers that said No: it records the
people and every contact attempt, computes your next follow-up (when, with whom, over which
channel, with a short script), and tells your calendar when it comes due.

Authenticate with `Authorization: Bearer <api key>` (from `POST /v1/accounts` or `POST /v1/tokens`).
Errors are RFC 9457 `application/problem+json` documents.
Every answer carries an `X-Request-Id` (yours, when you send one of up to 128 visible ASCII
characters): quote it when you report a problem.
"""


# The response headers a browser app may read (CORS hides any other but a few simple ones).
EXPOSED_HEADERS = (
    "ETag",
    "Location",
    "Link",
    "Retry-After",
    "Idempotent-Replayed",
    "X-Request-Id",
)


# Worker threads beyond those the database gates let through (see the lifespan).
SPARE_THREADS = 4


def _operation_id(route: APIRoute) -> str:
    return route.name


_NO_TELEMETRY: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the engine and scheduler are created in the lifespan."""
    configure_logging()  # uvicorn's loggers exist by now: the feed token is kept out of them
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url, pool_size=settings.db_pool_size)
        app.state.engine = engine
        app.state.session_factory = make_session_factory(engine)
        app.state.read_session_factory = make_session_factory(engine, read_only=True)
        if engine.dialect.name == "sqlite":
            # One writer at a time (SQLite's rule), readers alongside (WAL).
            app.state.write_gate = asyncio.Semaphore(1)
            app.state.read_gate = asyncio.Semaphore(SQLITE_READERS)
            through_gates = 1 + SQLITE_READERS
        else:
            # Leave the in-process scheduler connections of its own.
            through_gates = max(engine.pool.size() - 2, 1)  # type: ignore[attr-defined]
            app.state.write_gate = app.state.read_gate = asyncio.Semaphore(through_gates)
        # Worker threads for the requests the gates let through, and a few for the work
        # done before a gate (a password's hash) or outside one (a key's last use): more
        # threads would only wait, and contend for the GIL with those that work.
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = through_gates + SPARE_THREADS
        async with AsyncExitStack() as stack:
            stack.callback(engine.dispose)  # callbacks run last to first
            database = engine.url.database
            if engine.dialect.name == "sqlite" and database and database != ":memory:":
                checkpointer = Checkpointer(database)
                checkpointer.start()
                stack.callback(checkpointer.stop)
            app.state.wake = lambda: None
            if settings.scheduler == Toggle.ON:
                client = await stack.enter_async_context(make_client())
                ticker = Ticker(
                    app.state.session_factory,
                    client,
                    allow_private=settings.webhook_allow_private,
                    lease=timedelta(seconds=settings.delivery_lease_seconds),
                    metrics=app.state.scheduler_metrics,
                    retention=timedelta(days=settings.retention_days),
                    budget=delivery_budget(settings.tick_seconds),
                )
                # As in `keepwarm worker`: no tick on a schema older than this release's.
                gate = SchemaGate(engine, settings.database_url, settings.tick_seconds)
                scheduler = start_scheduler(
                    ticker, every_seconds=settings.tick_seconds, may_tick=gate
                )
                stack.push_async_callback(stop_scheduler, scheduler)
                app.state.wake = lambda: wake(scheduler)
                mail_service = Mail()
                await mail_service.start(
                    settings, app.state.session_factory, app.state.mail_metrics
                )
                stack.push_async_callback(mail_service.stop)
            # What startup built (SQLAlchemy's, pydantic's and FastAPI's structures) lives as
            # long as the process, yet a full collection walked all of it again, in whichever
            # request set it off (bench/README.md). Collected once, then left out.
            gc.collect()
            gc.freeze()
            stack.callback(gc.unfreeze)
            yield

    # /docs and /redoc load Swagger UI and ReDoc from files the package ships, not a CDN.
    app = FastAPIOffline(
        static_url="/docs/assets",
        title="keepwarm",
        version=openapi.VERSION,
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        telemetry=None if settings.opentelemetry == Toggle.ON else _NO_TELEMETRY,
    )
    app.state.settings = settings
    app.state.clock = lambda: datetime.now(UTC)
    app.state.metrics = Metrics()
    if settings.scheduler == Toggle.ON:
        # Built once per app (a second lifespan run must not register the series again):
        # ticks, due follow-ups, the outbox and deliveries, beside the requests' on /metrics.
        # Not on a replica that never ticks: its zeros would say "no ticks" forever.
        app.state.scheduler_metrics = SchedulerMetrics(app.state.metrics.registry)
        app.state.mail_metrics = MailMetrics(app.state.metrics.registry)
    app.add_middleware(RetryConflicts)  # innermost: replays the request as it came
    app.add_middleware(BodyLimit, limits=body_limits(settings))
    app.add_middleware(ResponseHeaders, metrics=app.state.metrics)
    if settings.cors_origins:
        # Outside the others: error answers carry the CORS headers too.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "HEAD", "POST", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "Idempotency-Key",
                "X-Request-Id",
            ],
            expose_headers=list(EXPOSED_HEADERS),
            max_age=600,
        )
    app.add_middleware(RequestLog)  # outermost: the id and the access line cover every answer
    install_error_handlers(app)
    # The busiest routes first: the router tries each route in turn.
    for module in (
        contacts,
        next_actions,
        attempts,
        agenda,
        organizations,
        accounts,
        api_keys,
        settings_routes,
        profile,
        transfer,
        webhooks,
        calendar,
        mail,
        ops,
    ):
        app.include_router(module.router)
    webapp.install(app)
    document_webhooks(app)
    app.openapi = lambda: openapi.document(app)  # type: ignore[method-assign]
    return app
