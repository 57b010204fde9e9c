"""`keepwarm worker`: the scheduler alone, with /healthz, /readyz and /metrics, until a signal."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator
from datetime import timedelta

import uvicorn
from sqlalchemy import Engine

from service.config import Settings
from service.db.migrate import current_revisions, head_revisions, schema_state
from service.db.session import make_engine, make_session_factory
from service.scheduler.dispatcher import make_client
from service.scheduler.health import database_readiness, health_app
from service.scheduler.jobs import Ticker, delivery_budget
from service.scheduler.mail import Mail, MailMetrics
from service.scheduler.metrics import SchedulerMetrics, process_registry
from service.scheduler.runner import Heartbeat, start_scheduler, stop_scheduler

log = logging.getLogger("keepwarm.worker")
# The endpoints answer quickly; a probe still connected when the worker stops is cut off.
HTTP_STOP_SECONDS = 1


class _Server(uvicorn.Server):
    """uvicorn without its own signal handlers: the worker's stop ends the server too."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class SchemaGate:
    """Ticks only on a schema this release can use: while it is behind, each interval says
    why it waits (a worker started before `keepwarm migrate` must not write to old tables)."""

    def __init__(self, engine: Engine, url: str, every_seconds: float) -> None:
        self.engine, self.url, self.every = engine, url, every_seconds
        self.waiting = False

    def __call__(self) -> bool:
        if schema_state(self.engine, self.url) == "behind":
            at = ", ".join(sorted(current_revisions(self.engine))) or "base"
            needs = ", ".join(sorted(head_revisions(self.url)))
            log.warning(
                "not ticking: the database schema is behind this release (at %s, needs %s); "
                "waiting for `keepwarm migrate`, checking again in %g s",
                at,
                needs,
                self.every,
            )
            self.waiting = True
            return False
        if self.waiting:
            log.info("the database schema is migrated: ticking")
            self.waiting = False
        return True


async def run_worker(settings: Settings) -> None:
    """Tick every KEEPWARM_TICK_SECONDS and answer on KEEPWARM_WORKER_PORT until asked to stop."""
    engine = make_engine(settings.database_url, pool_size=settings.db_pool_size)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    registry = process_registry()
    heartbeat = Heartbeat(settings.tick_seconds)
    app = health_app(
        ready=database_readiness(engine, settings.database_url),
        registry=registry,
        metrics_token=settings.metrics_token,
        heartbeat=heartbeat,
    )
    server = _Server(
        uvicorn.Config(
            app,
            host=settings.host,
            port=settings.worker_port,
            lifespan="off",
            log_config=None,  # the process's logging, as configured by the command
            access_log=False,  # probes every few seconds would drown the scheduler's lines
            timeout_graceful_shutdown=HTTP_STOP_SECONDS,
        )
    )
    serving = asyncio.ensure_future(server.serve())
    try:
        while not server.started:
            if serving.done():
                serving.result()  # uvicorn logged why (a port in use, say) and exits
                raise RuntimeError(f"the worker could not listen on port {settings.worker_port}")
            await asyncio.sleep(0.01)
        async with make_client() as client:
            ticker = Ticker(
                make_session_factory(engine),
                client,
                allow_private=settings.webhook_allow_private,
                lease=timedelta(seconds=settings.delivery_lease_seconds),
                metrics=SchedulerMetrics(registry),
                retention=timedelta(days=settings.retention_days),
                budget=delivery_budget(settings.tick_seconds),
            )
            scheduler = start_scheduler(
                ticker,
                every_seconds=settings.tick_seconds,
                may_tick=SchemaGate(engine, settings.database_url, settings.tick_seconds),
                heartbeat=heartbeat,
            )
            log.info("worker ticking every %s s", settings.tick_seconds)
            mail = Mail()
            await mail.start(settings, ticker.session_factory, MailMetrics(registry))
            await stop.wait()
            server.should_exit = True
            await mail.stop()
            await stop_scheduler(scheduler)
    finally:
        server.should_exit = True
        await serving
        engine.dispose()
